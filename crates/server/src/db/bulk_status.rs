//! Bulk status change: deactivates or reactivates many users in one IMMEDIATE transaction,
//! with the rules and side effects of the single-user changes in `user_changes`, and a
//! result line per user. A preview (dry run) makes the same changes and rolls them back, so
//! it reports exactly what an execution of the same selection would do at that moment.

use domain::{
    BULK_STATUS_MAX_USERS, BulkOutcome, BulkStatusResult, BulkUserResult, FieldErrors,
    StatusAction, User, UserStatus,
};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

use super::list_filter::{self, ListFilter};
use super::user_changes::{self, DeactivationBlock, NewInvitation};
use super::users;
use crate::error::AppError;
use crate::mail::BuildEmail;

/// Field of the 422 responses about the selection.
pub const SELECTION_FIELD: &str = "selection";

/// The users a bulk change is for.
pub enum Selection {
    /// These ids; duplicates count once.
    Ids(Vec<i64>),
    /// Every user the filter matches when the change runs.
    Matching(ListFilter),
}

/// A bulk change requested by the account admin `actor_id`.
pub struct BulkChange {
    pub actor_id: i64,
    pub action: StatusAction,
    pub selection: Selection,
    pub dry_run: bool,
}

/// A new invitation, made by the caller, for a user whom reactivation returns to invited.
/// `outbox_email` is set when the mailer is the outbox. Otherwise the caller sends the email
/// with `token` after the commit.
pub struct PreparedInvitation<T> {
    pub stored: NewInvitation,
    pub outbox_email: Option<BuildEmail>,
    pub token: T,
}

/// The result of [`run`]: the response body, and the users who were returned to invited
/// with the token of their new invitation (empty for a preview).
pub struct BulkOutput<T> {
    pub result: BulkStatusResult,
    pub invited: Vec<(User, T)>,
}

/// Runs `change`. `new_invitation` is called once for each user whom an execution returns to
/// invited, and never in a preview.
///
/// An empty selection, or one of more than [`BULK_STATUS_MAX_USERS`] users, is a 422 at
/// [`SELECTION_FIELD`].
pub fn run<T>(
    connection: &mut Connection,
    change: BulkChange,
    new_invitation: &mut dyn FnMut() -> Result<PreparedInvitation<T>, AppError>,
) -> Result<BulkOutput<T>, AppError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let (found, missing) = resolve(&transaction, &change.selection)?;
    let mut results = Vec::with_capacity(found.len() + missing.len());
    let mut invited = Vec::new();
    for user in found {
        let line = match change.action {
            StatusAction::Deactivate => {
                deactivate_one(&transaction, change.actor_id, user, change.dry_run)?
            }
            StatusAction::Reactivate => {
                let (line, invitation) = reactivate_one(&transaction, user, change.dry_run)?;
                if let Some(user) = invitation {
                    let prepared = new_invitation()?;
                    user_changes::store_invitation(
                        &transaction,
                        &user,
                        &prepared.stored,
                        prepared.outbox_email,
                    )?;
                    invited.push((user, prepared.token));
                }
                line
            }
        };
        results.push(line);
    }
    results.extend(missing.into_iter().map(not_found));
    if !change.dry_run {
        transaction.commit()?;
    }
    // Otherwise dropping the transaction rolls the preview's changes back.
    let changed = results
        .iter()
        .filter(|line| line.outcome == BulkOutcome::Changed)
        .count() as u64;
    let skipped = results.len() as u64 - changed;
    Ok(BulkOutput {
        result: BulkStatusResult {
            action: change.action,
            dry_run: change.dry_run,
            results,
            changed,
            skipped,
        },
        invited,
    })
}

/// Returns the selected users in the list's default order (username key, then id), and the
/// selected ids that no user has, in ascending order.
fn resolve(
    transaction: &Transaction<'_>,
    selection: &Selection,
) -> Result<(Vec<User>, Vec<i64>), AppError> {
    let max = BULK_STATUS_MAX_USERS;
    let (ids, missing) = match selection {
        Selection::Ids(ids) => {
            let mut ids = ids.clone();
            ids.sort_unstable();
            ids.dedup();
            if ids.is_empty() {
                return Err(selection_error("Select at least one user."));
            }
            if ids.len() > max {
                return Err(selection_error(&format!(
                    "{} users are selected, and one change can include at most {max}. \
                     Select fewer users.",
                    ids.len()
                )));
            }
            in_list_order(transaction, ids)?
        }
        Selection::Matching(filter) => {
            let limit = i64::try_from(max + 1).unwrap_or(i64::MAX);
            let ids = list_filter::matching_ids_in_order(transaction, filter, limit)?;
            if ids.is_empty() {
                return Err(selection_error(
                    "No users match the search and filters. Change them to select users.",
                ));
            }
            if ids.len() > max {
                return Err(selection_error(&format!(
                    "More than {max} users match the search and filters, and one change can \
                     include at most {max}. Narrow the search or filters."
                )));
            }
            (ids, Vec::new())
        }
    };
    let users = ids
        .into_iter()
        .map(|id| users::get(transaction, id))
        .collect::<Result<Vec<User>, AppError>>()?;
    Ok((users, missing))
}

