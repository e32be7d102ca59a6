//! The one error type of the handlers and its JSON response, the `ApiError` body of the
//! domain crate. Internal causes are logged with the request's span, never sent.

use axum::Json;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::{ApiError, FieldErrors, User, VersionConflict};

/// Every way a request can fail.
#[derive(Debug)]
pub enum AppError {
    /// 400: the body, a query parameter or a path parameter could not be read.
    BadRequest(String),
    /// 401: no valid session, or a failed sign-in.
    Unauthorized(String),
    /// 403: the signed-in user may not make changes.
    Forbidden,
    /// 404: no such user or route.
    NotFound(String),
    /// 405: the path exists but not with this method.
    MethodNotAllowed,
    /// 409: a username or email is taken, or a deactivation would lock the organisation out.
    Conflict(ApiError),
    /// 410: an invitation link that expired, was used, was replaced, or was revoked by a
    /// deactivation.
    Gone(String),
    /// 422: fields that break a rule, one message each.
    Validation(FieldErrors),
    /// 422: the request as a whole can't be processed, such as an `Idempotency-Key` that was
    /// used for a different request.
    Unprocessable(String),
    /// 412: the `If-Match` version is not the user's current one; the body carries the
    /// current user and the response its `ETag`.
    PreconditionFailed(Box<User>),
    /// 428: a change that needs `If-Match` came without it.
    PreconditionRequired(String),
    /// 413: the request body is larger than [`crate::extract::MAX_BODY_BYTES`].
    PayloadTooLarge(String),
    /// 429: too many attempts; the client should wait `retry_after_seconds`.
    TooManyRequests {
        message: String,
        retry_after_seconds: u64,
    },
    /// 500: a failure of the server itself, whose cause goes to the log only.
    Internal(anyhow::Error),
}

/// Returns a wait in words, rounded up to whole minutes from one minute on.
fn describe_wait(seconds: u64) -> String {
    match seconds {
        1 => "1 second".to_owned(),
        2..=59 => format!("{seconds} seconds"),
        60 => "1 minute".to_owned(),
        _ => format!("{} minutes", seconds.div_ceil(60)),
    }
}

impl AppError {
    pub fn sign_in_required() -> Self {
        AppError::Unauthorized("Sign in to continue.".to_owned())
    }

    /// Builds a 429 that requests a wait of `wait`, rounded up to whole seconds. The message gets a
    /// sentence saying how long that is, e.g. "Try again in 15 minutes."
    pub fn too_many_requests(message: &str, wait: std::time::Duration) -> Self {
        let seconds = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
        AppError::TooManyRequests {
            message: format!("{message} Try again in {}.", describe_wait(seconds)),
            retry_after_seconds: seconds,
        }
    }

    pub fn user_not_found(id: i64) -> Self {
        AppError::NotFound(format!("User {id} was not found."))
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Validation(_) | AppError::Unprocessable(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            AppError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            AppError::PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn into_body(self) -> ApiError {
        match self {
            AppError::BadRequest(message)
            | AppError::Unauthorized(message)
            | AppError::NotFound(message)
            | AppError::Gone(message)
            | AppError::PayloadTooLarge(message)
            | AppError::TooManyRequests { message, .. }
            | AppError::Unprocessable(message)
            | AppError::PreconditionRequired(message) => ApiError::new(message),
            AppError::PreconditionFailed(_) => ApiError::new(VersionConflict::MESSAGE),
            AppError::Forbidden => ApiError::new("Only account admins can create or change users."),
            AppError::MethodNotAllowed => {
                ApiError::new("This path does not support that method; see the Allow header.")
            }
            AppError::Conflict(error) => error,
            AppError::Validation(fields) => ApiError::for_fields(fields),
            AppError::Internal(_) => ApiError::new(
                "The server failed to handle the request. Try again later; the request id \
                 identifies the failure in the server log.",
            ),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = match &self {
            AppError::TooManyRequests {
                retry_after_seconds,
                ..
            } => Some(retry_after_seconds.to_string()),
            _ => None,
        };
        if let AppError::Internal(cause) = &self {
            tracing::error!(%status, error = ?cause, "request failed");
        }
        if let AppError::PreconditionFailed(current) = self {
            return version_conflict_response(*current);
        }
        let body = self.into_body();
        match status {
            StatusCode::INTERNAL_SERVER_ERROR => {}
            // Body and parameter errors can quote what the client sent, passwords included.
            StatusCode::BAD_REQUEST => {
                tracing::info!(%status, "request rejected: unreadable input")
            }
            _ => tracing::info!(%status, error = %body, "request rejected"),
        }
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = retry_after.and_then(|s| HeaderValue::from_str(&s).ok()) {
            response.headers_mut().insert(RETRY_AFTER, seconds);
        }
        response
    }
}

/// Builds the 412 response: the error body with the current user, and the user's `ETag`.
fn version_conflict_response(current_user: User) -> Response {
    let status = StatusCode::PRECONDITION_FAILED;
    tracing::info!(%status, user_id = current_user.id, version = current_user.version, "request rejected: stale version");
    let etag = crate::routes::etag(&current_user);
    let body = VersionConflict {
        message: VersionConflict::MESSAGE.to_owned(),
        fields: FieldErrors::new(),
        current_user,
    };
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(axum::http::header::ETAG, etag);
    response
}

impl From<rusqlite::Error> for AppError {
    fn from(error: rusqlite::Error) -> Self {
        AppError::Internal(anyhow::Error::new(error).context("database query failed"))
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(error: tokio::task::JoinError) -> Self {
        AppError::Internal(anyhow::Error::new(error).context("blocking task failed"))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn too_many_requests_says_how_long_to_wait() {
        let cases = [
            (Duration::from_millis(300), "Try again in 1 second.", 1),
            (Duration::from_secs(42), "Try again in 42 seconds.", 42),
            (Duration::from_secs(60), "Try again in 1 minute.", 60),
            (Duration::from_secs(61), "Try again in 2 minutes.", 61),
            (Duration::from_secs(900), "Try again in 15 minutes.", 900),
        ];
        for (wait, sentence, seconds) in cases {
            let AppError::TooManyRequests {
                message,
                retry_after_seconds,
            } = AppError::too_many_requests("Too many attempts.", wait)
            else {
                panic!("too_many_requests builds a 429");
            };
            assert_eq!(
                message,
                format!("Too many attempts. {sentence}"),
                "wait {wait:?}"
            );
            assert_eq!(retry_after_seconds, seconds, "Retry-After for {wait:?}");
        }
    }
}
