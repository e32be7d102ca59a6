//! Reads of users: one user, a page of the list, and whether a username is taken.

use domain::{AdminLevel, User, UserStatus};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::error::AppError;

pub const USERNAME_TAKEN: &str = "Username already exists.";
pub const USERNAME_DEACTIVATED: &str = "This username belongs to a deactivated user.";
pub const EMAIL_TAKEN: &str = "Email already exists.";
/// The status of user `u` as the API shows it, as SQL. The table stores `active` or
/// `deactivated`, and `is_invited` apart, so reactivation keeps whether a password was set.
macro_rules! status_sql {
    () => {
        "(CASE WHEN u.status = 'deactivated' THEN 'deactivated' \
         WHEN u.is_invited THEN 'invited' ELSE 'active' END)"
    };
}
/// Columns read by [`user_from_row`], in its order; `u` is the users table.
const USER_COLUMNS: &str = concat!(
    "u.id, u.username, u.first_name, u.last_name, u.email, u.work_phone, u.admin_level, ",
    status_sql!(),
    ", u.created_at, \
     (SELECT group_concat(role_id) FROM user_roles WHERE user_id = u.id), \
     (SELECT group_concat(account_id) FROM user_accounts WHERE user_id = u.id), \
     u.last_sign_in_at"
);

/// Search, filter and page of the users list, ready for SQL.
pub struct UserQuery {
    /// LIKE pattern with `\` as escape character, matched against lower-cased keys.
    pub pattern: Option<String>,
    pub status: Option<UserStatus>,
    pub limit: i64,
    pub offset: i64,
}

fn user_from_row(row: &Row<'_>) -> rusqlite::Result<User> {
    let admin_level: String = row.get(6)?;
    let status: String = row.get(7)?;
    let roles: Option<String> = row.get(9)?;
    let accounts: Option<String> = row.get(10)?;
    let mut roles: Vec<String> = roles
        .iter()
        .flat_map(|list| list.split(','))
        .map(String::from)
        .collect();
    roles.sort();
    let mut account_ids = accounts
        .iter()
        .flat_map(|list| list.split(','))
        .map(|id| {
            id.parse::<i64>()
                .map_err(|e| conversion_error(10, e.to_string()))
        })
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    account_ids.sort_unstable();
    Ok(User {
        id: row.get(0)?,
        username: row.get(1)?,
        first_name: row.get(2)?,
        last_name: row.get(3)?,
        email: row.get(4)?,
        work_phone: row.get(5)?,
        admin_level: AdminLevel::parse(&admin_level)
            .ok_or_else(|| conversion_error(6, format!("unknown admin level {admin_level:?}")))?,
        status: UserStatus::parse(&status)
            .ok_or_else(|| conversion_error(7, format!("unknown status {status:?}")))?,
        roles,
        account_ids,
        created_at: row.get(8)?,
        last_sign_in_at: row.get(11)?,
    })
}

fn conversion_error(column: usize, message: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, Type::Text, message.into())
}

pub fn get(connection: &Connection, id: i64) -> Result<User, AppError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = ?1");
    let user = connection.query_row(&sql, [id], user_from_row).optional()?;
    user.ok_or_else(|| AppError::user_not_found(id))
}

/// Returns one page of the users matching `query`, and how many match in all.
pub fn list(connection: &mut Connection, query: &UserQuery) -> rusqlite::Result<(Vec<User>, u64)> {
    const FILTER: &str = concat!(
        "(?1 IS NULL OR u.username_key LIKE ?1 ESCAPE '\\' \
         OR u.name_key LIKE ?1 ESCAPE '\\' OR u.email_key LIKE ?1 ESCAPE '\\') \
         AND (?2 IS NULL OR ",
        status_sql!(),
        " = ?2)"
    );
    // NOTE: a LIKE with a leading % scans the users table. That is fine for thousands of
    // users. Beyond that, a full-text index (SQLite FTS5) would be needed.
    // One read transaction, so the page and the total come from the same snapshot.
    let transaction = connection.transaction()?;
    let status = query.status.map(UserStatus::as_str);
    let total: i64 = transaction.query_row(
        &format!("SELECT count(*) FROM users u WHERE {FILTER}"),
        params![query.pattern, status],
        |row| row.get(0),
    )?;
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE {FILTER} \
         ORDER BY u.username_key, u.id LIMIT ?3 OFFSET ?4"
    );
    let mut statement = transaction.prepare(&sql)?;
    let rows = statement.query_map(
        params![query.pattern, status, query.limit, query.offset],
        user_from_row,
    )?;
    let users = rows.collect::<rusqlite::Result<Vec<User>>>()?;
    Ok((users, total.try_into().unwrap_or_default()))
}

/// Returns the status of the user whose username has this key, if there is one.
pub fn status_by_username_key(
    connection: &Connection,
    username_key: &str,
) -> rusqlite::Result<Option<UserStatus>> {
    let status: Option<String> = connection
        .query_row(
            "SELECT status FROM users WHERE username_key = ?1",
            [username_key],
            |row| row.get(0),
        )
        .optional()?;
    Ok(status.as_deref().and_then(UserStatus::parse))
}

/// The message for a username that is taken by a user with `status`.
pub fn username_taken_message(status: UserStatus) -> &'static str {
    match status {
        UserStatus::Active | UserStatus::Invited => USERNAME_TAKEN,
        UserStatus::Deactivated => USERNAME_DEACTIVATED,
    }
}
