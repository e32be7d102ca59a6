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
mod layers;
pub mod mail;
pub mod rate_limit;
pub mod routes;
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
        .nest(
            domain::API_PREFIX,
            routes::api_router(state.settings.expose_outbox),
        )
        .route("/api", any(routes::api_not_found))
        .route("/api/{*rest}", any(routes::api_not_found));
    let router = match &state.settings.static_dir {
        Some(dir) => router.fallback_service(layers::static_files(dir)),
        None => router.fallback(page_not_found),
    };
    let router = layers::wrap(router, &state.settings);
    router.with_state(state)
}

async fn page_not_found() -> error::AppError {
    error::AppError::NotFound(
        "Nothing is served at this path. Start the server with --static-dir to serve the app."
            .to_owned(),
    )
}
