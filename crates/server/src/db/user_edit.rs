//! Edits of a user's changeable fields, in one IMMEDIATE transaction. The username never
//! changes.

use domain::{AdminLevel, ApiError, FieldErrors, User, UserStatus, ValidUserUpdate, field};
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use super::user_changes::{self, check_references, grant, is_unique_violation};
use super::users::{self, EMAIL_TAKEN};
use crate::error::AppError;

pub const USERNAME_UNCHANGEABLE: &str = "Username can't be changed.";
const LAST_ADMIN_DEMOTION: &str = "This user is the last active account admin, so nobody could \
     manage users after changing their administration level. Make another user an account \
     admin first.";

/// Replaces the changeable fields of user `id` and returns the user as stored.
///
/// `validated` is the outcome of the field rules. `username` is the member the client sent,
/// if any: it must equal the stored username after trimming. Both kinds of mistake are
/// reported together (422). Demoting the last active account admin is refused (409), and an
/// email that another user has is refused (409 at `email`). Nothing changes on error.
pub fn update(
    connection: &mut Connection,
    id: i64,
    username: Option<&str>,
    validated: Result<ValidUserUpdate, FieldErrors>,
) -> Result<User, AppError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let stored = users::get(&transaction, id)?;
    let mut fields = validated.as_ref().err().cloned().unwrap_or_default();
    if username.is_some_and(|username| username.trim() != stored.username) {
        fields.insert(field::USERNAME.to_owned(), USERNAME_UNCHANGEABLE.to_owned());
    }
    let update = match validated {
        Ok(update) if fields.is_empty() => update,
        _ => return Err(AppError::Validation(fields)),
    };
    let update = &update;
    check_references(&transaction, &update.roles, &update.account_ids)?;
    check_demotion(&transaction, &stored, update.admin_level)?;
    match update_row(&transaction, id, update) {
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
            domain::normalize_key(&update.email),
            update.work_phone,
            update.admin_level.as_str(),
        ],
    )?;
    Ok(())
}
