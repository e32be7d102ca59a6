//! Reference backend of the user console: the JSON API of docs/api.md over SQLite.
//!
//! [`AppState::open`] opens (and on first start seeds) the database; [`app`] builds the
//! router, which tests call directly.

pub mod auth;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
mod extract;
pub mod faults;
mod layers;
pub mod mail;
pub mod rate_limit;
pub mod routes;
pub mod security;
pub mod seed;
pub mod state;

use axum::Router;
use axum::routing::any;

pub use config::Config;
pub use routes::OPERATIONS;
pub use routes::catalog::OPENAPI_DOCUMENT;
pub use state::{AppState, Opened};

/// Builds the whole router: the API under `/api/v1`, the JSON 404 for any other `/api`
/// path, the app's files when a static directory is set, and the middleware around them.
pub fn app(state: AppState) -> Router {
    let router = Router::new()
        .nest(domain::API_PREFIX, api_router(&state))
        .route("/api", any(routes::api_not_found))
        .route("/api/{*rest}", any(routes::api_not_found));
    let router = match &state.settings.static_dir {
        Some(dir) => router.fallback_service(layers::static_files(dir)),
        None => router.fallback(page_not_found),
    };
    let router = layers::wrap(router, &state.settings);
    router.with_state(state)
}

/// Builds the API router with the cross-site check in front of every operation and, in
/// test mode, the fault injection behind it.
fn api_router(state: &AppState) -> Router<AppState> {
    let settings = &state.settings;
    let mut router = routes::api_router(settings.expose_outbox, settings.faults.is_some());
    if settings.faults.is_some() {
        tracing::warn!("fault injection is on: PUT /api/v1/dev/faults is served");
        router = router.layer(axum::middleware::from_fn_with_state(
            state.clone(),
            faults::inject,
        ));
    }
    router.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        security::reject_cross_site,
    ))
}

async fn page_not_found() -> error::AppError {
    error::AppError::NotFound(
        "Nothing is served at this path. Start the server with --static-dir to serve the app."
            .to_owned(),
    )
}
