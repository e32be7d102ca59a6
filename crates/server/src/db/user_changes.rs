//! Changes to users: create, deactivate, reactivate (edits are in `user_edit`). Each runs in one IMMEDIATE
//! transaction, so its checks and writes see no other writer in between.

use domain::{AdminLevel, ApiError, FieldErrors, User, UserStatus, ValidNewUser, field};
use rusqlite::{Connection, ErrorCode, Transaction, TransactionBehavior, params};

use super::idempotency::{self, IdempotencyKey, Lookup, StoredResponse};
use super::users::{self, UserKeys};
use crate::db::invitations::{self, Revocation};
use crate::db::{self, catalog, outbox};
use crate::error::AppError;
use crate::mail::BuildEmail;

const SELF_DEACTIVATION: &str =
    "You can't deactivate yourself. Ask another account admin to do it.";
pub(crate) const LAST_ADMIN: &str = "This user is the last active account admin, so nobody could manage \
     users after deactivating them. Reactivate another account admin first.";

/// A new invitation: the hash of its token and its times in seconds since the Unix epoch.
#[derive(Clone)]
pub struct NewInvitation {
    pub token_hash: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// Everything a create writes, in one transaction: the user, with roles, accounts and
/// invitation, the stored answer for its `Idempotency-Key`, and the invitation email when
/// the mailer is the outbox.
pub struct NewUserWrite {
    pub user: ValidNewUser,
    pub keys: UserKeys,
    pub invitation: NewInvitation,
    pub idempotency: Option<IdempotencyKey>,
    /// Builds the invitation email from the stored user, for the outbox table.
    pub outbox_email: Option<BuildEmail>,
}

/// The result of a create.
#[derive(Debug)]
pub enum CreateOutcome {
    Created(User),
    /// The `Idempotency-Key` already answered this request; nothing was written.
    Replayed(StoredResponse),
}

/// The 422 message for an `Idempotency-Key` reused with another body.
pub const IDEMPOTENCY_KEY_REUSED: &str = "This Idempotency-Key was already used for a \
     different request body. Send a new key for a new user; reuse a key only to retry the \
     same request.";

/// Inserts a validated user as invited, with everything else of `write`, and returns it as
/// stored; or returns the stored answer when `write.idempotency` already has one.
///
/// The transaction is IMMEDIATE, so concurrent creates run one after another: a second
/// request with the same key finds the first one's answer, and a second user with the same
/// key gets a 409 from the checks below or, failing those, from the unique indexes.
pub fn insert(connection: &mut Connection, write: NewUserWrite) -> Result<CreateOutcome, AppError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let now = db::unix_now();
    if let Some(key) = &write.idempotency {
        match idempotency::find(&transaction, key, now)? {
            Lookup::Unused => {}
            Lookup::SameRequest(stored) => return Ok(CreateOutcome::Replayed(stored)),
            Lookup::OtherRequest => {
                return Err(AppError::Unprocessable(IDEMPOTENCY_KEY_REUSED.to_owned()));
            }
        }
    }
    let user = &write.user;
    check_references(&transaction, &user.roles, &user.account_ids)?;
    if let Some(conflict) = collisions(&transaction, &write.keys)? {
        return Err(conflict);
    }
    let created_at: String =
        transaction.query_row("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')", [], |row| {
            row.get(0)
        })?;
    let inserted = insert_row(
        &transaction,
        user,
        &write.keys,
        UserStatus::Active,
        None,
        &created_at,
    );
    let id = match inserted {
        Ok(id) => id,
        Err(error) if is_unique_violation(&error) => {
            let conflict = collisions(&transaction, &write.keys)?;
            return Err(conflict.unwrap_or_else(|| AppError::Internal(error.into())));
        }
        Err(error) => return Err(error.into()),
    };
    grant(&transaction, id, &user.roles, &user.account_ids)?;
    transaction.execute("UPDATE users SET is_invited = 1 WHERE id = ?1", [id])?;
    let invitation = &write.invitation;
    invitations::issue(
        &transaction,
        id,
        &invitation.token_hash,
        invitation.created_at,
        invitation.expires_at,
    )?;
    let stored = users::get(&transaction, id)?;
    if let Some(key) = &write.idempotency {
        let body =
            serde_json::to_string(&stored).map_err(|error| AppError::Internal(error.into()))?;
        let response = StoredResponse {
            user_id: id,
            status: 201,
            body,
        };
        idempotency::store(&transaction, key, &response, now)?;
    }
    if let Some(build_email) = write.outbox_email {
        let email = build_email(&stored);
        outbox::insert(&transaction, &email.recipient, &email.subject, &email.body)?;
    }
    transaction.commit()?;
    Ok(CreateOutcome::Created(stored))
}

