//! Readers of the users list's filter and sort, shared by `GET /users` and the `matching`
//! selection of `POST /users/bulk-status`, with the 400 or 422 that docs/api.md gives for a
//! bad value.

use domain::{
    AdminLevel, FieldErrors, SortDirection, UserFilter, UserSort, UserStatus, UserStatusFilter,
};
use rusqlite::Connection;

use crate::db::catalog;
use crate::db::list_filter::ListFilter;
use crate::db::user_list::Search;
use crate::error::AppError;

/// Returns the status a status filter shows, or `None` for all.
pub(super) fn status_of(filter: UserStatusFilter) -> Option<UserStatus> {
    match filter {
        UserStatusFilter::All => None,
        UserStatusFilter::Active => Some(UserStatus::Active),
        UserStatusFilter::Invited => Some(UserStatus::Invited),
        UserStatusFilter::Deactivated => Some(UserStatus::Deactivated),
    }
}

/// Builds the filter of a bulk change's `matching` selection, read like the list's query.
/// An empty role is no role filter.
pub(super) fn from_user_filter(filter: &UserFilter) -> ListFilter {
    ListFilter {
        search: Search::parse(&filter.q),
        status: status_of(filter.status),
        level: filter.level,
        role: non_empty(filter.role.as_deref()),
        account: filter.account,
    }
}

/// Returns the trimmed value, or `None` when it is missing or empty.
pub(super) fn non_empty(value: Option<&str>) -> Option<String> {
    let value = value.unwrap_or_default().trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Reads a parameter whose values are a fixed list, such as `sort`. Missing or empty is
/// `None`; any other value outside `values` is 400, naming `label` and every allowed value.
fn parse_choice<T: Copy>(
    label: &str,
    value: Option<&str>,
    values: &[T],
    as_str: fn(T) -> &'static str,
) -> Result<Option<T>, AppError> {
    let value = value.unwrap_or_default();
    if value.is_empty() {
        return Ok(None);
    }
    if let Some(found) = values.iter().copied().find(|v| as_str(*v) == value) {
        return Ok(Some(found));
    }
    let names: Vec<&str> = values.iter().map(|v| as_str(*v)).collect();
    Err(AppError::BadRequest(format!(
        "{label} must be one of {} (it is \"{value}\").",
        names.join(", ")
    )))
}

/// Reads `level`; missing or empty means every level.
pub(super) fn parse_level(value: Option<&str>) -> Result<Option<AdminLevel>, AppError> {
    parse_choice(
        "Administration level (level)",
        value,
        &AdminLevel::ALL,
        AdminLevel::as_str,
    )
}

/// Reads `sort`; missing or empty means by username.
pub(super) fn parse_sort(value: Option<&str>) -> Result<UserSort, AppError> {
    let sort = parse_choice("Sort (sort)", value, &UserSort::ALL, UserSort::as_str)?;
    Ok(sort.unwrap_or_default())
}

/// Reads `dir`; missing or empty means ascending.
pub(super) fn parse_direction(value: Option<&str>) -> Result<SortDirection, AppError> {
    let directions = [SortDirection::Asc, SortDirection::Desc];
    let direction = parse_choice("Direction (dir)", value, &directions, SortDirection::as_str)?;
    Ok(direction.unwrap_or_default())
}

/// Checks that the role and account of `filter` exist. Each unknown one is a 422 message at
/// `role_field` or `account_field`.
pub(super) fn check_references(
    connection: &Connection,
    filter: &ListFilter,
    role_field: &str,
    account_field: &str,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    if let Some(role) = &filter.role
        && !catalog::unknown_roles(connection, std::slice::from_ref(role))?.is_empty()
    {
        errors.insert(
            role_field.to_owned(),
            format!("No role has the id \"{role}\". Pick a role from the list of roles."),
        );
    }
    if let Some(account) = filter.account
        && !catalog::unknown_accounts(connection, &[account])?.is_empty()
    {
        let message =
            format!("No account has the id {account}. Pick an account from the list of accounts.");
        // Both messages go to one field when it is shared, so neither is lost.
        errors
            .entry(account_field.to_owned())
            .and_modify(|existing| {
                existing.push(' ');
                existing.push_str(&message);
            })
            .or_insert(message);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Field names of the list's query parameters in 422 responses.
pub(super) const ROLE_FIELD: &str = "role";
pub(super) const ACCOUNT_FIELD: &str = "account";
