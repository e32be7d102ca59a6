//! Guards editing users: a full replacement of the changeable fields, an unchangeable
//! username, email uniqueness against other users only, and that the last active account
//! admin can't be demoted.

mod common;

use axum::http::{Method, StatusCode};
use common::{ADMIN_ID, PRIYA_ID, TestApp, VIEWER_ID, assert_error_fields};
use serde_json::{Value, json};

/// Edits user `id` with the `If-Match` of its current version.
async fn patch(app: &TestApp, cookie: &str, id: i64, body: Value) -> common::TestResponse {
    let etag = common::etag_of(app, cookie, id).await;
    app.send_with_headers(
        Method::PATCH,
        &format!("/users/{id}"),
        Some(cookie),
        &[("if-match", &etag)],
        Some(body),
    )
    .await
}

/// Returns the user's current fields as an update body.
async fn update_body(app: &TestApp, cookie: &str, id: i64) -> Value {
    let user = app.get(&format!("/users/{id}"), Some(cookie)).await.body;
    json!({
        "first_name": user["first_name"],
        "last_name": user["last_name"],
        "email": user["email"],
        "work_phone": user["work_phone"],
        "admin_level": user["admin_level"],
        "roles": user["roles"],
        "account_ids": user["account_ids"],
    })
}

#[tokio::test]
async fn update_replaces_fields() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let body = json!({
        "first_name": " Priya ",
        "last_name": "Raman-Iyer",
        "email": "priya.new@example.com",
        "work_phone": "",
        "admin_level": "account_admin",
        "roles": ["reporting"],
        "account_ids": [2],
    });

    let response = patch(&app, &admin, PRIYA_ID, body).await;

    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    let user = &response.body;
    assert_eq!(user["first_name"], "Priya", "trimmed");
    assert_eq!(user["last_name"], "Raman-Iyer", "last name");
    assert_eq!(user["email"], "priya.new@example.com", "email");
    assert_eq!(user["work_phone"], Value::Null, "empty phone removes it");
    assert_eq!(user["admin_level"], "account_admin", "promoted");
    assert_eq!(user["roles"], json!(["reporting"]), "roles replaced");
    assert_eq!(user["account_ids"], json!([2]), "accounts replaced");
    let stored = app.get(&format!("/users/{PRIYA_ID}"), Some(&admin)).await;
    assert_eq!(&stored.body, user, "the response is what is stored");
}

#[tokio::test]
async fn own_email_in_another_case_is_allowed() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let mut body = update_body(&app, &admin, PRIYA_ID).await;
    let email = body["email"].as_str().unwrap_or_default().to_uppercase();
    body["email"] = json!(email);

    let response = patch(&app, &admin, PRIYA_ID, body).await;

    assert_eq!(
        response.status,
        StatusCode::OK,
        "own email: {}",
        response.body
    );
    assert_eq!(response.body["email"], email, "stored as typed");
}

#[tokio::test]
async fn other_users_email_is_409() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let before = app.get(&format!("/users/{PRIYA_ID}"), Some(&admin)).await;
    let viewer = app.get(&format!("/users/{VIEWER_ID}"), Some(&admin)).await;
    let mut body = update_body(&app, &admin, PRIYA_ID).await;
    body["first_name"] = json!("Changed");
    body["email"] = json!(format!(
        " {} ",
        viewer.body["email"].as_str().unwrap_or_default()
    ));

    let response = patch(&app, &admin, PRIYA_ID, body).await;

    assert_eq!(
        response.status,
        StatusCode::CONFLICT,
        "body: {}",
        response.body
    );
    assert_error_fields(&response, &["email"]);
    assert_eq!(
        response.body["fields"]["email"], "Email already exists.",
        "message"
    );
    let after = app.get(&format!("/users/{PRIYA_ID}"), Some(&admin)).await;
    assert_eq!(after.body, before.body, "nothing changed");
}

