//! The operations of the JSON API under `/api/v1`. [`OPERATIONS`] and the router are built
//! from one table, so the OpenAPI test can check the document against what is served.

mod bulk_status;
pub mod catalog;
mod dev;
mod invitations;
mod list_filter;
mod params;
mod session;
mod users;
mod write_headers;

use axum::Router;

use crate::error::AppError;
use crate::state::AppState;

pub use write_headers::{IDEMPOTENCY_KEY, IDEMPOTENT_REPLAYED, etag};

macro_rules! operations {
    ($($method:ident $path:literal => $handler:path;)*) => {
        /// Every operation as (lower-case method, path under `/api/v1`), in the order served.
        pub const OPERATIONS: &[(&str, &str)] = &[$((stringify!($method), $path)),*];

        /// Builds the router of every operation in [`OPERATIONS`].
        fn operation_routes() -> Router<AppState> {
            Router::new()$(.route($path, axum::routing::$method($handler)))*
        }
    };
}

operations! {
    get "/health" => catalog::health_get;
    get "/openapi.json" => catalog::openapi_get;
    post "/session" => session::session_create;
    get "/session" => session::session_get;
    delete "/session" => session::session_delete;
    get "/roles" => catalog::roles_list;
    get "/accounts" => catalog::accounts_list;
    get "/users" => users::users_list;
    post "/users" => users::users_create;
    post "/users/bulk-status" => bulk_status::users_bulk_status;
    get "/users/availability" => users::users_availability;
    get "/users/{id}" => users::users_get;
    patch "/users/{id}" => users::users_update;
    post "/users/{id}/deactivate" => users::users_deactivate;
    post "/users/{id}/reactivate" => users::users_reactivate;
    post "/users/{id}/invitation" => invitations::users_invitation_create;
    post "/invitations/lookup" => invitations::invitations_lookup;
    post "/invitations/accept" => invitations::invitations_accept;
}

/// Path of the test-only outbox, served only with `--expose-outbox` and so not in
/// [`OPERATIONS`] or the OpenAPI document.
pub const DEV_OUTBOX_PATH: &str = "/dev/outbox";

/// Builds the API router, to be nested under `/api/v1`, with the test-only outbox when
/// `expose_outbox` is set and the test-only fault table when `fault_injection` is set.
/// Unknown paths and methods get the JSON error body.
pub fn api_router(expose_outbox: bool, fault_injection: bool) -> Router<AppState> {
    let router = operation_routes();
    let router = if expose_outbox {
        router.route(DEV_OUTBOX_PATH, axum::routing::get(dev::outbox_list))
    } else {
        router
    };
    let router = if fault_injection {
        router.route(
            crate::faults::DEV_FAULTS_PATH,
            axum::routing::put(crate::faults::faults_add).delete(crate::faults::faults_clear),
        )
    } else {
        router
    };
    router
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(api_not_found)
}

/// Handler for unknown paths under `/api`.
pub async fn api_not_found() -> AppError {
    AppError::NotFound("No API operation has this path.".to_owned())
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}
