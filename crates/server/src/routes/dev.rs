//! Test-only operations, routed only when the server runs with `--expose-outbox`.

use axum::Json;
use axum::extract::State;
use domain::OutboxMessage;
use serde::Deserialize;

use crate::db::outbox;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct OutboxParams {
    to: Option<String>,
}

/// Returns the stored emails, newest first, optionally only those to one address. It needs
/// no sign-in, so browser tests can read invitation links.
pub async fn outbox_list(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<OutboxParams>,
) -> Result<Json<Vec<OutboxMessage>>, AppError> {
    let messages = state
        .db
        .run(move |connection| Ok(outbox::list(connection, params.to.as_deref())?))
        .await?;
    Ok(Json(messages))
}