/// Inserts the users row alone and returns its id.
pub(crate) fn insert_row(
    transaction: &Transaction<'_>,
    user: &ValidNewUser,
    keys: &UserKeys,
    status: UserStatus,
    password_hash: Option<&str>,
    created_at: &str,
) -> rusqlite::Result<i64> {
    let mut insert = transaction.prepare_cached(
        "INSERT INTO users (username, username_key, first_name, last_name, name_key, \
             last_name_key, email, email_key, work_phone, admin_level, status, password_hash, \
             created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    insert.execute(params![
        user.username,
        keys.username,
        user.first_name,
        user.last_name,
        users::name_key(&user.first_name, &user.last_name),
        users::last_name_key(&user.last_name),
        user.email,
        keys.email,
        user.work_phone,
        user.admin_level.as_str(),
        status.as_str(),
        password_hash,
        created_at,
    ])?;
    Ok(transaction.last_insert_rowid())
}

/// Checks that every role and account exists: 422 at `roles` or `account_ids` otherwise.
pub(crate) fn check_references(
    transaction: &Transaction<'_>,
    roles: &[String],
    account_ids: &[i64],
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    let unknown_roles = catalog::unknown_roles(transaction, roles)?;
    if !unknown_roles.is_empty() {
        let list = unknown_roles.join(", ");
        errors.insert(
            field::ROLES.to_owned(),
            format!("Unknown role: {list}. Pick from the list."),
        );
    }
    let unknown_accounts = catalog::unknown_accounts(transaction, account_ids)?;
    if !unknown_accounts.is_empty() {
        let list = unknown_accounts
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        errors.insert(
            field::ACCOUNT_IDS.to_owned(),
            format!("Unknown account id: {list}. Pick from the list."),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

pub(crate) fn grant(
    transaction: &Transaction<'_>,
    user_id: i64,
    roles: &[String],
    account_ids: &[i64],
) -> rusqlite::Result<()> {
    let mut insert_role =
        transaction.prepare_cached("INSERT INTO user_roles (user_id, role_id) VALUES (?1, ?2)")?;
    for role in roles {
        insert_role.execute(params![user_id, role])?;
    }
    let mut insert_account = transaction
        .prepare_cached("INSERT INTO user_accounts (user_id, account_id) VALUES (?1, ?2)")?;
    for account_id in account_ids {
        insert_account.execute(params![user_id, account_id])?;
    }
    Ok(())
}

/// Returns whether `error` is a unique index violation, or the abort of a trigger that
/// compares username keys with email keys (`crate::db::migrations`).
pub(crate) fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error(),
        Some(e) if e.code == ErrorCode::ConstraintViolation
            && (e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_TRIGGER)
    )
}

/// Returns the 409 that names each field of a new user whose key is taken, as a username,
/// an email, or across the two, or `None` when neither collides.
fn collisions(
    transaction: &Transaction<'_>,
    keys: &UserKeys,
) -> Result<Option<AppError>, AppError> {
    let mut fields = FieldErrors::new();
    if let Some(message) = users::username_conflict(transaction, &keys.username)? {
        fields.insert(field::USERNAME.to_owned(), message.to_owned());
    }
    if let Some(message) = users::email_conflict(transaction, &keys.email, None)? {
        fields.insert(field::EMAIL.to_owned(), message.to_owned());
    }
    if fields.is_empty() {
        return Ok(None);
    }
    Ok(Some(AppError::Conflict(ApiError::for_fields(fields))))
}

/// Deactivates user `target_id` on behalf of user `actor_id` and returns the user.
///
/// A user who is already deactivated is returned unchanged. Otherwise the user's sessions
/// end and their open invitations are revoked. Deactivating the actor themselves or the
/// last active account admin is a conflict, and a stale `expected_versions` is a 412.
pub fn deactivate(
    connection: &mut Connection,
    actor_id: i64,
    target_id: i64,
    expected_versions: Option<Vec<u64>>,
) -> Result<User, AppError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let user = users::check_version(
        users::get(&transaction, target_id)?,
        expected_versions.as_deref(),
    )?;
    if user.status == UserStatus::Deactivated {
        return Ok(user);
    }
    check_deactivation(&transaction, actor_id, &user)?;
    let user = apply_deactivation(&transaction, target_id)?;
    transaction.commit()?;
    Ok(user)
}

