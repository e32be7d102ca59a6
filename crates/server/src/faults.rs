//! Test-only fault injection: make chosen API operations slow, fail with 500, drop the
//! connection, or find the session expired, so browser tests can check how the app copes.
//!
//! Off unless the server starts with `--enable-fault-injection`. Then `PUT /api/v1/dev/faults`
//! adds a fault and `DELETE /api/v1/dev/faults` removes them all; neither needs a sign-in and
//! neither is in the OpenAPI document. Never enable it on a server that people use.

use std::sync::Mutex;
use std::time::Duration;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use domain::ApiError;
use serde::{Deserialize, Serialize};

use crate::auth;
use crate::db::sessions;
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::state::AppState;

/// Path of the fault table under `/api/v1`.
pub const DEV_FAULTS_PATH: &str = "/dev/faults";

/// Maximum delay a fault may add: 60 seconds.
const MAX_DELAY_MS: u64 = 60_000;

/// The effect of a fault on a matching request.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// The request waits `delay_ms`, then runs normally.
    Delay,
    /// The request is not run and gets the JSON 500.
    Error,
    /// The request is not run; the response's status line is sent, then the connection
    /// closes before the body, so the client gets a network error.
    // NOTE: Chromium 156 sends the request again when a reused connection closes like this,
    // so a browser sees the drop only when the fault applies to every repeat (`times: 0`).
    Drop,
    /// The session of the request's cookie is ended before the request runs, so it gets the
    /// 401 of an expired session.
    ExpireSession,
}

/// One fault, as `PUT /api/v1/dev/faults` takes it.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// HTTP method to match, such as `POST`.
    pub method: String,
    /// Operation path under `/api/v1` as in the OpenAPI document, such as `/users/{id}`;
    /// a `{...}` segment matches any segment.
    pub path: String,
    pub kind: FaultKind,
    /// Milliseconds of a `delay` fault, 0 to 60000.
    #[serde(default)]
    pub delay_ms: u64,
    /// How many matching requests the fault applies to before it is removed; 0 means every
    /// one until `DELETE /api/v1/dev/faults`.
    #[serde(default)]
    pub times: u32,
}

/// The faults in force.
#[derive(Default)]
pub struct FaultTable {
    faults: Mutex<Vec<Fault>>,
}

impl FaultTable {
    /// Removes and returns the first fault that matches the request, or a copy of it when it
    /// applies to every request.
    fn take_match(&self, method: &Method, path: &str) -> Option<Fault> {
        let mut faults = self.faults.lock().unwrap_or_else(|e| e.into_inner());
        let index = faults.iter().position(|fault| {
            fault.method.eq_ignore_ascii_case(method.as_str()) && path_matches(&fault.path, path)
        })?;
        let fault = &mut faults[index];
        match fault.times {
            0 => Some(fault.clone()),
            1 => Some(faults.remove(index)),
            _ => {
                fault.times -= 1;
                Some(fault.clone())
            }
        }
    }
}

fn path_matches(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    pattern.len() == path.len()
        && pattern.iter().zip(&path).all(|(expected, actual)| {
            (expected.starts_with('{') && expected.ends_with('}')) || expected == actual
        })
}

/// Adds a fault. 422 when the method is not a valid HTTP method or the delay is too long.
pub async fn faults_add(
    State(state): State<AppState>,
    ApiJson(fault): ApiJson<Fault>,
) -> Result<StatusCode, AppError> {
    let Some(table) = &state.settings.faults else {
        return Err(AppError::NotFound("Fault injection is off.".to_owned()));
    };
    let mut errors = domain::FieldErrors::new();
    if Method::from_bytes(fault.method.as_bytes()).is_err() {
        errors.insert(
            "method".to_owned(),
            "Give an HTTP method such as POST.".to_owned(),
        );
    }
    if !fault.path.starts_with('/') {
        errors.insert(
            "path".to_owned(),
            "Give a path under /api/v1 starting with /.".to_owned(),
        );
    }
    if fault.delay_ms > MAX_DELAY_MS {
        errors.insert(
            "delay_ms".to_owned(),
            format!("The delay must be at most {MAX_DELAY_MS} ms."),
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    tracing::warn!(method = %fault.method, path = %fault.path, kind = ?fault.kind, "fault injected");
    table
        .faults
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(fault);
    Ok(StatusCode::NO_CONTENT)
}

/// Removes every fault.
pub async fn faults_clear(State(state): State<AppState>) -> StatusCode {
    if let Some(table) = &state.settings.faults {
        table
            .faults
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        tracing::info!("faults cleared");
    }
    StatusCode::NO_CONTENT
}

/// Applies the fault that matches the request, if any. Routed only with fault injection on.
pub async fn inject(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(table) = &state.settings.faults else {
        return next.run(request).await;
    };
    let path = request.uri().path().to_owned();
    if path.ends_with(DEV_FAULTS_PATH) {
        return next.run(request).await;
    }
    let Some(fault) = table.take_match(request.method(), &path) else {
        return next.run(request).await;
    };
    tracing::warn!(method = %request.method(), path, kind = ?fault.kind, "applying injected fault");
    match fault.kind {
        FaultKind::Delay => {
            tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
            next.run(request).await
        }
        FaultKind::Error => {
            let body = ApiError::new(
                "The server failed to handle the request (injected fault). Try again.",
            );
            (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
        }
        FaultKind::Drop => {
            let failing = futures_util::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::other("injected dropped connection"))
            });
            Response::new(Body::from_stream(failing))
        }
        FaultKind::ExpireSession => {
            if let Some(token) = auth::session_token(request.headers()) {
                let token_hash = auth::hash_token(&token);
                let ended = state
                    .db
                    .run(move |connection| Ok(sessions::delete(connection, &token_hash)?))
                    .await;
                if let Err(error) = ended {
                    return error.into_response();
                }
            }
            next.run(request).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_patterns_match_segments() {
        assert!(path_matches("/users/{id}", "/users/17"));
        assert!(path_matches("/users", "/users"));
        assert!(!path_matches("/users/{id}", "/users"));
        assert!(!path_matches("/users/{id}", "/users/17/deactivate"));
    }
}
