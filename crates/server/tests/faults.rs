//! Guards the test-only fault injection: off by default, and with
//! `--enable-fault-injection` each kind of fault hits only the matching operation.

mod common;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::{TestApp, new_user};
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

fn faulty_app() -> TestApp {
    TestApp::start_with(|config| config.enable_fault_injection = true)
}

async fn add_fault(app: &TestApp, fault: serde_json::Value) {
    let response = app
        .send(Method::PUT, "/dev/faults", None, Some(fault))
        .await;
    assert_eq!(
        response.status,
        StatusCode::NO_CONTENT,
        "fault added: {}",
        response.body
    );
}

async fn user_total(app: &TestApp, admin: &str) -> u64 {
    let page = app.get("/users?per_page=1", Some(admin)).await;
    page.body["total"].as_u64().expect("a total")
}

#[tokio::test]
async fn faults_are_off_by_default() {
    let app = TestApp::start();

    let fault = json!({"method": "POST", "path": "/users", "kind": "error"});
    let response = app
        .send(Method::PUT, "/dev/faults", None, Some(fault))
        .await;

    assert_eq!(response.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn error_fault_fails_once_without_running() {
    let app = faulty_app();
    let admin = app.admin().await;
    let before = user_total(&app, &admin).await;
    add_fault(
        &app,
        json!({"method": "POST", "path": "/users", "kind": "error", "times": 1}),
    )
    .await;

    let listed = app.get("/users", Some(&admin)).await;
    let failed = app
        .post(
            "/users",
            Some(&admin),
            Some(new_user("faulty", "faulty@example.com")),
        )
        .await;
    let after_failure = user_total(&app, &admin).await;
    let retried = app
        .post(
            "/users",
            Some(&admin),
            Some(new_user("faulty", "faulty@example.com")),
        )
        .await;

    assert_eq!(
        listed.status,
        StatusCode::OK,
        "other operations are not hit"
    );
    assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(after_failure, before, "the failed request created nothing");
    assert_eq!(
        retried.status,
        StatusCode::CREATED,
        "the fault applied once"
    );
}

#[tokio::test]
async fn expire_session_fault_ends_session() {
    let app = faulty_app();
    let admin = app.admin().await;
    add_fault(
        &app,
        json!({"method": "PATCH", "path": "/users/{id}", "kind": "expire_session"}),
    )
    .await;

    let update = json!({
        "first_name": "Avery", "last_name": "Lindqvist",
        "email": "avery@example.com", "admin_level": "account_admin", "account_ids": [1],
    });
    let response = app
        .send(Method::PATCH, "/users/1", Some(&admin), Some(update))
        .await;
    let session = app.get("/session", Some(&admin)).await;

    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(session.status, StatusCode::NO_CONTENT, "the session ended");
}

#[tokio::test]
async fn delay_fault_waits_then_runs() {
    let app = faulty_app();
    add_fault(
        &app,
        json!({"method": "GET", "path": "/health", "kind": "delay", "delay_ms": 300}),
    )
    .await;

    let started = Instant::now();
    let response = app.get("/health", None).await;

    assert_eq!(response.status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn drop_fault_breaks_the_body() {
    let app = faulty_app();
    add_fault(
        &app,
        json!({"method": "GET", "path": "/roles", "kind": "drop"}),
    )
    .await;

    let request = Request::get("/api/v1/roles")
        .body(Body::empty())
        .expect("valid request");
    let response = app.router.clone().oneshot(request).await.expect("response");
    let body = response.into_body().collect().await;

    assert!(
        body.is_err(),
        "the body fails as a dropped connection would"
    );
}

#[tokio::test]
async fn invalid_fault_is_rejected() {
    let app = faulty_app();

    let fault = json!({"method": "POST", "path": "users", "kind": "delay", "delay_ms": 600000});
    let response = app
        .send(Method::PUT, "/dev/faults", None, Some(fault))
        .await;

    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    common::assert_error_fields(&response, &["delay_ms", "path"]);
}
