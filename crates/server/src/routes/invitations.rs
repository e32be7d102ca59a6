//! Invitations: resending one (account admins), and the set-password flow that the link
//! of an invitation email opens, which needs no sign-in.

use std::time::Instant;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::{
    InvitationAccept, InvitationDetails, InvitationLookup, InvitationSent, PasswordContext, User,
    UserStatus, field,
};
use rusqlite::TransactionBehavior;

use crate::auth::{self, AccountAdmin};
use crate::db::invitations::{self, Invitation, InvitationState};
use crate::db::user_changes::NewInvitation;
use crate::db::{self, outbox, users};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use crate::{clock, mail};

const UNKNOWN_TOKEN: &str = "This invitation link is not valid. Check that you opened the whole \
     link from the email. Ask your account admin to send a new invitation.";
const EXPIRED: &str =
    "This invitation link has expired. Ask your account admin to send a new invitation.";
const USED: &str = "This invitation link was already used to set a password. Sign in with your \
     username and password, or ask your account admin to send a new invitation.";
const REPLACED: &str = "This invitation link was replaced by a newer one. Use the link in the \
     latest email, or ask your account admin to send a new invitation.";
const REVOKED_BY_DEACTIVATION: &str = "This invitation was cancelled when the user was \
     deactivated. If you got a newer invitation email, use its link; otherwise ask your \
     account admin to send a new invitation.";
const USER_DEACTIVATED: &str = "This account is deactivated. Ask your account admin to \
     reactivate it and send a new invitation.";

/// A fresh invitation: the token for the link, and what is stored of it.
pub struct IssuedInvitation {
    pub token: String,
    pub stored: NewInvitation,
}

/// Makes a new random token and its expiry under the configured lifetime.
pub fn issue(state: &AppState) -> Result<IssuedInvitation, AppError> {
    let token = auth::generate_token()?;
    let now = db::unix_now();
    let stored = NewInvitation {
        token_hash: auth::hash_token(&token),
        created_at: now,
        expires_at: now + state.invitations.ttl_seconds,
    };
    Ok(IssuedInvitation { token, stored })
}

/// Sends the invitation email of `user` with the link of `issued`.
pub async fn send(state: &AppState, user: &User, issued: &IssuedInvitation) -> anyhow::Result<()> {
    let link = state.invitations.link(&issued.token);
    let email = mail::invitation_email(user, &link, issued.stored.expires_at);
    state.mailer.send(email).await
}

/// Returns the builder of the invitation email for `issued` when the mailer is the outbox,
/// so the caller stores the email in the transaction that stores the invitation. With SMTP
/// it returns `None`, and the caller sends the email after the commit.
pub fn outbox_email(state: &AppState, issued: &IssuedInvitation) -> Option<mail::BuildEmail> {
    if !state.mailer.stores_in_database() {
        return None;
    }
    let link = state.invitations.link(&issued.token);
    let expires_at = issued.stored.expires_at;
    Some(Box::new(move |user: &User| {
        mail::invitation_email(user, &link, expires_at)
    }))
}

/// Logs an invitation email that was stored in the outbox with its user, like the outbox
/// mailer logs the emails it stores.
pub fn log_stored_email(user: &User) {
    tracing::info!(recipient = %user.email, user_id = user.id, "email stored in the outbox");
}