fn selection_error(message: &str) -> AppError {
    AppError::Validation(FieldErrors::from([(
        SELECTION_FIELD.to_owned(),
        message.to_owned(),
    )]))
}

/// Splits sorted, distinct `ids` into the ids of users, in the list's default order, and the
/// ids that no user has.
fn in_list_order(
    transaction: &Transaction<'_>,
    ids: Vec<i64>,
) -> rusqlite::Result<(Vec<i64>, Vec<i64>)> {
    let mut statement =
        transaction.prepare_cached("SELECT username_key FROM users WHERE id = ?1")?;
    let mut keyed = Vec::with_capacity(ids.len());
    let mut missing = Vec::new();
    for id in ids {
        match statement
            .query_row([id], |row| row.get::<_, String>(0))
            .optional()?
        {
            Some(key) => keyed.push((key, id)),
            None => missing.push(id),
        }
    }
    keyed.sort_unstable();
    Ok((keyed.into_iter().map(|(_, id)| id).collect(), missing))
}

/// Deactivates `user` unless a rule skips them, and returns their line.
fn deactivate_one(
    transaction: &Transaction<'_>,
    actor_id: i64,
    user: User,
    dry_run: bool,
) -> Result<BulkUserResult, AppError> {
    if user.status == UserStatus::Deactivated {
        return Ok(line(
            &user,
            BulkOutcome::AlreadyInState,
            "Already deactivated.",
        ));
    }
    match user_changes::deactivation_block(transaction, actor_id, &user)? {
        Some(DeactivationBlock::Yourself) => {
            return Ok(line(
                &user,
                BulkOutcome::Yourself,
                "You can't deactivate yourself.",
            ));
        }
        Some(DeactivationBlock::LastAccountAdmin) => {
            return Ok(line(
                &user,
                BulkOutcome::LastAccountAdmin,
                "This user is the last active account admin, so nobody could manage users \
                 after deactivating them.",
            ));
        }
        None => {}
    }
    let after = user_changes::apply_deactivation(transaction, user.id)?;
    if dry_run {
        let message = "Will be deactivated: their sessions end and open invitations are cancelled.";
        return Ok(line(&user, BulkOutcome::Changed, message));
    }
    let message = "Deactivated: their sessions ended and open invitations were cancelled.";
    Ok(line(&after, BulkOutcome::Changed, message))
}

/// Reactivates `user` when they are deactivated, and returns their line and, for a user
/// returned to invited in an execution, the user, who then needs a new invitation.
fn reactivate_one(
    transaction: &Transaction<'_>,
    user: User,
    dry_run: bool,
) -> Result<(BulkUserResult, Option<User>), AppError> {
    if user.status != UserStatus::Deactivated {
        let message = format!("Already {}.", user.status.label().to_lowercase());
        return Ok((line(&user, BulkOutcome::AlreadyInState, &message), None));
    }
    let after = user_changes::apply_reactivation(transaction, user.id)?;
    let is_invited = after.status == UserStatus::Invited;
    let message = match (is_invited, dry_run) {
        (false, true) => "Will be reactivated.",
        (false, false) => "Reactivated.",
        (true, true) => {
            "Will return to invited, because they never set a password, and get a new \
             invitation email."
        }
        (true, false) => {
            "Returned to invited, because they never set a password. A new invitation email \
             is queued."
        }
    };
    let mut result = line(&after, BulkOutcome::Changed, message);
    if dry_run {
        result.status = Some(user.status);
    }
    let needs_invitation = is_invited && !dry_run;
    Ok((result, needs_invitation.then_some(after)))
}

fn line(user: &User, outcome: BulkOutcome, message: &str) -> BulkUserResult {
    BulkUserResult {
        id: user.id,
        username: Some(user.username.clone()),
        first_name: Some(user.first_name.clone()),
        last_name: Some(user.last_name.clone()),
        status: Some(user.status),
        outcome,
        message: message.to_owned(),
    }
}

fn not_found(id: i64) -> BulkUserResult {
    BulkUserResult {
        id,
        username: None,
        first_name: None,
        last_name: None,
        status: None,
        outcome: BulkOutcome::NotFound,
        message: "No user has this id.".to_owned(),
    }
}
