//! Guards the 400 and 413 messages for bodies and parameters that can't be read. Each message
//! states what was wrong in plain words, names the field where there is one, and contains no
//! serde or Rust type names.

mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, TestResponse, assert_error_fields, new_user};
use serde_json::json;

fn message(response: &TestResponse) -> &str {
    response.body["message"].as_str().unwrap_or_default()
}

/// Asserts a 400 with the ApiError shape, no field messages, and no Rust or serde words.
fn assert_plain_400(response: &TestResponse, case: &str) {
    assert_eq!(
        response.status,
        StatusCode::BAD_REQUEST,
        "{case}: {}",
        response.body
    );
    assert_error_fields(response, &[]);
    let message = message(response);
    for internal in ["`", "i64", "struct ", "serde", "deserialize", "Failed to"] {
        assert!(
            !message.contains(internal),
            "{case}: {message:?} contains {internal:?}"
        );
    }
}

async fn create(app: &TestApp, admin: &str, body: &str) -> TestResponse {
    app.send_raw(
        Method::POST,
        "/api/v1/users",
        Some(admin),
        Some("application/json"),
        Some(body.to_owned()),
    )
    .await
}

#[tokio::test]
async fn unknown_member_is_named_with_expected_fields() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let mut body = new_user("new.user", "new.user@example.com");
    body["workphone"] = json!("+14155550100");

    let response = app.post("/users", Some(&admin), Some(body)).await;

    assert_plain_400(&response, "workphone");
    assert_eq!(
        message(&response),
        "The request has an unknown field \"workphone\". Expected: username, first_name, \
         last_name, email, work_phone, admin_level, roles, account_ids."
    );
    let listed = app.get("/users?q=new.user", Some(&admin)).await;
    assert_eq!(listed.body["total"], 0, "no user was created");
}

#[tokio::test]
async fn unknown_members_rejected_on_every_body() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let mut update = new_user("viewer", "viewer@example.com");
    update["id"] = json!(2);
    let cases = [
        (
            "/session",
            Method::POST,
            json!({"username": "a", "password": "b", "remember": true}),
            "remember",
        ),
        ("/users/2", Method::PATCH, update, "id"),
        (
            "/invitations/lookup",
            Method::POST,
            json!({"token": "x", "extra": 1}),
            "extra",
        ),
        (
            "/invitations/accept",
            Method::POST,
            json!({"token": "x", "password": "p", "pasword": "p"}),
            "pasword",
        ),
    ];
    for (path, method, body, member) in cases {
        let response = app.send(method, path, Some(&admin), Some(body)).await;
        assert_plain_400(&response, path);
        assert!(
            message(&response).contains(&format!("unknown field \"{member}\"")),
            "{path}: {}",
            message(&response)
        );
    }
}

#[tokio::test]
async fn body_shape_messages_are_plain() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let valid = new_user("new.user", "new.user@example.com");
    let without_email = {
        let mut body = valid.clone();
        body.as_object_mut().unwrap().remove("email");
        body.to_string()
    };
    let with = |member: &str, value: serde_json::Value| {
        let mut body = valid.clone();
        body[member] = value;
        body.to_string()
    };
    let cases = [
        (
            "[]".to_owned(),
            "The request body must be a JSON object with the fields: username,",
        ),
        ("\"text\"".to_owned(), "It is a string."),
        (String::new(), "The request body is empty."),
        (
            "{\"username\": ".to_owned(),
            "ends before its JSON is complete",
        ),
        (
            "{\"username\" \"a\"}".to_owned(),
            "not valid JSON: the error is at line 1, column",
        ),
        (
            without_email,
            "The request is missing the required field \"email\".",
        ),
        (
            with("account_ids", json!(["x"])),
            "The field \"account_ids[0]\" must be a whole number, not string \"x\".",
        ),
        (
            with("admin_level", json!("root")),
            "The field \"admin_level\" must be one of: basic_user, account_admin (it is \"root\").",
        ),
        (
            with("roles", json!("ordering")),
            "The field \"roles\" must be an array, not string \"ordering\".",
        ),
    ];
    for (body, expected) in cases {
        let response = create(&app, &admin, &body).await;
        assert_plain_400(&response, &body);
        assert!(
            message(&response).contains(expected),
            "{body}: {:?} should contain {expected:?}",
            message(&response)
        );
    }
}

#[tokio::test]
async fn mistyped_path_id_is_plain() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let response = app.get("/users/abc", Some(&admin)).await;

    assert_plain_400(&response, "/users/abc");
    assert_eq!(
        message(&response),
        "The id in the path must be a whole number (it is \"abc\")."
    );
}

#[tokio::test]
async fn duplicate_query_parameter_is_plain() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let response = app.get("/users?q=a&q=b", Some(&admin)).await;

    assert_plain_400(&response, "q twice");
    assert_eq!(
        message(&response),
        "The request has the query parameter \"q\" more than once. Send it once."
    );
}

#[tokio::test]
async fn oversized_body_is_413_with_the_limit() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let mut body = new_user("new.user", "new.user@example.com");
    body["first_name"] = json!("x".repeat(300 * 1024));

    let response = app.post("/users", Some(&admin), Some(body)).await;

    assert_eq!(
        response.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "body: {}",
        response.body
    );
    assert_error_fields(&response, &[]);
    assert!(
        message(&response).contains("limit of 256 KiB (262144 bytes)"),
        "states the limit: {}",
        message(&response)
    );
}
