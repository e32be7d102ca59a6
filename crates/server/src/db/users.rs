//! Reads of users: one user and whether a username is taken, and the keys that search
//! matches. The list is in `user_list`.

use domain::{AdminLevel, User, UserStatus};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row};

use crate::error::AppError;

pub const USERNAME_TAKEN: &str = "Username already exists.";
pub const USERNAME_DEACTIVATED: &str = "This username belongs to a deactivated user.";
pub const EMAIL_TAKEN: &str = "Email already exists.";
pub const USERNAME_USED_AS_EMAIL: &str =
    "This username is already used as another user's email. Choose another username.";
pub const EMAIL_USED_AS_USERNAME: &str =
    "This email is already used as another user's username. Enter another email.";
/// The status of user `u` as the API shows it, as SQL. The table stores `active` or
/// `deactivated`, and `is_invited` apart, so reactivation keeps whether a password was set.
macro_rules! status_sql {
    () => {
        "(CASE WHEN u.status = 'deactivated' THEN 'deactivated' \
         WHEN u.is_invited THEN 'invited' ELSE 'active' END)"
    };
}
/// How many columns [`USER_COLUMNS`] has.
pub(crate) const USER_COLUMN_COUNT: usize = 13;
/// Columns read by [`user_from_row`], in its order; `u` is the users table.
pub(crate) const USER_COLUMNS: &str = concat!(
    "u.id, u.username, u.first_name, u.last_name, u.email, u.work_phone, u.admin_level, ",
    status_sql!(),
    ", u.created_at, \
     (SELECT group_concat(role_id) FROM user_roles WHERE user_id = u.id), \
     (SELECT group_concat(account_id) FROM user_accounts WHERE user_id = u.id), \
     u.last_sign_in_at, u.version"
);

pub(crate) fn user_from_row(row: &Row<'_>) -> rusqlite::Result<User> {
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
        version: u64::try_from(row.get::<_, i64>(12)?).unwrap_or_default(),
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

/// Returns the `name_key` of a user: "first last" lower-cased, which search matches.
pub fn name_key(first_name: &str, last_name: &str) -> String {
    format!("{first_name} {last_name}").to_lowercase()
}

/// Returns the `last_name_key` of a user: the last name lower-cased, whose start a short
/// search matches.
pub fn last_name_key(last_name: &str) -> String {
    last_name.to_lowercase()
}

/// The query of [`status_by_username_key`], a lookup in the unique index on `username_key`.
pub const STATUS_BY_USERNAME_KEY_SQL: &str = "SELECT status FROM users WHERE username_key = ?1";
/// Counts the users with the email key `?1`, a lookup in the unique index on `email_key`.
pub const EMAIL_KEY_COUNT_SQL: &str = "SELECT count(*) FROM users WHERE email_key = ?1";

/// Returns the status of the user whose username has this key, if there is one.
pub fn status_by_username_key(
    connection: &Connection,
    username_key: &str,
) -> rusqlite::Result<Option<UserStatus>> {
    let status: Option<String> = connection
        .query_row(STATUS_BY_USERNAME_KEY_SQL, [username_key], |row| row.get(0))
        .optional()?;
    Ok(status.as_deref().and_then(UserStatus::parse))
}

/// The uniqueness keys of a user's username and email ([`domain::username_key`],
/// [`domain::email_key`]).
#[derive(Clone, Debug)]
pub struct UserKeys {
    pub username: String,
    pub email: String,
}

impl UserKeys {
    /// Computes the keys of a valid username and email, or the message for `email` when IDNA
    /// rejects its domain.
    pub fn new(username: &str, email: &str) -> Result<UserKeys, String> {
        Ok(UserKeys {
            username: domain::username_key(username),
            email: domain::email_key(email)?,
        })
    }

    /// Computes the keys of data known to be valid, such as the demo users, falling back to
    /// the folded email when IDNA rejects its domain.
    pub fn new_lenient(username: &str, email: &str) -> UserKeys {
        UserKeys {
            username: domain::username_key(username),
            email: domain::email_key(email).unwrap_or_else(|_| domain::fold_key(email)),
        }
    }
}

/// Returns why a username with this key can't be given to a new user: taken as a username
/// (by an active, invited or deactivated user), or equal to a user's email key.
pub fn username_conflict(
    connection: &Connection,
    username_key: &str,
) -> rusqlite::Result<Option<&'static str>> {
    if let Some(status) = status_by_username_key(connection, username_key)? {
        return Ok(Some(username_taken_message(status)));
    }
    let as_email: i64 =
        connection.query_row(EMAIL_KEY_COUNT_SQL, [username_key], |row| row.get(0))?;
    Ok((as_email > 0).then_some(USERNAME_USED_AS_EMAIL))
}

/// Returns why user `user_id` (or a new user, when `None`) can't have an email with this key:
/// another user has the email, or a username whose key equals it.
pub fn email_conflict(
    connection: &Connection,
    email_key: &str,
    user_id: Option<i64>,
) -> rusqlite::Result<Option<&'static str>> {
    let other_id = user_id.unwrap_or(0);
    let has_email: bool = connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE email_key = ?1 AND id <> ?2)",
        rusqlite::params![email_key, other_id],
        |row| row.get(0),
    )?;
    if has_email {
        return Ok(Some(EMAIL_TAKEN));
    }
    let has_username: bool = connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM users WHERE username_key = ?1 AND id <> ?2)",
        rusqlite::params![email_key, other_id],
        |row| row.get(0),
    )?;
    Ok(has_username.then_some(EMAIL_USED_AS_USERNAME))
}

/// The message for a username that is taken by a user with `status`.
pub fn username_taken_message(status: UserStatus) -> &'static str {
    match status {
        UserStatus::Active | UserStatus::Invited => USERNAME_TAKEN,
        UserStatus::Deactivated => USERNAME_DEACTIVATED,
    }
}

/// Returns `user` when `expected` (the versions an `If-Match` header named) is `None` or
/// contains the user's current version, and otherwise the 412 that carries the current user.
pub fn check_version(user: User, expected: Option<&[u64]>) -> Result<User, AppError> {
    match expected {
        Some(versions) if !versions.contains(&user.version) => {
            Err(AppError::PreconditionFailed(Box::new(user)))
        }
        _ => Ok(user),
    }
}
