//! Guards creating users: the stored form, uniqueness of username and email after
//! normalisation (also under concurrent requests), and per-field validation errors.

mod common;

use axum::http::StatusCode;
use axum::http::header::LOCATION;
use common::{TestApp, assert_error_fields, new_user};

#[tokio::test]
async fn create_returns_stored_user_and_location() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let response = app
        .post(
            "/users",
            Some(&admin),
            Some(new_user("  Kim.Lee ", "Kim.Lee@Example.com")),
        )
        .await;

    assert_eq!(
        response.status,
        StatusCode::CREATED,
        "body: {}",
        response.body
    );
    let user = &response.body;
    let id = user["id"].as_i64().expect("user should have an id");
    let location = response.headers.get(LOCATION).and_then(|l| l.to_str().ok());
    assert_eq!(
        location,
        Some(format!("/api/v1/users/{id}").as_str()),
        "Location header"
    );
    assert_eq!(
        user["username"], "Kim.Lee",
        "username is stored trimmed, case kept"
    );
    assert_eq!(
        user["email"], "Kim.Lee@Example.com",
        "email is stored trimmed, case kept"
    );
    assert_eq!(
        user["work_phone"], "+14155550199",
        "work phone is stored in E.164"
    );
    assert_eq!(
        user["status"], "invited",
        "new users are invited until they set a password"
    );
    assert_eq!(
        user["roles"],
        serde_json::json!(["ordering", "reporting"]),
        "roles"
    );
    assert_eq!(user["account_ids"], serde_json::json!([1, 2]), "accounts");

    let fetched = app.get(&format!("/users/{id}"), Some(&admin)).await;
    assert_eq!(
        fetched.status,
        StatusCode::OK,
        "created user should be readable"
    );
    assert_eq!(
        fetched.body, response.body,
        "GET returns what POST returned"
    );
}

#[tokio::test]
async fn create_rejects_username_differing_in_case_or_spaces() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let first = app
        .post(
            "/users",
            Some(&admin),
            Some(new_user("kim.lee", "a@example.com")),
        )
        .await;
    assert_eq!(
        first.status,
        StatusCode::CREATED,
        "first create: {}",
        first.body
    );

    for username in ["KIM.LEE", "  kim.lee  ", " Kim.Lee"] {
        let response = app
            .post(
                "/users",
                Some(&admin),
                Some(new_user(username, "other@example.com")),
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::CONFLICT,
            "duplicate {username:?}"
        );
        assert_error_fields(&response, &["username"]);
        assert_eq!(
            response.body["fields"]["username"],
            "Username already exists."
        );
    }
}

#[tokio::test]
async fn create_rejects_duplicate_email_on_email_only() {
    let app = TestApp::start();
    let admin = app.admin().await;
    // priya.raman@meridianhealth.example is seeded.
    let body = new_user("new.person", " PRIYA.RAMAN@meridianhealth.example ");

    let response = app.post("/users", Some(&admin), Some(body)).await;

    assert_eq!(
        response.status,
        StatusCode::CONFLICT,
        "body: {}",
        response.body
    );
    assert_error_fields(&response, &["email"]);
    assert_eq!(response.body["fields"]["email"], "Email already exists.");
}

#[tokio::test]
async fn create_names_both_fields_when_both_collide() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let body = new_user("priya.raman", "priya.raman@meridianhealth.example");

    let response = app.post("/users", Some(&admin), Some(body)).await;

    assert_eq!(
        response.status,
        StatusCode::CONFLICT,
        "body: {}",
        response.body
    );
    assert_error_fields(&response, &["email", "username"]);
}

#[tokio::test]
async fn create_with_deactivated_username_says_so() {
    let app = TestApp::start();
    let admin = app.admin().await;
    // amara.nwosu is seeded as deactivated.
    let response = app
        .post(
            "/users",
            Some(&admin),
            Some(new_user("Amara.Nwosu", "amara@example.com")),
        )
        .await;

    assert_eq!(
        response.status,
        StatusCode::CONFLICT,
        "body: {}",
        response.body
    );
    assert_error_fields(&response, &["username"]);
    assert_eq!(
        response.body["fields"]["username"], "This username belongs to a deactivated user.",
        "message should explain the username is held by a deactivated user"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_identical_creates_give_one_user() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let app = std::sync::Arc::new(app);

    let mut tasks = Vec::new();
    for _ in 0..20 {
        let app = app.clone();
        let admin = admin.clone();
        tasks.push(tokio::spawn(async move {
            let body = new_user("same.name", "same@example.com");
            app.post("/users", Some(&admin), Some(body)).await.status
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("task should finish"));
    }

    let created = statuses
        .iter()
        .filter(|&&s| s == StatusCode::CREATED)
        .count();
    let conflicts = statuses
        .iter()
        .filter(|&&s| s == StatusCode::CONFLICT)
        .count();
    assert_eq!(
        created, 1,
        "exactly one create should succeed: {statuses:?}"
    );
    assert_eq!(
        conflicts, 19,
        "every other create should conflict: {statuses:?}"
    );
}

#[tokio::test]
async fn create_reports_each_invalid_field() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let body = serde_json::json!({
        "username": "a b",
        "first_name": "  ",
        "last_name": "Ok",
        "email": "not-an-email",
        "work_phone": "555-0100",
        "admin_level": "basic_user",
        "roles": [],
        "account_ids": [],
    });

    let response = app.post("/users", Some(&admin), Some(body)).await;

    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "body: {}",
        response.body
    );
    assert_error_fields(
        &response,
        &[
            "account_ids",
            "email",
            "first_name",
            "username",
            "work_phone",
        ],
    );
    assert_eq!(response.body["fields"]["first_name"], "Enter a first name.");
}

#[tokio::test]
async fn create_rejects_unknown_role_and_account() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let mut body = new_user("new.person", "new.person@example.com");
    body["roles"] = serde_json::json!(["ordering", "time_travel"]);
    body["account_ids"] = serde_json::json!([1, 999]);

    let response = app.post("/users", Some(&admin), Some(body)).await;

    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "body: {}",
        response.body
    );
    assert_error_fields(&response, &["account_ids", "roles"]);
    let roles_message = response.body["fields"]["roles"]
        .as_str()
        .unwrap_or_default();
    assert!(
        roles_message.contains("time_travel"),
        "roles message names the role: {roles_message}"
    );
    let accounts_message = response.body["fields"]["account_ids"]
        .as_str()
        .unwrap_or_default();
    assert!(
        accounts_message.contains("999"),
        "accounts message names the id: {accounts_message}"
    );
}

#[tokio::test]
async fn create_with_malformed_json_is_400_with_error_shape() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let cases = [
        (Some("application/json"), "{\"username\": "),
        (Some("application/json"), "{\"username\": 5}"),
        (Some("text/plain"), "{}"),
        (None, "{}"),
    ];
    for (content_type, body) in cases {
        let response = app
            .send_raw(
                axum::http::Method::POST,
                "/api/v1/users",
                Some(&admin),
                content_type,
                Some(body.to_owned()),
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "body {body:?} as {content_type:?}"
        );
        assert_error_fields(&response, &[]);
    }
}
