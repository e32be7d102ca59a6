//! Middleware around the router: request ids, tracing, CORS, security headers, panics, the
//! body size limit, and the app's files.

use std::any::Any;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::header::{CONTENT_TYPE, ETAG, IF_MATCH, LOCATION};
use axum::http::{HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use domain::ApiError;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::routes::{IDEMPOTENCY_KEY, IDEMPOTENT_REPLAYED};
use crate::state::{AppState, HttpSettings};
use crate::{extract, security};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Serves the built app from `dir`; paths without a file get `index.html`, so the app's
/// router handles deep links such as `/users/new`.
pub fn static_files(dir: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")))
}

/// Wraps the router in its middleware. The request id is set first, so every log line of
/// a request, and its response, carry it. The security headers are added outside the panic
/// handler, so every response gets them, errors and files included.
pub fn wrap(router: Router<AppState>, settings: &Arc<HttpSettings>) -> Router<AppState> {
    let header_settings = Arc::clone(settings);
    let router = router
        .layer(DefaultBodyLimit::max(extract::MAX_BODY_BYTES))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(axum::middleware::map_response(
            move |mut response: Response<Body>| {
                header_settings.security_headers.apply(&mut response);
                std::future::ready(response)
            },
        ));
    let router = match cors(settings) {
        Some(cors) => router.layer(cors),
        None => router,
    };
    router
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// The span of one request. It names the path but not the query, which contains search text,
/// and no header besides the request id, so cookies stay out of the log.
fn request_span(request: &Request<Body>) -> tracing::Span {
    let request_id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|id| id.to_str().ok());
    tracing::info_span!(
        "request",
        request_id = request_id.unwrap_or("-"),
        method = %request.method(),
        path = request.uri().path(),
    )
}

/// Builds CORS with credentials for the allowed origins, or `None` when none is allowed.
fn cors(settings: &Arc<HttpSettings>) -> Option<CorsLayer> {
    if settings.allow_origins.is_empty() && !settings.allow_localhost_origins {
        return None;
    }
    let settings = Arc::clone(settings);
    let allow_origin =
        AllowOrigin::predicate(move |origin: &HeaderValue, _| settings.is_allowed_origin(origin));
    let layer = CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
        .allow_headers([
            CONTENT_TYPE,
            IF_MATCH,
            IDEMPOTENCY_KEY,
            security::REQUESTED_WITH,
        ])
        .expose_headers([LOCATION, ETAG, REQUEST_ID, IDEMPOTENT_REPLAYED]);
    Some(layer)
}

/// Logs a panic in a handler and turns it into the JSON 500.
fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response<Body> {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic payload");
    tracing::error!(panic = detail, "handler panicked");
    let body = ApiError::new(
        "The server failed to handle the request. Try again later; the request id identifies \
         the failure in the server log.",
    );
    let body = serde_json::to_vec(&body).unwrap_or_default();
    Response::builder()
        .status(StatusCode::INTERNAL_SERVER_ERROR)
        .header(CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap_or_default()
}
