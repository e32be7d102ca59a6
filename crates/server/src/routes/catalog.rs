//! Health, the OpenAPI document, and the roles and accounts that users can be granted.

use axum::Json;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use domain::{Account, Role};
use serde_json::{Value, json};

use crate::auth::SignedIn;
use crate::db::catalog;
use crate::error::AppError;
use crate::state::AppState;

/// The OpenAPI 3.0 document of every operation, written by hand.
pub const OPENAPI_DOCUMENT: &str = include_str!("../openapi.json");

pub async fn health_get() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn openapi_get() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], OPENAPI_DOCUMENT)
}

pub async fn roles_list(
    State(state): State<AppState>,
    _signed_in: SignedIn,
) -> Result<Json<Vec<Role>>, AppError> {
    let roles = state
        .db
        .run(|connection| Ok(catalog::roles_list(connection)?))
        .await?;
    Ok(Json(roles))
}

pub async fn accounts_list(
    State(state): State<AppState>,
    _signed_in: SignedIn,
) -> Result<Json<Vec<Account>>, AppError> {
    let accounts = state
        .db
        .run(|connection| Ok(catalog::accounts_list(connection)?))
        .await?;
    Ok(Json(accounts))
}
