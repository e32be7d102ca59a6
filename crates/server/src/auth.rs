//! Passwords, session tokens and cookies, and the extractors that require a signed-in user
//! or an account admin.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use domain::CurrentUser;
use sha2::{Digest, Sha256};

use crate::db::{self, sessions};
use crate::error::AppError;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "console_session";
/// Lifetime of a session from sign-in.
// NOTE: sessions do not slide, so a user working past 12 hours is asked to sign in again.
pub const SESSION_SECONDS: i64 = 12 * 60 * 60;
/// Characters of generated passwords: 64, so each random byte maps to one without bias.
const PASSWORD_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const GENERATED_PASSWORD_CHARS: usize = 20;

/// Hashes a password with Argon2id and a random salt, in PHC string form.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("failed to read random salt: {e}"))?;
    let salt =
        SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("failed to encode salt: {e}"))?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("failed to hash password: {e}"))?;
    Ok(hash.to_string())
}

/// Checks a password against a PHC hash. An unreadable hash matches no password.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Returns a random password of 20 characters (120 bits).
pub fn generate_password() -> anyhow::Result<String> {
    let mut bytes = [0u8; GENERATED_PASSWORD_CHARS];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("failed to read random bytes: {e}"))?;
    Ok(bytes
        .iter()
        .map(|&b| char::from(PASSWORD_ALPHABET[usize::from(b & 63)]))
        .collect())
}

/// Returns a new random 256-bit session token, hex-encoded.
pub fn generate_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("failed to read random bytes: {e}")))?;
    Ok(to_hex(&bytes))
}

/// Returns the hex SHA-256 of a token: the form stored in the sessions table.
pub fn hash_token(token: &str) -> String {
    to_hex(&Sha256::digest(token.as_bytes()))
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Returns the session token of the request's `console_session` cookie, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == SESSION_COOKIE && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// Builds the `Set-Cookie` value that stores `token`, or clears the cookie when `None`.
pub fn session_cookie(token: Option<&str>, secure: bool) -> String {
    let (value, max_age) = match token {
        Some(token) => (token, SESSION_SECONDS),
        None => ("", 0),
    };
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={value}; Max-Age={max_age}; Path=/; HttpOnly; SameSite=Strict{secure}"
    )
}

/// A request with a valid session of an active user.
pub struct SignedIn {
    pub user: CurrentUser,
    pub token_hash: String,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        find_signed_in(parts, state)
            .await?
            .ok_or_else(AppError::sign_in_required)
    }
}

/// `Option<SignedIn>` is `None` when the request has no valid session, so a handler can
/// respond without a sign-in. A failed database lookup is still an error.
impl OptionalFromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, AppError> {
        find_signed_in(parts, state).await
    }
}

/// Looks up the user of the request's session cookie. Returns `None` without a cookie, and
/// for an unknown, expired or ended session or a deactivated user.
async fn find_signed_in(parts: &Parts, state: &AppState) -> Result<Option<SignedIn>, AppError> {
    let Some(token) = session_token(&parts.headers) else {
        return Ok(None);
    };
    let token_hash = hash_token(&token);
    let lookup_hash = token_hash.clone();
    let user = state
        .db
        .run(move |connection| {
            Ok(sessions::find_user(
                connection,
                &lookup_hash,
                db::unix_now(),
            )?)
        })
        .await?;
    Ok(user.map(|user| SignedIn { user, token_hash }))
}

/// A signed-in account admin. Any other signed-in user gets 403.
pub struct AccountAdmin(pub CurrentUser);

impl FromRequestParts<AppState> for AccountAdmin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let signed_in =
            <SignedIn as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        if signed_in.user.is_account_admin() {
            Ok(AccountAdmin(signed_in.user))
        } else {
            Err(AppError::Forbidden)
        }
    }
}