/// Sends a new invitation to an invited user; their older links stop working.
pub async fn users_invitation_create(
    State(state): State<AppState>,
    AccountAdmin(admin): AccountAdmin,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<InvitationSent>, AppError> {
    let user = state
        .db
        .run(move |connection| users::get(connection, id))
        .await?;
    check_invited(&user)?;
    if let Err(wait) = state
        .limits
        .invitations
        .try_record(&id.to_string(), Instant::now())
    {
        let message = "Too many invitations were sent to this user. An invitation can be sent \
             once a minute and 10 times a day.";
        return Err(AppError::too_many_requests(message, wait));
    }
    let issued = issue(&state)?;
    let (token_hash, now, expires_at) = (
        issued.stored.token_hash.clone(),
        issued.stored.created_at,
        issued.stored.expires_at,
    );
    let build_email = outbox_email(&state, &issued);
    let is_email_in_outbox = build_email.is_some();
    let user = state
        .db
        .run(move |connection| {
            let transaction =
                connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let user = users::get(&transaction, id)?;
            check_invited(&user)?;
            invitations::issue(&transaction, id, &token_hash, now, expires_at)?;
            if let Some(build_email) = build_email {
                let email = build_email(&user);
                outbox::insert(&transaction, &email.recipient, &email.subject, &email.body)?;
            }
            transaction.commit()?;
            Ok(user)
        })
        .await?;
    if is_email_in_outbox {
        log_stored_email(&user);
    } else {
        send(&state, &user, &issued)
            .await
            .map_err(AppError::Internal)?;
    }
    tracing::info!(user_id = id, admin_id = admin.id, "invitation resent");
    Ok(Json(InvitationSent {
        recipient: user.email,
        expires_at: clock::rfc3339(expires_at),
    }))
}

fn check_invited(user: &User) -> Result<(), AppError> {
    if user.status == UserStatus::Invited {
        return Ok(());
    }
    let message = format!(
        "{} is {}, so there is no invitation to resend. Only invited users, who have not set \
         a password yet, can get a new invitation.",
        user.full_name(),
        user.status.label().to_lowercase()
    );
    Err(AppError::Conflict(domain::ApiError::new(message)))
}

/// Returns the user and expiry of a valid token, for the set-password page.
pub async fn invitations_lookup(
    State(state): State<AppState>,
    ApiJson(lookup): ApiJson<InvitationLookup>,
) -> Result<Json<InvitationDetails>, AppError> {
    let (user, invitation) = find_valid(&state, link_token_hash(&lookup.token)).await?;
    Ok(Json(InvitationDetails {
        username: user.username,
        first_name: user.first_name,
        last_name: user.last_name,
        email: user.email,
        password_min_chars: state.invitations.password_min_chars,
        expires_at: clock::rfc3339(invitation.expires_at),
    }))
}

/// Sets the password of the invitation's user, who becomes active; the link stops working.
pub async fn invitations_accept(
    State(state): State<AppState>,
    ApiJson(accept): ApiJson<InvitationAccept>,
) -> Result<StatusCode, AppError> {
    let token_hash = link_token_hash(&accept.token);
    let (user, _) = find_valid(&state, token_hash.clone()).await?;
    let context = PasswordContext {
        username: user.username.clone(),
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        email: user.email.clone(),
        min_chars: state.invitations.password_min_chars,
    };
    if let Err(message) = domain::validate_password(&accept.password, &context) {
        return Err(AppError::Validation(
            [(field::PASSWORD.to_owned(), message)].into(),
        ));
    }
    let password = accept.password;
    let password_hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await?
        .map_err(AppError::Internal)?;
    let accepted = state
        .db
        .run(move |connection| {
            invitations::accept(connection, &token_hash, &password_hash, db::unix_now())
        })
        .await?;
    // Another request may have used or revoked the link since it was looked up.
    check_state(accepted.as_ref())?;
    tracing::info!(user_id = user.id, "invitation accepted, password set");
    Ok(StatusCode::NO_CONTENT)
}

/// Returns the stored hash of the token of an invitation link. Surrounding whitespace, which
/// copying a link from an email often adds, is not part of the token.
fn link_token_hash(token: &str) -> String {
    auth::hash_token(token.trim())
}

/// Finds the invitation of `token_hash` and its user, or the 404 or 410 that explains why the
/// link does not work.
async fn find_valid(state: &AppState, token_hash: String) -> Result<(User, Invitation), AppError> {
    let found = state
        .db
        .run(move |connection| {
            let Some(invitation) = invitations::find(connection, &token_hash, db::unix_now())?
            else {
                return Ok(None);
            };
            let user = users::get(connection, invitation.user_id)?;
            Ok(Some((user, invitation)))
        })
        .await?;
    check_state(found.as_ref().map(|(_, invitation)| invitation))?;
    found.ok_or_else(|| AppError::NotFound(UNKNOWN_TOKEN.to_owned()))
}

fn check_state(invitation: Option<&Invitation>) -> Result<(), AppError> {
    let Some(invitation) = invitation else {
        return Err(AppError::NotFound(UNKNOWN_TOKEN.to_owned()));
    };
    let message = match invitation.state {
        InvitationState::Valid => return Ok(()),
        InvitationState::Expired => EXPIRED,
        InvitationState::Used => USED,
        InvitationState::Replaced => REPLACED,
        InvitationState::RevokedByDeactivation => REVOKED_BY_DEACTIVATION,
        InvitationState::UserDeactivated => USER_DEACTIVATED,
    };
    Err(AppError::Gone(message.to_owned()))
}
