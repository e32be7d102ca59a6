//! Passwords, session tokens and cookies, and the extractors that require a signed-in user
//! or an account admin.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
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

/// Memory cost of new password hashes in KiB (19 MiB), with [`ARGON2_ITERATIONS`] and
/// [`ARGON2_PARALLELISM`]: the minimum that the OWASP Password Storage Cheat Sheet gives for
/// Argon2id. RFC 9106's second recommended option (64 MiB, 3 passes, 4 lanes) costs about
/// five times as much CPU per sign-in.
// NOTE: these equal argon2 0.5's defaults; a stored hash keeps the parameters it was made
// with, so raising them later affects new passwords only.
pub const ARGON2_MEMORY_KIB: u32 = 19 * 1024;
pub const ARGON2_ITERATIONS: u32 = 2;
pub const ARGON2_PARALLELISM: u32 = 1;

/// Returns the Argon2id hasher of new passwords (version 0x13).
fn argon2() -> anyhow::Result<Argon2<'static>> {
    let params = Params::new(
        ARGON2_MEMORY_KIB,
        ARGON2_ITERATIONS,
        ARGON2_PARALLELISM,
        None,
    )
    .map_err(|e| anyhow::anyhow!("invalid Argon2 parameters: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password with Argon2id and a random 128-bit salt, in PHC string form.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("failed to read random salt: {e}"))?;
    let salt =
        SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("failed to encode salt: {e}"))?;
    let hash = argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("failed to hash password: {e}"))?;
    Ok(hash.to_string())
}

/// Checks a password against a PHC hash, with the parameters stored in the hash. An
/// unreadable hash matches no password.
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
/// The cookie is `SameSite=Strict` unless `--cross-site-cookies` sets `SameSite=None`.
pub fn session_cookie(token: Option<&str>, settings: &crate::state::HttpSettings) -> String {
    let (value, max_age) = match token {
        Some(token) => (token, SESSION_SECONDS),
        None => ("", 0),
    };
    let secure = if settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let same_site = if settings.cross_site_cookies {
        "None"
    } else {
        "Strict"
    };
    format!(
        "{SESSION_COOKIE}={value}; Max-Age={max_age}; Path=/; HttpOnly; SameSite={same_site}{secure}"
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_uses_stated_parameters() {
        let hash = hash_password("correct horse battery staple").expect("hash");

        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "Argon2id with 19 MiB, 2 passes, 1 lane: {hash}"
        );
        assert!(verify_password("correct horse battery staple", &hash));
        assert!(!verify_password("correct horse battery stapler", &hash));
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let first = generate_token().expect("token");
        let second = generate_token().expect("token");

        assert_eq!(first.len(), 64, "256 bits in hex");
        assert_ne!(first, second);
        assert_eq!(hash_token(&first).len(), 64, "SHA-256 in hex");
        assert_ne!(hash_token(&first), first);
    }
}
