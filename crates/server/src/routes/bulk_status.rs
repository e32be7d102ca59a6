//! `POST /users/bulk-status`: deactivates or reactivates many users in one request, or
//! previews it, with a result line per user.

use axum::Json;
use axum::extract::State;
use domain::{BulkOutcome, BulkSelection, BulkStatusRequest, BulkStatusResult};

use crate::auth::AccountAdmin;
use crate::db::bulk_status::{self, BulkChange, BulkOutput, PreparedInvitation, Selection};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::routes::invitations::{self, IssuedInvitation};
use crate::routes::list_filter;
use crate::state::AppState;

/// Runs a bulk status change. Users returned to invited by a reactivation get a new
/// invitation email through the same path as a single reactivation.
pub async fn users_bulk_status(
    State(state): State<AppState>,
    AccountAdmin(admin): AccountAdmin,
    ApiJson(request): ApiJson<BulkStatusRequest>,
) -> Result<Json<BulkStatusResult>, AppError> {
    let selection = match &request.selection {
        BulkSelection::Ids(ids) => Selection::Ids(ids.clone()),
        BulkSelection::Matching(filter) => {
            Selection::Matching(list_filter::from_user_filter(filter))
        }
    };
    let change = BulkChange {
        actor_id: admin.id,
        action: request.action,
        selection,
        dry_run: request.dry_run,
    };
    let db_state = state.clone();
    let BulkOutput {
        mut result,
        invited,
    } = state
        .db
        .run(move |connection| {
            if let Selection::Matching(filter) = &change.selection {
                let field = bulk_status::SELECTION_FIELD;
                list_filter::check_references(connection, filter, field, field)?;
            }
            let mut new_invitation = || {
                let issued = invitations::issue(&db_state)?;
                let outbox_email = invitations::outbox_email(&db_state, &issued);
                Ok(PreparedInvitation {
                    stored: issued.stored.clone(),
                    outbox_email,
                    token: issued,
                })
            };
            bulk_status::run(connection, change, &mut new_invitation)
        })
        .await?;
    log_result(&result, admin.id);
    for (user, issued) in invited {
        if let Err(message) = deliver_invitation(&state, &user, &issued, admin.id).await
            && let Some(line) = result.results.iter_mut().find(|line| line.id == user.id)
        {
            line.message = message;
        }
    }
    Ok(Json(result))
}

fn log_result(result: &BulkStatusResult, admin_id: i64) {
    if !result.dry_run {
        for line in &result.results {
            if line.outcome == BulkOutcome::Changed {
                let status = line.status.map(|status| status.as_str());
                tracing::info!(user_id = line.id, admin_id, status, "user status set");
            }
        }
    }
    tracing::info!(
        admin_id,
        action = ?result.action,
        dry_run = result.dry_run,
        changed = result.changed,
        skipped = result.skipped,
        "bulk status change"
    );
}

/// Counts a reactivation's invitation towards the resend limit and sends its email unless the
/// outbox already stored it. Returns the result line's message when sending fails.
async fn deliver_invitation(
    state: &AppState,
    user: &domain::User,
    issued: &IssuedInvitation,
    admin_id: i64,
) -> Result<(), String> {
    state
        .limits
        .invitations
        .record(&user.id.to_string(), std::time::Instant::now());
    if state.mailer.stores_in_database() {
        invitations::log_stored_email(user);
        return Ok(());
    }
    // NOTE: like a single reactivation, the change stays when the email fails. The failure is
    // logged and shown on the user's line, so the admin can resend the invitation.
    match invitations::send(state, user, issued).await {
        Ok(()) => {
            tracing::info!(
                user_id = user.id,
                admin_id,
                "invitation sent on reactivation"
            );
            Ok(())
        }
        Err(error) => {
            tracing::error!(
                user_id = user.id,
                error = ?error,
                "failed to send the invitation email on reactivation"
            );
            Err(
                "Returned to invited, because they never set a password, but the invitation \
                 email could not be sent. Resend the invitation from the user's page."
                    .to_owned(),
            )
        }
    }
}
