//! Edits of a user's changeable fields, in one IMMEDIATE transaction that also checks the
//! version the client edited. The username never changes.

use domain::{AdminLevel, ApiError, FieldErrors, User, UserStatus, ValidUserUpdate, field};
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use super::user_changes::{self, check_references, grant, is_unique_violation};
use super::users::{self, EMAIL_TAKEN};
use crate::error::AppError;

pub const USERNAME_UNCHANGEABLE: &str = "Username can't be changed.";
const LAST_ADMIN_DEMOTION: &str = "This user is the last active account admin, so nobody could \
     manage users after changing their administration level. Make another user an account \
     admin first.";

/// An edit as the client sent it: the validated fields, the `username` member if any, and
/// the versions named by `If-Match` (`None` for `If-Match: *`).
pub struct UserEdit {
    pub validated: Result<ValidUserUpdate, FieldErrors>,
    pub username: Option<String>,
    pub expected_versions: Option<Vec<u64>>,
}

/// Replaces the changeable fields of user `id` and returns the user as stored.
///
/// A stale `expected_versions` is refused first (412 with the current user). The field rules,
/// the email's IDNA form and the `username` member, which must equal the stored username
/// after trimming, are reported together (422). Demoting the last active account admin is
/// refused (409), and so is an email whose key another user has as email or username (409
/// at `email`). Nothing changes on error.
pub fn update(connection: &mut Connection, id: i64, edit: UserEdit) -> Result<User, AppError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let stored = users::check_version(
        users::get(&transaction, id)?,
        edit.expected_versions.as_deref(),
    )?;
    let mut fields = edit.validated.as_ref().err().cloned().unwrap_or_default();
    if let Some(username) = &edit.username
        && username.trim() != stored.username
    {
        fields.insert(field::USERNAME.to_owned(), USERNAME_UNCHANGEABLE.to_owned());
    }
    let email_key = match &edit.validated {
        Ok(update) => domain::email_key(&update.email)
            .map_err(|message| fields.insert(field::EMAIL.to_owned(), message))
            .ok(),
        Err(_) => None,
    };
    let (update, email_key) = match (edit.validated, email_key) {
        (Ok(update), Some(email_key)) if fields.is_empty() => (update, email_key),
        _ => return Err(AppError::Validation(fields)),
    };
    let update = &update;
    check_references(&transaction, &update.roles, &update.account_ids)?;
    check_demotion(&transaction, &stored, update.admin_level)?;
    if let Some(message) = users::email_conflict(&transaction, &email_key, Some(id))? {
        return Err(AppError::Conflict(ApiError::for_field(
            field::EMAIL,
            message,
        )));
    }
    match update_row(&transaction, id, update, &email_key) {
        Ok(()) => {}
        Err(error) if is_unique_violation(&error) => {
            return Err(AppError::Conflict(ApiError::for_field(
                field::EMAIL,
                EMAIL_TAKEN,
            )));
        }
        Err(error) => return Err(error.into()),
    }
    transaction.execute("DELETE FROM user_roles WHERE user_id = ?1", [id])?;
    transaction.execute("DELETE FROM user_accounts WHERE user_id = ?1", [id])?;
    grant(&transaction, id, &update.roles, &update.account_ids)?;
    let user = users::get(&transaction, id)?;
    transaction.commit()?;
    Ok(user)
}

fn check_demotion(
    transaction: &Transaction<'_>,
    stored: &User,
    admin_level: AdminLevel,
) -> Result<(), AppError> {
    let is_demotion =
        stored.admin_level == AdminLevel::AccountAdmin && admin_level != AdminLevel::AccountAdmin;
    if is_demotion
        && stored.status == UserStatus::Active
        && user_changes::other_active_admins(transaction, stored.id)? == 0
    {
        return Err(AppError::Conflict(ApiError::new(LAST_ADMIN_DEMOTION)));
    }
    Ok(())
}

/// Updates the users row. The username key is unchanged, so only the email index can fail.
fn update_row(
    transaction: &Transaction<'_>,
    id: i64,
    update: &ValidUserUpdate,
    email_key: &str,
) -> rusqlite::Result<()> {
    transaction.execute(
        "UPDATE users SET first_name = ?2, last_name = ?3, name_key = ?4, last_name_key = ?5, \
             email = ?6, email_key = ?7, work_phone = ?8, admin_level = ?9 \
         WHERE id = ?1",
        params![
            id,
            update.first_name,
            update.last_name,
            users::name_key(&update.first_name, &update.last_name),
            users::last_name_key(&update.last_name),
            update.email,
            email_key,
            update.work_phone,
            update.admin_level.as_str(),
        ],
    )?;
    Ok(())
}
