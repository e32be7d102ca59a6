//! The filter of the users list (search, status, level, role and account) as SQL, and the
//! page of any filter in any sort order. The list and a bulk status change of all matching
//! users both use [`ListFilter`], so they match the same users.

use domain::{AdminLevel, SortDirection, User, UserSort, UserStatus};
use rusqlite::{Connection, ToSql};

use super::user_list::{PrefixEnd, Search, fts_phrase, matching_ids_sql};
use super::users::{USER_COLUMNS, user_from_row};

/// Which users the list shows. Every part that is set must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub search: Option<Search>,
    pub status: Option<UserStatus>,
    pub level: Option<AdminLevel>,
    /// A role id; the user must have that role.
    pub role: Option<String>,
    /// An account id; the user must have access to that account.
    pub account: Option<i64>,
}

impl ListFilter {
    /// Returns whether the filter needs more than the search and status, which the fast
    /// paths of `user_list` serve.
    pub fn has_level_role_or_account(&self) -> bool {
        self.level.is_some() || self.role.is_some() || self.account.is_some()
    }

    /// Returns the conditions on the users row `u` joined by AND, or `1` when nothing is
    /// filtered. Their parameters come from [`FilterParams::new`].
    pub fn where_sql(&self) -> String {
        let mut conditions = Vec::new();
        if let Some(search) = &self.search {
            conditions.push(format!("u.id IN ({})", matching_ids_sql(search)));
        }
        if self.status.is_some() {
            conditions.push("u.list_status = :status".to_owned());
        }
        if self.level.is_some() {
            conditions.push("u.admin_level = :level".to_owned());
        }
        if self.role.is_some() {
            conditions
                .push("u.id IN (SELECT user_id FROM user_roles WHERE role_id = :role)".to_owned());
        }
        if self.account.is_some() {
            conditions.push(
                "u.id IN (SELECT user_id FROM user_accounts WHERE account_id = :account)"
                    .to_owned(),
            );
        }
        if conditions.is_empty() {
            "1".to_owned()
        } else {
            conditions.join(" AND ")
        }
    }
}

/// The values bound to the parameters of [`ListFilter::where_sql`], owned so that
/// [`FilterParams::pairs`] can lend them to a statement.
pub struct FilterParams {
    phrase: Option<String>,
    prefix: Option<(String, PrefixEnd)>,
    status: Option<&'static str>,
    level: Option<&'static str>,
    role: Option<String>,
    account: Option<i64>,
}

impl FilterParams {
    pub fn new(filter: &ListFilter) -> FilterParams {
        let (phrase, prefix) = match &filter.search {
            None => (None, None),
            Some(Search::Substring(text)) => (Some(fts_phrase(text)), None),
            Some(Search::Prefix(start)) => (None, Some((start.clone(), PrefixEnd::after(start)))),
        };
        FilterParams {
            phrase,
            prefix,
            status: filter.status.map(UserStatus::as_str),
            level: filter.level.map(AdminLevel::as_str),
            role: filter.role.clone(),
            account: filter.account,
        }
    }