#[tokio::test]
async fn username_cannot_change() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let user = app
        .get(&format!("/users/{PRIYA_ID}"), Some(&admin))
        .await
        .body;
    let username = user["username"].as_str().unwrap_or_default().to_owned();
    let mut body = update_body(&app, &admin, PRIYA_ID).await;

    body["username"] = json!(format!("{username}2"));
    let changed = patch(&app, &admin, PRIYA_ID, body.clone()).await;
    body["username"] = json!(username.to_uppercase());
    let other_case = patch(&app, &admin, PRIYA_ID, body.clone()).await;
    body["username"] = json!(format!("  {username} "));
    let same = patch(&app, &admin, PRIYA_ID, body).await;

    assert_eq!(
        changed.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        changed.body
    );
    assert_error_fields(&changed, &["username"]);
    assert_eq!(
        changed.body["fields"]["username"], "Username can't be changed.",
        "message"
    );
    assert_eq!(
        other_case.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "compared exactly"
    );
    assert_eq!(
        same.status,
        StatusCode::OK,
        "an equal username is ignored: {}",
        same.body
    );
    assert_eq!(same.body["username"], username, "username kept");
}

#[tokio::test]
async fn username_change_reported_with_other_mistakes() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let before = app.get(&format!("/users/{PRIYA_ID}"), Some(&admin)).await;
    let mut body = update_body(&app, &admin, PRIYA_ID).await;
    body["username"] = json!("someone.else");
    body["account_ids"] = json!([]);

    let response = patch(&app, &admin, PRIYA_ID, body).await;

    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    assert_error_fields(&response, &["account_ids", "username"]);
    let after = app.get(&format!("/users/{PRIYA_ID}"), Some(&admin)).await;
    assert_eq!(after.body, before.body, "nothing changed");
}

#[tokio::test]
async fn invalid_fields_are_422() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let mut body = update_body(&app, &admin, PRIYA_ID).await;
    body["email"] = json!("nope");
    body["account_ids"] = json!([]);
    let mut unknown = update_body(&app, &admin, PRIYA_ID).await;
    unknown["roles"] = json!(["no_such_role"]);

    let response = patch(&app, &admin, PRIYA_ID, body).await;
    let unknown_role = patch(&app, &admin, PRIYA_ID, unknown).await;

    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    assert_error_fields(&response, &["account_ids", "email"]);
    assert_eq!(
        unknown_role.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown role"
    );
    assert_error_fields(&unknown_role, &["roles"]);
}

#[tokio::test]
async fn last_active_admin_cannot_be_demoted() {
    let app = TestApp::start();
    let admin = app.admin().await;
    app.state
        .db
        .run(|connection| {
            connection.execute(
                "UPDATE users SET status = 'deactivated' \
                 WHERE admin_level = 'account_admin' AND id <> ?1",
                [ADMIN_ID],
            )?;
            Ok(())
        })
        .await
        .expect("other admins should be deactivated");
    let mut body = update_body(&app, &admin, ADMIN_ID).await;
    body["admin_level"] = json!("basic_user");

    let response = patch(&app, &admin, ADMIN_ID, body).await;

    assert_eq!(
        response.status,
        StatusCode::CONFLICT,
        "body: {}",
        response.body
    );
    let message = response.body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("last active account admin"),
        "message: {message}"
    );
    let stored = app.get(&format!("/users/{ADMIN_ID}"), Some(&admin)).await;
    assert_eq!(
        stored.body["admin_level"], "account_admin",
        "still an admin"
    );
}

#[tokio::test]
async fn admin_can_be_demoted_while_another_is_active() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let mut body = update_body(&app, &admin, ADMIN_ID).await;
    body["admin_level"] = json!("basic_user");

    let response = patch(&app, &admin, ADMIN_ID, body).await;
    let after = app.post("/users/2/deactivate", Some(&admin), None).await;

    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    assert_eq!(
        after.status,
        StatusCode::FORBIDDEN,
        "the demotion applies at once"
    );
}

#[tokio::test]
async fn basic_users_cannot_edit() {
    let app = TestApp::start();
    let viewer = app.viewer().await;
    let body = update_body(&app, &viewer, VIEWER_ID).await;

    let response = patch(&app, &viewer, VIEWER_ID, body).await;

    assert_eq!(
        response.status,
        StatusCode::FORBIDDEN,
        "body: {}",
        response.body
    );
}
