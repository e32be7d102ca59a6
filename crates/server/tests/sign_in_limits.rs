//! Guards the limits on failed sign-ins: per username and per client address, both
//! rejected with 429, the ApiError shape and Retry-After, and reset by a success.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{Request, StatusCode};
use common::{ADMIN_PASSWORD, TestApp};
use serde_json::json;
use tower::ServiceExt;

async fn sign_in(app: &TestApp, username: &str, password: &str) -> common::TestResponse {
    let body = json!({ "username": username, "password": password });
    app.post("/session", None, Some(body)).await
}

/// Signs in from `address`, as a request through a socket would carry it.
async fn sign_in_from(app: &TestApp, address: &str, username: &str) -> StatusCode {
    let address: SocketAddr = address.parse().expect("valid socket address");
    let body = json!({ "username": username, "password": "wrong password" }).to_string();
    let request = Request::post("/api/v1/session")
        .header(CONTENT_TYPE, "application/json")
        .header("x-requested-with", "console")
        .extension(ConnectInfo(address))
        .body(Body::from(body))
        .expect("valid request");
    let response = app
        .router
        .clone()
        .oneshot(request)
        .await
        .expect("router is infallible");
    response.status()
}

#[tokio::test]
async fn five_failures_per_username_give_429() {
    let app = TestApp::start();

    for attempt in 1..=5 {
        let response = sign_in(&app, "admin", "wrong password").await;
        assert_eq!(
            response.status,
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let blocked = sign_in(&app, "ADMIN", ADMIN_PASSWORD).await;
    let other_user = sign_in(&app, "viewer", common::VIEWER_PASSWORD).await;

    assert_eq!(
        blocked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    let retry_after = blocked
        .headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok());
    let seconds: u64 = retry_after.and_then(|v| v.parse().ok()).unwrap_or_default();
    assert!(
        (1..=900).contains(&seconds),
        "Retry-After in seconds: {retry_after:?}"
    );
    assert!(
        blocked.body["message"].is_string(),
        "ApiError shape: {}",
        blocked.body
    );
    assert_eq!(
        other_user.status,
        StatusCode::OK,
        "other usernames are not blocked"
    );
}

#[tokio::test]
async fn success_resets_the_username_count() {
    let app = TestApp::start();

    for _ in 0..4 {
        sign_in(&app, "admin", "wrong password").await;
    }
    let success = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    for _ in 0..4 {
        sign_in(&app, "admin", "wrong password").await;
    }
    let after = sign_in(&app, "admin", ADMIN_PASSWORD).await;

    assert_eq!(success.status, StatusCode::OK, "fifth attempt succeeds");
    assert_eq!(
        after.status,
        StatusCode::OK,
        "the count started again after the success"
    );
}

#[tokio::test]
async fn thirty_failures_per_address_give_429() {
    let app = TestApp::start();

    for attempt in 0..30 {
        let status = sign_in_from(&app, "192.0.2.7:5000", &format!("user{attempt}")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let blocked = sign_in_from(&app, "192.0.2.7:6000", "someone.else").await;
    let other_address = sign_in_from(&app, "192.0.2.8:5000", "someone.else").await;

    assert_eq!(
        blocked.as_u16(),
        429,
        "the address is blocked, whatever the port"
    );
    assert_eq!(
        other_address,
        StatusCode::UNAUTHORIZED,
        "other addresses are not blocked"
    );
}
