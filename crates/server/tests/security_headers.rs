//! Guards the security headers on every kind of response: API results and errors, the app's
//! files and its deep links, and the Content-Security-Policy's hash of the inline loader.

mod common;

use axum::http::{HeaderMap, Method, StatusCode};
use base64::Engine;
use common::TestApp;
use sha2::{Digest, Sha256};

const LOADER: &str = "import init from '/console.js';\nawait init('/console_bg.wasm');";

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_else(|| panic!("the response should have {name}"))
}

fn assert_security_headers(headers: &HeaderMap, what: &str) {
    let policy = header(headers, "content-security-policy");
    for directive in [
        "default-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "style-src 'self'",
    ] {
        assert!(
            policy.contains(directive),
            "{what}: {directive} in {policy}"
        );
    }
    let script_src = policy
        .split(';')
        .map(str::trim)
        .find(|directive| directive.starts_with("script-src "))
        .unwrap_or_else(|| panic!("{what}: script-src in {policy}"));
    assert!(
        script_src.contains("'wasm-unsafe-eval'"),
        "{what}: wasm may compile: {script_src}"
    );
    assert!(
        !script_src.contains("'unsafe-inline'") && !script_src.contains("'unsafe-eval'"),
        "{what}: no unsafe script sources: {script_src}"
    );
    assert_eq!(
        header(headers, "x-content-type-options"),
        "nosniff",
        "{what}"
    );
    assert_eq!(header(headers, "x-frame-options"), "DENY", "{what}");
    assert_eq!(header(headers, "referrer-policy"), "no-referrer", "{what}");
    assert_eq!(
        header(headers, "cross-origin-opener-policy"),
        "same-origin",
        "{what}"
    );
    assert!(
        header(headers, "permissions-policy").contains("camera=()"),
        "{what}"
    );
}

fn app_with_site() -> (TestApp, tempfile::TempDir) {
    let site = tempfile::tempdir().expect("temporary directory");
    let index =
        format!("<html><head><script type=\"module\">{LOADER}</script></head><body></body></html>");
    std::fs::write(site.path().join("index.html"), index).expect("index.html");
    std::fs::write(site.path().join("app.css"), "body{}").expect("app.css");
    let site_path = site.path().to_owned();
    let app = TestApp::start_with(|config| config.static_dir = Some(site_path));
    (app, site)
}

#[tokio::test]
async fn every_response_kind_has_headers() {
    let (app, _site) = app_with_site();
    let admin = app.admin().await;

    let cases = [
        (Method::GET, "/api/v1/health", StatusCode::OK),
        (Method::GET, "/api/v1/users/999999", StatusCode::NOT_FOUND),
        (Method::GET, "/api/v1/nothing", StatusCode::NOT_FOUND),
        (
            Method::DELETE,
            "/api/v1/users/1",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (Method::GET, "/", StatusCode::OK),
        (Method::GET, "/users/new", StatusCode::OK),
        (Method::GET, "/app.css", StatusCode::OK),
    ];
    for (method, path, status) in cases {
        let response = app
            .send_raw(method.clone(), path, Some(&admin), None, None)
            .await;
        assert_eq!(response.status, status, "{method} {path}");
        assert_security_headers(&response.headers, &format!("{method} {path}"));
    }
}

#[tokio::test]
async fn policy_allows_the_inline_loader_by_hash() {
    let (app, _site) = app_with_site();

    let response = app.send_raw(Method::GET, "/", None, None, None).await;

    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(LOADER));
    let policy = header(&response.headers, "content-security-policy");
    assert!(
        policy.contains(&format!("'sha256-{hash}'")),
        "the loader's hash is allowed: {policy}"
    );
}

#[tokio::test]
async fn hsts_only_with_secure_cookies() {
    let plain = TestApp::start();
    let response = plain.get("/health", None).await;
    assert!(
        response.headers.get("strict-transport-security").is_none(),
        "no HSTS over plain HTTP"
    );

    let secure = TestApp::start_with(|config| config.secure_cookies = true);
    let response = secure.get("/health", None).await;
    assert!(
        header(&response.headers, "strict-transport-security").contains("max-age="),
        "HSTS when served over HTTPS"
    );
}
