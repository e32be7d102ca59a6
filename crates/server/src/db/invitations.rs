//! The invitations table: single-use links to set a password, stored as SHA-256 hashes of
//! their tokens. Times are seconds since the Unix epoch.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::error::AppError;

/// The usability of an invitation at a given time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvitationState {
    /// The user can set a password with it.
    Valid,
    Expired,
    Used,
    /// A newer invitation replaced it.
    Replaced,
    /// The user was deactivated while it was open. It stays revoked after reactivation.
    RevokedByDeactivation,
    /// The user is deactivated now.
    UserDeactivated,
}

/// Reason for revoking open invitations. It is stored, so the message of a revoked link can
/// state why the link no longer works.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Revocation {
    /// A newer invitation was issued, or another one was used.
    Replaced,
    Deactivation,
}

/// An invitation found by its token hash.
pub struct Invitation {
    pub user_id: i64,
    pub expires_at: i64,
    pub state: InvitationState,
}

/// Stores a new invitation for `user_id` and revokes the user's open ones, so only the
/// newest link works. Call it inside the caller's transaction.
pub fn issue(
    connection: &Connection,
    user_id: i64,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> rusqlite::Result<()> {
    revoke_open(connection, user_id, now, Revocation::Replaced)?;
    connection.execute(
        "INSERT INTO invitations (user_id, token_hash, created_at, expires_at) \
         VALUES (?1, ?2, ?3, ?4)",
        params![user_id, token_hash, now, expires_at],
    )?;
    Ok(())
}

/// Revokes every unused, unrevoked invitation of `user_id`, recording `reason`.
pub fn revoke_open(
    connection: &Connection,
    user_id: i64,
    now: i64,
    reason: Revocation,
) -> rusqlite::Result<()> {
    connection.execute(
        "UPDATE invitations SET revoked_at = ?2, revoked_by_deactivation = ?3 \
         WHERE user_id = ?1 AND used_at IS NULL AND revoked_at IS NULL",
        params![user_id, now, reason == Revocation::Deactivation],
    )?;
    Ok(())
}

/// Finds the invitation of a token hash and decides its state at `now`.
pub fn find(
    connection: &Connection,
    token_hash: &str,
    now: i64,
) -> rusqlite::Result<Option<Invitation>> {
    let sql = "SELECT i.user_id, i.expires_at, i.used_at IS NOT NULL, i.revoked_at IS NOT NULL, \
         u.status = 'deactivated', i.revoked_by_deactivation \
         FROM invitations i JOIN users u ON u.id = i.user_id WHERE i.token_hash = ?1";
    connection
        .query_row(sql, [token_hash], |row| {
            let expires_at: i64 = row.get(1)?;
            // Checked in this order, so a used link is reported as used even after it expires.
            let state = if row.get::<_, bool>(4)? {
                InvitationState::UserDeactivated
            } else if row.get::<_, bool>(2)? {
                InvitationState::Used
            } else if row.get::<_, bool>(3)? && row.get::<_, bool>(5)? {
                InvitationState::RevokedByDeactivation
            } else if row.get::<_, bool>(3)? {
                InvitationState::Replaced
            } else if expires_at <= now {
                InvitationState::Expired
            } else {
                InvitationState::Valid
            };
            Ok(Invitation {
                user_id: row.get(0)?,
                expires_at,
                state,
            })
        })
        .optional()
}

/// Uses the invitation of `token_hash`: stores the password hash, makes the user active and
/// marks the invitation used, in one transaction. Returns the invitation as it was, so the
/// caller can report a state other than [`InvitationState::Valid`]; nothing changes then.
pub fn accept(
    connection: &mut Connection,
    token_hash: &str,
    password_hash: &str,
    now: i64,
) -> Result<Option<Invitation>, AppError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let invitation = find(&transaction, token_hash, now)?;
    let Some(valid) = invitation
        .as_ref()
        .filter(|i| i.state == InvitationState::Valid)
    else {
        return Ok(invitation);
    };
    transaction.execute(
        "UPDATE invitations SET used_at = ?2 WHERE token_hash = ?1",
        params![token_hash, now],
    )?;
    transaction.execute(
        "UPDATE users SET password_hash = ?2, is_invited = 0 WHERE id = ?1",
        params![valid.user_id, password_hash],
    )?;
    revoke_open(&transaction, valid.user_id, now, Revocation::Replaced)?;
    transaction.commit()?;
    Ok(invitation)
}
