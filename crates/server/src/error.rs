//! The one error type of the handlers and its JSON response, the `ApiError` body of the
//! domain crate. Internal causes are logged with the request's span, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::{ApiError, FieldErrors};

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
    /// 422: fields that break a rule, one message each.
    Validation(FieldErrors),
    /// 500: a failure of the server itself, whose cause goes to the log only.
    Internal(anyhow::Error),
}

impl AppError {
    pub fn sign_in_required() -> Self {
        AppError::Unauthorized("Sign in to continue.".to_owned())
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
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn into_body(self) -> ApiError {
        match self {
            AppError::BadRequest(message)
            | AppError::Unauthorized(message)
            | AppError::NotFound(message) => ApiError::new(message),
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
        if let AppError::Internal(cause) = &self {
            tracing::error!(%status, error = ?cause, "request failed");
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
        (status, Json(body)).into_response()
    }
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
