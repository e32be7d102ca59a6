//! The filter of the users list (search, status, level, role and account) as SQL, and the
//! page of any filter in any sort order. The list and a bulk status change of all matching
//! users both use [`ListFilter`], so they match the same users.

use domain::{AdminLevel, SortDirection, User, UserSort, UserStatus};
use rusqlite::{Connection, ToSql};

use super::user_list::{PrefixEnd, Search, fts_phrase, matching_ids_sql};
use super::users::{USER_COLUMNS, user_from_row};

/// The filter of the users list. Every part that is set must match.
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
        self.conditions_sql(PageStrategy::Matches)
    }

    /// Returns the conditions of [`ListFilter::where_sql`] in the form that suits `strategy`:
    /// the role and account as lists of user ids to look up, or as a check of each user.
    fn conditions_sql(&self, strategy: PageStrategy) -> String {
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
        let role_lookup = "u.id IN (SELECT user_id FROM user_roles WHERE role_id = :role)";
        let role_check =
            "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role_id = :role)";
        let account_lookup =
            "u.id IN (SELECT user_id FROM user_accounts WHERE account_id = :account)";
        let account_check = "EXISTS (SELECT 1 FROM user_accounts a \
                             WHERE a.user_id = u.id AND a.account_id = :account)";
        let (role, account) = match strategy {
            // With both, the account's users are looked up and each is checked for the role,
            // because an organisation has far more accounts than roles, so an account is
            // expected to have fewer users than a role.
            PageStrategy::Matches if self.account.is_some() => (role_check, account_lookup),
            PageStrategy::Matches => (role_lookup, account_lookup),
            PageStrategy::SortIndex => (role_check, account_check),
        };
        if self.role.is_some() {
            conditions.push(role.to_owned());
        }
        if self.account.is_some() {
            conditions.push(account.to_owned());
        }
        if conditions.is_empty() {
            "1".to_owned()
        } else {
            conditions.join(" AND ")
        }
    }
}

/// The way a sorted page of a filtered list finds its users.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageStrategy {
    /// Find every match through the filters' indexes, then sort the matches: fast when few
    /// users match.
    Matches,
    /// Walk the index of the sort and check each user against the filter until the page is
    /// full: fast when many users match, because the page is then found after few users.
    SortIndex,
}

impl PageStrategy {
    /// Chooses the strategy that reads fewer users for the page that ends after `end` users,
    /// when `matches` of `all` users match. Walking the sort index reads about
    /// `end * all / matches` users, and finding the matches reads `matches`.
    pub fn choose(matches: i64, all: i64, end: i64) -> PageStrategy {
        let walked = i128::from(end) * i128::from(all);
        let found = i128::from(matches) * i128::from(matches);
        if walked < found {
            PageStrategy::SortIndex
        } else {
            PageStrategy::Matches
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

/// Returns the index whose order is that of `sort` in `direction`, ties by id included.
pub fn sort_index(sort: UserSort, direction: SortDirection) -> &'static str {
    match (sort, direction) {
        (UserSort::Username, _) => "users_username_key",
        (UserSort::Name, _) => "users_name_key",
        (UserSort::Email, _) => "users_email_key",
        (UserSort::Level, _) => "users_admin_level",
        (UserSort::Status, _) => "users_list_status_id",
        (UserSort::Created, _) => "users_created_at",
        (UserSort::LastSignIn, SortDirection::Asc) => "users_last_sign_in_asc",
        (UserSort::LastSignIn, SortDirection::Desc) => "users_last_sign_in_desc",
    }
}

/// Returns the ORDER BY terms of `sort` in `direction` on the users row `u`, ties broken by
/// id in the same direction. Each key is the expression of [`sort_index`], so SQLite can read
/// users in order instead of sorting them.
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

/// Returns the SQL of the ids of a page of the users that `filter` matches, sorted by `sort`
/// in `direction`, from `:offset` on and at most `:limit` of them, found by `strategy`.
pub fn sorted_ids_sql(
    filter: &ListFilter,
    sort: UserSort,
    direction: SortDirection,
    strategy: PageStrategy,
) -> String {
    let indexed_by = match strategy {
        PageStrategy::Matches => String::new(),
        PageStrategy::SortIndex => format!("INDEXED BY {}", sort_index(sort, direction)),
    };
    format!(
        "SELECT u.id FROM users u {indexed_by} WHERE {} ORDER BY {} \
         LIMIT :limit OFFSET :offset",
        filter.conditions_sql(strategy),
        order_by_sql(sort, direction)
    )
}

/// Returns the SQL of a page of the users that `filter` matches, sorted by `sort` in
/// `direction`: the users of [`sorted_ids_sql`], whose roles and accounts are read for the
/// page's users only. CROSS JOIN makes SQLite read the page first; otherwise it may walk the
/// whole sort index of the outer `users` to avoid sorting the page.
pub fn sorted_page_sql(
    filter: &ListFilter,
    sort: UserSort,
    direction: SortDirection,
    strategy: PageStrategy,
) -> String {
    let ids = sorted_ids_sql(filter, sort, direction, strategy);
    let order = order_by_sql(sort, direction);
    format!(
        "SELECT {USER_COLUMNS} FROM ({ids}) AS page CROSS JOIN users u ON u.id = page.id \
         ORDER BY {order}"
    )
}

/// Returns the SQL that counts the users that `filter` matches. Without a search, and with
/// a role or an account but not both, the count comes from `user_group_counts`, which the
/// database's triggers keep in step with the users, their roles and their accounts.
pub fn count_sql(filter: &ListFilter) -> String {
    let is_group_counted =
        filter.search.is_none() && !(filter.role.is_some() && filter.account.is_some());
    if !is_group_counted {
        return format!("SELECT count(*) FROM users u WHERE {}", filter.where_sql());
    }
    let mut conditions = vec![
        if filter.role.is_some() {
            "role_id = :role"
        } else {
            "role_id = ''"
        },
        if filter.account.is_some() {
            "account_id = :account"
        } else {
            "account_id = 0"
        },
    ];
    if filter.status.is_some() {
        conditions.push("list_status = :status");
    }
    if filter.level.is_some() {
        conditions.push("admin_level = :level");
    }
    format!(
        "SELECT coalesce(sum(count), 0) FROM user_group_counts WHERE {}",
        conditions.join(" AND ")
    )
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
/// `direction`, found by `strategy`.
pub fn sorted_page(
    connection: &Connection,
    filter: &ListFilter,
    (sort, direction): (UserSort, SortDirection),
    strategy: PageStrategy,
    limit: i64,
    offset: i64,
) -> rusqlite::Result<Vec<User>> {
    let params = FilterParams::new(filter);
    let mut pairs = params.pairs();
    pairs.push((":limit", &limit));
    pairs.push((":offset", &offset));
    let sql = sorted_page_sql(filter, sort, direction, strategy);
    let mut statement = connection.prepare_cached(&sql)?;
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
