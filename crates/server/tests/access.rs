//! Guards who may do what: without a session every operation but health, the OpenAPI
//! document, sign-in, the session check and sign-out is 401, and a basic user gets 403 on
//! every change.

mod common;

use axum::http::{Method, StatusCode};
use common::{PRIYA_ID, TestApp, assert_error_fields, new_user};

#[tokio::test]
async fn unauthenticated_requests_get_401_except_public_ones() {
    let app = TestApp::start();
    let cases = [
        (Method::GET, "/roles"),
        (Method::GET, "/accounts"),
        (Method::GET, "/users"),
        (Method::POST, "/users"),
        (Method::GET, "/users/availability?username=someone"),
        (Method::GET, "/users/1"),
        (Method::POST, "/users/3/deactivate"),
        (Method::POST, "/users/3/reactivate"),
    ];
    for (method, path) in cases {
        let body = (method == Method::POST).then(|| new_user("x.y", "x@example.com"));
        let response = app.send(method.clone(), path, None, body).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_error_fields(&response, &[]);
    }

    let session = app.get("/session", None).await;
    assert_eq!(
        session.status,
        StatusCode::NO_CONTENT,
        "the session check needs no session"
    );
    let sign_out = app.send(Method::DELETE, "/session", None, None).await;
    assert_eq!(
        sign_out.status,
        StatusCode::NO_CONTENT,
        "sign-out needs no session"
    );
    let health = app.get("/health", None).await;
    assert_eq!(health.status, StatusCode::OK, "health needs no session");
    assert_eq!(health.body["status"], "ok", "health body");
    let openapi = app.get("/openapi.json", None).await;
    assert_eq!(
        openapi.status,
        StatusCode::OK,
        "OpenAPI document needs no session"
    );
}

#[tokio::test]
async fn unknown_session_token_gets_401() {
    let app = TestApp::start();
    let cookie = "console_session=0000000000000000000000000000000000000000000000000000000000000000";

    let response = app.get("/users", Some(cookie)).await;

    assert_eq!(
        response.status,
        StatusCode::UNAUTHORIZED,
        "a made-up token is no session"
    );
}

#[tokio::test]
async fn basic_user_gets_403_on_every_change() {
    let app = TestApp::start();
    let viewer = app.viewer().await;

    let create = app
        .post(
            "/users",
            Some(&viewer),
            Some(new_user("x.y", "x@example.com")),
        )
        .await;
    assert_eq!(
        create.status,
        StatusCode::FORBIDDEN,
        "create by a basic user"
    );
    assert_error_fields(&create, &[]);
    let deactivate = app
        .post(
            &format!("/users/{PRIYA_ID}/deactivate"),
            Some(&viewer),
            None,
        )
        .await;
    assert_eq!(
        deactivate.status,
        StatusCode::FORBIDDEN,
        "deactivate by a basic user"
    );
    let reactivate = app.post("/users/7/reactivate", Some(&viewer), None).await;
    assert_eq!(
        reactivate.status,
        StatusCode::FORBIDDEN,
        "reactivate by a basic user"
    );
    let availability = app
        .get("/users/availability?username=free.name", Some(&viewer))
        .await;
    assert_eq!(
        availability.status,
        StatusCode::FORBIDDEN,
        "availability by a basic user"
    );

    let priya = app.get(&format!("/users/{PRIYA_ID}"), Some(&viewer)).await;
    assert_eq!(
        priya.body["status"], "active",
        "the refused deactivation changed nothing"
    );
    let list = app.get("/users?q=x.y", Some(&viewer)).await;
    assert_eq!(list.body["total"], 0, "the refused create stored nothing");
}

#[tokio::test]
async fn basic_user_can_read() {
    let app = TestApp::start();
    let viewer = app.viewer().await;

    for path in ["/session", "/roles", "/accounts", "/users", "/users/1"] {
        let response = app.get(path, Some(&viewer)).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "GET {path} by a basic user"
        );
    }
}

#[tokio::test]
async fn unknown_api_paths_get_json_404() {
    let app = TestApp::start();
    let admin = app.admin().await;

    for uri in [
        "/api/v1/nothing",
        "/api/v2/users",
        "/api",
        "/api/v1/users/1/delete",
    ] {
        let response = app
            .send_raw(Method::GET, uri, Some(&admin), None, None)
            .await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "GET {uri}");
        assert_error_fields(&response, &[]);
    }
    let missing_user = app.get("/users/99999", Some(&admin)).await;
    assert_eq!(missing_user.status, StatusCode::NOT_FOUND, "no such user");
    assert_error_fields(&missing_user, &[]);
}

#[tokio::test]
async fn every_response_has_a_request_id() {
    let app = TestApp::start();

    let ok = app.get("/health", None).await;
    let error = app.get("/users", None).await;

    assert!(
        ok.headers.contains_key("x-request-id"),
        "success carries x-request-id"
    );
    assert!(
        error.headers.contains_key("x-request-id"),
        "error carries x-request-id"
    );
}
