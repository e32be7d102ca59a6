//! The request headers that make writes safe to retry and to race: `Idempotency-Key` on
//! `POST /users`, and `If-Match` with the `ETag` of a user on the changes to that user.

use axum::http::header::IF_MATCH;
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use domain::User;
use sha2::{Digest, Sha256};

use crate::db::idempotency::IdempotencyKey;
use crate::error::AppError;

/// Request header that names one create, so a retry of it creates nothing new.
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
/// Response header set to `true` on an answer repeated for a known `Idempotency-Key`.
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
const KEY_MIN_CHARS: usize = 8;
const KEY_MAX_CHARS: usize = 128;

/// Reads the `Idempotency-Key` of a request by `admin_id` whose parsed body is `body`.
///
/// A key is 8 to 128 characters from `A-Z a-z 0-9 . _ : -`, which a UUID fits; anything else,
/// or the header sent twice, is a 400. The body is hashed as it was parsed, so a retry that
/// only spaces its JSON differently still matches.
pub fn idempotency_key(
    headers: &HeaderMap,
    admin_id: i64,
    body: &impl serde::Serialize,
) -> Result<Option<IdempotencyKey>, AppError> {
    let mut values = headers.get_all(&IDEMPOTENCY_KEY).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(AppError::BadRequest(
            "Send the Idempotency-Key header once.".to_owned(),
        ));
    }
    const FIX: &str = "Send a new random key, such as a UUID, for each new user.";
    let Ok(key) = value.to_str() else {
        return Err(AppError::BadRequest(format!(
            "Idempotency-Key must be ASCII: use only A-Z, a-z, 0-9 and . _ : -. {FIX}"
        )));
    };
    let key = key.trim();
    let is_allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-');
    if let Some(bad) = key.chars().find(|&c| !is_allowed(c)) {
        return Err(AppError::BadRequest(format!(
            "Idempotency-Key can't contain {bad:?}: use only A-Z, a-z, 0-9 and . _ : -. {FIX}"
        )));
    }
    let length = key.chars().count();
    if !(KEY_MIN_CHARS..=KEY_MAX_CHARS).contains(&length) {
        return Err(AppError::BadRequest(format!(
            "Idempotency-Key must be {KEY_MIN_CHARS} to {KEY_MAX_CHARS} characters long (it \
             has {length}). {FIX}"
        )));
    }
    let json = serde_json::to_vec(body).map_err(|error| AppError::Internal(error.into()))?;
    let request_hash = format!("{:x}", Sha256::digest(&json));
    Ok(Some(IdempotencyKey {
        admin_id,
        key: key.to_owned(),
        request_hash,
    }))
}

/// The `If-Match` header of a change to a user.
#[derive(Debug, PartialEq, Eq)]
pub enum IfMatch {
    Missing,
    /// `*`: any current version; the client overwrites deliberately.
    Any,
    /// The versions named by the listed entity tags.
    Versions(Vec<u64>),
}

impl IfMatch {
    /// Reads `If-Match`. Entity tags are compared strongly (RFC 9110, 13.1.1), so a weak tag
    /// (`W/"3"`) never matches. A value that is not a list of quoted tags is a 400.
    pub fn read(headers: &HeaderMap) -> Result<IfMatch, AppError> {
        let mut versions = Vec::new();
        let mut is_present = false;
        let mut is_any = false;
        for value in headers.get_all(IF_MATCH) {
            is_present = true;
            let text = value.to_str().map_err(|_| malformed_if_match())?;
            for tag in text.split(',').map(str::trim).filter(|tag| !tag.is_empty()) {
                // RFC 9110 allows `*` only as the whole field value.
                if tag == "*" {
                    if text.trim() != "*" || is_any || !versions.is_empty() {
                        return Err(malformed_if_match());
                    }
                    is_any = true;
                    continue;
                }
                if is_any {
                    return Err(malformed_if_match());
                }
                let (is_weak, quoted) = match tag.strip_prefix("W/") {
                    Some(quoted) => (true, quoted),
                    None => (false, tag),
                };
                let inner = quoted
                    .strip_prefix('"')
                    .and_then(|rest| rest.strip_suffix('"'))
                    .ok_or_else(malformed_if_match)?;
                // A tag this server never issued can't match; u64::MAX is no version.
                let version = if is_weak {
                    u64::MAX
                } else {
                    inner.parse().unwrap_or(u64::MAX)
                };
                versions.push(version);
            }
        }
        if !is_present {
            return Ok(IfMatch::Missing);
        }
        if is_any {
            return Ok(IfMatch::Any);
        }
        // An empty header names no tag at all, which is malformed rather than a stale version.
        if versions.is_empty() {
            return Err(malformed_if_match());
        }
        Ok(IfMatch::Versions(versions))
    }

    /// Returns the versions a change may find, `None` for `*`, or the 428 when `If-Match`
    /// is missing.
    pub fn required(self) -> Result<Option<Vec<u64>>, AppError> {
        match self {
            IfMatch::Missing => Err(AppError::PreconditionRequired(
                "Send the If-Match header with the ETag of the user as you read it (from GET \
                 /api/v1/users/{id}), or If-Match: * to overwrite whatever is stored."
                    .to_owned(),
            )),
            other => Ok(other.optional()),
        }
    }

    /// Returns the versions a change may find, or `None` when any version will do.
    pub fn optional(self) -> Option<Vec<u64>> {
        match self {
            IfMatch::Missing | IfMatch::Any => None,
            IfMatch::Versions(versions) => Some(versions),
        }
    }
}

fn malformed_if_match() -> AppError {
    AppError::BadRequest(
        "If-Match must be * or a list of quoted entity tags, such as If-Match: \"3\".".to_owned(),
    )
}

/// Returns the `ETag` of a user: its version in quotes.
pub fn etag(user: &User) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{}\"", user.version))
        .unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}
