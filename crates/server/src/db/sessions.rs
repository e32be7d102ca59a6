//! Sign-in lookups and the sessions table, which stores only SHA-256 hashes of tokens.

use domain::{AdminLevel, CurrentUser};
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

/// An active user who has a password, as needed to check a sign-in.
pub struct SignInCandidate {
    pub user: CurrentUser,
    pub password_hash: String,
}

const CURRENT_USER_COLUMNS: &str = "u.id, u.username, u.first_name, u.last_name, u.admin_level";

fn current_user_from_row(row: &Row<'_>) -> rusqlite::Result<CurrentUser> {
    let admin_level: String = row.get(4)?;
    Ok(CurrentUser {
        id: row.get(0)?,
        username: row.get(1)?,
        first_name: row.get(2)?,
        last_name: row.get(3)?,
        // An unknown level grants nothing.
        admin_level: AdminLevel::parse(&admin_level).unwrap_or(AdminLevel::BasicUser),
    })
}

/// Finds the active user with this username key who can sign in with a password.
pub fn sign_in_candidate(
    connection: &Connection,
    username_key: &str,
) -> rusqlite::Result<Option<SignInCandidate>> {
    let sql = format!(
        "SELECT {CURRENT_USER_COLUMNS}, u.password_hash FROM users u \
         WHERE u.username_key = ?1 AND u.status = 'active' AND u.is_invited = 0 \
             AND u.password_hash IS NOT NULL"
    );
    connection
        .query_row(&sql, [username_key], |row| {
            Ok(SignInCandidate {
                user: current_user_from_row(row)?,
                password_hash: row.get(5)?,
            })
        })
        .optional()
}

/// Stores a new session, ends the one it replaces (if any) and expired ones, and records
/// the sign-in time, all in one transaction.
pub fn create(
    connection: &mut Connection,
    token_hash: &str,
    replaced_token_hash: Option<&str>,
    user_id: i64,
    now: i64,
    expires_at: i64,
) -> rusqlite::Result<()> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    transaction.execute(
        "DELETE FROM sessions WHERE expires_at <= ?1 OR token_hash = ?2",
        params![now, replaced_token_hash],
    )?;
    transaction.execute(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) \
         VALUES (?1, ?2, ?3, ?4)",
        params![token_hash, user_id, now, expires_at],
    )?;
    transaction.execute(
        "UPDATE users SET last_sign_in_at = strftime('%Y-%m-%dT%H:%M:%SZ', ?1, 'unixepoch') \
         WHERE id = ?2",
        params![now, user_id],
    )?;
    transaction.commit()
}

/// Returns the user of an unexpired session whose user is still active.
pub fn find_user(
    connection: &Connection,
    token_hash: &str,
    now: i64,
) -> rusqlite::Result<Option<CurrentUser>> {
    let sql = format!(
        "SELECT {CURRENT_USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.status = 'active'"
    );
    connection
        .query_row(&sql, params![token_hash, now], current_user_from_row)
        .optional()
}

pub fn delete(connection: &Connection, token_hash: &str) -> rusqlite::Result<()> {
    connection.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}
