//! Sign-in, the signed-in user, and sign-out.

use std::time::Instant;

use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::{CurrentUser, SignIn};

use crate::auth::{self, SignedIn};
use crate::db::{self, sessions};
use crate::error::AppError;
use crate::extract::{ApiJson, ClientAddress};
use crate::state::AppState;

/// The one message for every failed sign-in, so it does not tell which part was wrong.
const SIGN_IN_FAILED: &str = "The username or password is incorrect.";
const TOO_MANY_ATTEMPTS: &str = "Too many failed sign-in attempts.";

/// Signs in with a username and password and starts a new session.
///
/// Failed attempts are limited per username and per client address (see
/// [`crate::rate_limit`]); a success clears the username's count.
pub async fn session_create(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    ApiJson(sign_in): ApiJson<SignIn>,
) -> Result<Response, AppError> {
    let username_key = domain::username_key(&sign_in.username);
    let address_key = address.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    check_attempt_limits(&state, &username_key, &address_key)?;
    let user = match check_credentials(&state, sign_in).await {
        Ok(user) => user,
        Err(error) => {
            let now = Instant::now();
            state.limits.sign_in_usernames.record(&username_key, now);
            state.limits.sign_in_addresses.record(&address_key, now);
            return Err(error);
        }
    };
    state.limits.sign_in_usernames.reset(&username_key);
    let token = auth::generate_token()?;
    let token_hash = auth::hash_token(&token);
    let replaced = auth::session_token(&headers).map(|old| auth::hash_token(&old));
    let user_id = user.id;
    state
        .db
        .run(move |connection| {
            let now = db::unix_now();
            let expires_at = now + auth::SESSION_SECONDS;
            sessions::create(
                connection,
                &token_hash,
                replaced.as_deref(),
                user_id,
                now,
                expires_at,
            )?;
            Ok(())
        })
        .await?;
    tracing::info!(user_id, "user signed in");
    let cookie = auth::session_cookie(Some(&token), &state.settings);
    Ok(([(SET_COOKIE, cookie)], Json(user)).into_response())
}

/// Rejects a sign-in with 429 while its username or client address has too many recent
/// failures. The message is the same for both, so it reveals nothing about the username.
fn check_attempt_limits(
    state: &AppState,
    username_key: &str,
    address_key: &str,
) -> Result<(), AppError> {
    let now = Instant::now();
    let wait = [
        state
            .limits
            .sign_in_usernames
            .retry_after(username_key, now),
        state.limits.sign_in_addresses.retry_after(address_key, now),
    ]
    .into_iter()
    .flatten()
    .max();
    match wait {
        Some(wait) => {
            tracing::warn!(
                client = address_key,
                "sign-in rejected: too many failed attempts"
            );
            Err(AppError::too_many_requests(TOO_MANY_ATTEMPTS, wait))
        }
        None => Ok(()),
    }
}

/// Returns the user if the password matches an active user who has one. Unknown users are
/// checked against a dummy hash, so every failure takes about as long.
async fn check_credentials(state: &AppState, sign_in: SignIn) -> Result<CurrentUser, AppError> {
    let username_key = domain::username_key(&sign_in.username);
    let candidate = state
        .db
        .run(move |connection| Ok(sessions::sign_in_candidate(connection, &username_key)?))
        .await?;
    let dummy_hash = state.dummy_password_hash.clone();
    let (user, hash) = match candidate {
        Some(candidate) => (Some(candidate.user), Some(candidate.password_hash)),
        None => (None, None),
    };
    let password = sign_in.password;
    let matches = tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| dummy_hash.get_or_init(make_dummy_hash).clone());
        auth::verify_password(&password, &hash)
    })
    .await?;
    match user {
        Some(user) if matches => Ok(user),
        _ => Err(AppError::Unauthorized(SIGN_IN_FAILED.to_owned())),
    }
}

/// Hashes a random password. Should that fail, the empty hash matches no password and only
/// the timing of failed sign-ins is affected, so the error is logged and not returned.
fn make_dummy_hash() -> String {
    let hash = auth::generate_password().and_then(|password| auth::hash_password(&password));
    hash.unwrap_or_else(|error| {
        tracing::error!(error = ?error, "failed to make the dummy password hash");
        String::new()
    })
}

/// Returns the signed-in user, or 204 when the request has no valid session.
///
/// Having no session is a normal result of "who is signed in?" and not an error status,
/// because browsers log every 4xx response in the console, and the app sends this request
/// whenever it starts on a page that needs a sign-in.
pub async fn session_get(signed_in: Option<SignedIn>) -> Response {
    match signed_in {
        Some(signed_in) => Json(signed_in.user).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}

/// Ends the session on the server, if the request has one, and clears the cookie.
///
/// Signing out is idempotent. Without a cookie, or with an expired or unknown one, the
/// response is the same 204, so a client never has to handle a failed sign-out.
pub async fn session_delete(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Some(token) = auth::session_token(&headers) {
        let token_hash = auth::hash_token(&token);
        let user_id = state
            .db
            .run(move |connection| {
                let user_id = sessions::find_user(connection, &token_hash, db::unix_now())?
                    .map(|user| user.id);
                sessions::delete(connection, &token_hash)?;
                Ok(user_id)
            })
            .await?;
        match user_id {
            Some(user_id) => tracing::info!(user_id, "user signed out"),
            None => tracing::info!("sign-out without a valid session"),
        }
    }
    let cookie = auth::session_cookie(None, &state.settings);
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cookie)]).into_response())
}