/// Deactivates user `target_id`, whose deactivation is allowed, and returns the user: their
/// sessions end and their open invitations are revoked.
pub(crate) fn apply_deactivation(
    transaction: &Transaction<'_>,
    target_id: i64,
) -> Result<User, AppError> {
    transaction.execute("DELETE FROM sessions WHERE user_id = ?1", [target_id])?;
    invitations::revoke_open(
        transaction,
        target_id,
        db::unix_now(),
        Revocation::Deactivation,
    )?;
    transaction.execute(
        "UPDATE users SET status = 'deactivated' WHERE id = ?1",
        [target_id],
    )?;
    users::get(transaction, target_id)
}

/// Reactivates user `target_id` and returns the user, and whether `invitation` was stored.
///
/// A user who is not deactivated is returned unchanged. A user who never set a password
/// returns to invited and gets `invitation` as their one open invitation, because
/// deactivation revoked the older ones. Its email is stored in the outbox in the same
/// transaction when `outbox_email` is given; otherwise the caller sends it after the commit.
/// A stale `expected_versions` is a 412.
pub fn reactivate(
    connection: &mut Connection,
    target_id: i64,
    expected_versions: Option<Vec<u64>>,
    invitation: &NewInvitation,
    outbox_email: Option<BuildEmail>,
) -> Result<(User, bool), AppError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let user = users::check_version(
        users::get(&transaction, target_id)?,
        expected_versions.as_deref(),
    )?;
    if user.status != UserStatus::Deactivated {
        return Ok((user, false));
    }
    let user = apply_reactivation(&transaction, target_id)?;
    let is_invited = user.status == UserStatus::Invited;
    if is_invited {
        store_invitation(&transaction, &user, invitation, outbox_email)?;
    }
    transaction.commit()?;
    Ok((user, is_invited))
}

/// Sets deactivated user `target_id` active again and returns the user. A user who never set
/// a password is then invited, and the caller stores a new invitation with
/// [`store_invitation`], because deactivation revoked the older ones.
pub(crate) fn apply_reactivation(
    transaction: &Transaction<'_>,
    target_id: i64,
) -> Result<User, AppError> {
    transaction.execute(
        "UPDATE users SET status = 'active' WHERE id = ?1",
        [target_id],
    )?;
    users::get(transaction, target_id)
}

/// Stores `invitation` as an open invitation of `user`, with its email in the outbox when
/// `outbox_email` is given.
pub(crate) fn store_invitation(
    transaction: &Transaction<'_>,
    user: &User,
    invitation: &NewInvitation,
    outbox_email: Option<BuildEmail>,
) -> Result<(), AppError> {
    invitations::issue(
        transaction,
        user.id,
        &invitation.token_hash,
        invitation.created_at,
        invitation.expires_at,
    )?;
    if let Some(build_email) = outbox_email {
        let email = build_email(user);
        outbox::insert(transaction, &email.recipient, &email.subject, &email.body)?;
    }
    Ok(())
}

/// The reason a deactivation that the user's status allows is rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DeactivationBlock {
    /// The user is the admin who requests it.
    Yourself,
    /// The user is the last active account admin.
    LastAccountAdmin,
}

/// Returns why `actor_id` can't deactivate `user`, who is not deactivated, or `None` when
/// they can.
pub(crate) fn deactivation_block(
    transaction: &Transaction<'_>,
    actor_id: i64,
    user: &User,
) -> rusqlite::Result<Option<DeactivationBlock>> {
    if user.id == actor_id {
        return Ok(Some(DeactivationBlock::Yourself));
    }
    if user.status == UserStatus::Active
        && user.admin_level == AdminLevel::AccountAdmin
        && other_active_admins(transaction, user.id)? == 0
    {
        return Ok(Some(DeactivationBlock::LastAccountAdmin));
    }
    Ok(None)
}

fn check_deactivation(
    transaction: &Transaction<'_>,
    actor_id: i64,
    user: &User,
) -> Result<(), AppError> {
    match deactivation_block(transaction, actor_id, user)? {
        None => Ok(()),
        Some(DeactivationBlock::Yourself) => {
            Err(AppError::Conflict(ApiError::new(SELF_DEACTIVATION)))
        }
        Some(DeactivationBlock::LastAccountAdmin) => {
            Err(AppError::Conflict(ApiError::new(LAST_ADMIN)))
        }
    }
}

/// Counts the active account admins other than `user_id`. Invited admins don't count,
/// because they can't sign in yet.
pub(crate) fn other_active_admins(
    transaction: &Transaction<'_>,
    user_id: i64,
) -> rusqlite::Result<i64> {
    transaction.query_row(
        "SELECT count(*) FROM users \
         WHERE admin_level = ?1 AND status = 'active' AND is_invited = 0 AND id <> ?2",
        params![AdminLevel::AccountAdmin.as_str(), user_id],
        |row| row.get(0),
    )
}
