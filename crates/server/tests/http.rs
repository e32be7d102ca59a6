//! Guards the HTTP surroundings of the API: CORS for allowed origins only, and serving the
//! built app with index.html for deep links while /api paths keep their JSON errors.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::TestApp;
use tower::ServiceExt;

async fn preflight(app: &TestApp, origin: &str) -> axum::http::Response<Body> {
    let request = Request::builder()
        .method(Method::OPTIONS)
        .uri("/api/v1/users")
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .body(Body::empty())
        .unwrap();
    app.router.clone().oneshot(request).await.unwrap()
}

fn header<'a>(response: &'a axum::http::Response<Body>, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
}

#[tokio::test]
async fn cors_allows_listed_origin_with_credentials() {
    let app = TestApp::start_with(|config| {
        config.allow_origins = vec!["http://localhost:3000".to_owned()];
    });

    let allowed = preflight(&app, "http://localhost:3000").await;
    assert_eq!(
        header(&allowed, "access-control-allow-origin"),
        Some("http://localhost:3000"),
        "the listed origin is allowed"
    );
    assert_eq!(
        header(&allowed, "access-control-allow-credentials"),
        Some("true"),
        "credentials"
    );
    let methods = header(&allowed, "access-control-allow-methods").unwrap_or_default();
    assert!(
        methods.contains("POST") && methods.contains("DELETE"),
        "methods: {methods}"
    );
    let headers = header(&allowed, "access-control-allow-headers").unwrap_or_default();
    assert!(headers.contains("content-type"), "headers: {headers}");

    let other = preflight(&app, "http://localhost:3001").await;
    assert_eq!(
        header(&other, "access-control-allow-origin"),
        None,
        "other origins get no CORS"
    );
}

#[tokio::test]
async fn cors_test_mode_allows_any_localhost_port() {
    let app = TestApp::start_with(|config| config.allow_localhost_origins = true);

    for origin in ["http://127.0.0.1:45123", "http://localhost:8000"] {
        let response = preflight(&app, origin).await;
        assert_eq!(
            header(&response, "access-control-allow-origin"),
            Some(origin),
            "{origin}"
        );
    }
    for origin in [
        "http://example.com",
        "https://localhost:8000",
        "http://localhost.evil:80",
    ] {
        let response = preflight(&app, origin).await;
        assert_eq!(
            header(&response, "access-control-allow-origin"),
            None,
            "{origin}"
        );
    }
}

#[tokio::test]
async fn no_cors_without_allowed_origins() {
    let app = TestApp::start();

    let response = preflight(&app, "http://localhost:3000").await;

    assert_eq!(
        header(&response, "access-control-allow-origin"),
        None,
        "CORS is off by default"
    );
}

#[tokio::test]
async fn static_dir_serves_files_and_index_for_deep_links() {
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("index.html"), "<html>console</html>").unwrap();
    std::fs::write(site.path().join("app.js"), "console.log(1)").unwrap();
    let site_path = site.path().to_owned();
    let app = TestApp::start_with(|config| config.static_dir = Some(site_path));

    let cases = [
        ("/", "<html>console</html>"),
        ("/users/new", "<html>console</html>"),
        ("/app.js", "console.log(1)"),
    ];
    for (uri, expected) in cases {
        let response = app.send_raw(Method::GET, uri, None, None, None).await;
        assert_eq!(response.status, StatusCode::OK, "GET {uri}");
        assert_eq!(response.body, expected, "body of {uri}");
    }
    let api = app
        .send_raw(Method::GET, "/api/v1/nothing", None, None, None)
        .await;
    assert_eq!(
        api.status,
        StatusCode::NOT_FOUND,
        "unknown API paths are not the app"
    );
    assert!(
        api.body.get("message").is_some(),
        "and get the JSON error body: {}",
        api.body
    );
}