    /// Returns the named parameters of the filter, exactly those its SQL contains.
    pub fn pairs(&self) -> Vec<(&'static str, &dyn ToSql)> {
        let mut pairs: Vec<(&'static str, &dyn ToSql)> = Vec::new();
        if let Some(phrase) = &self.phrase {
            pairs.push((":phrase", phrase));
        }
        if let Some((start, end)) = &self.prefix {
            pairs.push((":start", start));
            pairs.push((":end", end));
        }
        if let Some(status) = &self.status {
            pairs.push((":status", status));
        }
        if let Some(level) = &self.level {
            pairs.push((":level", level));
        }
        if let Some(role) = &self.role {
            pairs.push((":role", role));
        }
        if let Some(account) = &self.account {
            pairs.push((":account", account));
        }
        pairs
    }
}

/// Returns the ORDER BY terms of `sort` in `direction` on the users row `u`, ties broken by
/// id in the same direction. Each key is the expression of an index (see the migration
/// `LIST_SORTS_AND_FILTERS`), so SQLite can read users in order instead of sorting them.
pub fn order_by_sql(sort: UserSort, direction: SortDirection) -> String {
    let key = match (sort, direction) {
        (UserSort::Username, _) => "u.username_key",
        // name_key is "first last" lower-cased.
        (UserSort::Name, _) => "u.name_key",
        // NOTE: email_key has the domain in its ASCII (punycode) form, so an internationalised
        // domain sorts by that form rather than by the characters shown.
        (UserSort::Email, _) => "u.email_key",
        // The stored values sort like the labels: account_admin (Account Admin) first.
        (UserSort::Level, _) => "u.admin_level",
        // active, deactivated, invited sort like the labels Active, Deactivated, Invited.
        (UserSort::Status, _) => "u.list_status",
        // Timestamps are stored as `YYYY-MM-DDTHH:MM:SSZ`, which sorts in time order.
        (UserSort::Created, _) => "u.created_at",
        (UserSort::LastSignIn, SortDirection::Asc) => "coalesce(u.last_sign_in_at, 'never')",
        (UserSort::LastSignIn, SortDirection::Desc) => "coalesce(u.last_sign_in_at, '')",
    };
    let direction = match direction {
        SortDirection::Asc => "ASC",
        SortDirection::Desc => "DESC",
    };
    format!("{key} {direction}, u.id {direction}")
}

/// Returns the SQL of a page of the users that `filter` matches, sorted by `sort` in
/// `direction`, from `:offset` on and at most `:limit` users.
///
/// The page's ids are chosen first, so the roles and accounts are read for the page's users
/// only.
pub fn sorted_page_sql(filter: &ListFilter, sort: UserSort, direction: SortDirection) -> String {
    let conditions = filter.where_sql();
    let order = order_by_sql(sort, direction);
    format!(
        "SELECT {USER_COLUMNS} FROM ( \
             SELECT u.id FROM users u WHERE {conditions} \
             ORDER BY {order} LIMIT :limit OFFSET :offset \
         ) AS page JOIN users u ON u.id = page.id \
         ORDER BY {order}"
    )
}

/// Returns the SQL that counts the users that `filter` matches.
pub fn count_sql(filter: &ListFilter) -> String {
    format!("SELECT count(*) FROM users u WHERE {}", filter.where_sql())
}

/// Returns the SQL of the ids of the users that `filter` matches in the list's default
/// order (username key, then id), at most `:limit` of them.
pub fn matching_ids_in_order_sql(filter: &ListFilter) -> String {
    format!(
        "SELECT u.id FROM users u WHERE {} ORDER BY u.username_key, u.id LIMIT :limit",
        filter.where_sql()
    )
}

/// Returns one page of the users that `filter` matches in the order of `sort` and
/// `direction`.
pub fn sorted_page(
    connection: &Connection,
    filter: &ListFilter,
    sort: UserSort,
    direction: SortDirection,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<Vec<User>> {
    let params = FilterParams::new(filter);
    let mut pairs = params.pairs();
    pairs.push((":limit", &limit));
    pairs.push((":offset", &offset));
    let mut statement = connection.prepare_cached(&sorted_page_sql(filter, sort, direction))?;
    let rows = statement.query_map(pairs.as_slice(), user_from_row)?;
    rows.collect()
}

/// Counts the users that `filter` matches.
pub fn count(connection: &Connection, filter: &ListFilter) -> rusqlite::Result<i64> {
    let params = FilterParams::new(filter);
    let mut statement = connection.prepare_cached(&count_sql(filter))?;
    statement.query_row(params.pairs().as_slice(), |row| row.get(0))
}

/// Returns the ids of the users that `filter` matches in the list's default order, at most
/// `limit` of them.
pub fn matching_ids_in_order(
    connection: &Connection,
    filter: &ListFilter,
    limit: i64,
) -> rusqlite::Result<Vec<i64>> {
    let params = FilterParams::new(filter);
    let mut pairs = params.pairs();
    pairs.push((":limit", &limit));
    let mut statement = connection.prepare_cached(&matching_ids_in_order_sql(filter))?;
    let rows = statement.query_map(pairs.as_slice(), |row| row.get(0))?;
    rows.collect()
}
