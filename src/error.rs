//! The one error type of every request the app makes, built from the backend's JSON error body.

use std::fmt;

use domain::{ApiError, FieldErrors, User};

/// Failure of a request to the backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientError {
    /// The backend returned a non-2xx status with its JSON error body.
    Api { status: u16, error: ApiError },
    /// The request got no response: the backend is down, unreachable, or CORS rejected it.
    Network { detail: String },
    /// The response body was not the JSON the app expected.
    InvalidResponse { status: u16, detail: String },
    /// The browser could not build the request.
    InvalidRequest { detail: String },
    /// The backend rejected a change with 412 because someone else changed the user since it
    /// was read; `current` is the user as now stored.
    VersionConflict { error: ApiError, current: Box<User> },
    /// The app aborted the request because a newer one replaced it.
    Aborted,
}

impl ClientError {
    /// HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } | ClientError::InvalidResponse { status, .. } => {
                Some(*status)
            }
            ClientError::VersionConflict { .. } => Some(412),
            _ => None,
        }
    }

    /// Returns whether the backend rejected the request with 401 (no valid session).
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// Messages per field (JSON field name to message), empty unless the backend sent some.
    pub fn field_errors(&self) -> FieldErrors {
        match self {
            ClientError::Api { error, .. } => error.fields.clone(),
            _ => FieldErrors::new(),
        }
    }

    /// Sentence to show to people: the backend's message, or what went wrong on the way.
    pub fn message(&self) -> String {
        match self {
            ClientError::Api { error, .. } | ClientError::VersionConflict { error, .. } => {
                error.message.clone()
            }
            ClientError::Network { .. } => {
                "Can't reach the server. Check your connection and try again.".to_owned()
            }
            ClientError::InvalidResponse { status, .. } => {
                format!("The server sent a response the app can't read (HTTP {status}).")
            }
            ClientError::InvalidRequest { .. } => {
                "The browser could not send the request. Reload the page and try again.".to_owned()
            }
            ClientError::Aborted => "The request was cancelled.".to_owned(),
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Api { status, error } => write!(f, "HTTP {status}: {error}"),
            ClientError::VersionConflict { error, current } => {
                write!(f, "HTTP 412: {error} (now version {})", current.version)
            }
            ClientError::Network { detail } => write!(f, "network failure: {detail}"),
            ClientError::InvalidResponse { status, detail } => {
                write!(f, "invalid response body (HTTP {status}): {detail}")
            }
            ClientError::InvalidRequest { detail } => write!(f, "invalid request: {detail}"),
            ClientError::Aborted => f.write_str("request aborted"),
        }
    }
}

impl std::error::Error for ClientError {}
