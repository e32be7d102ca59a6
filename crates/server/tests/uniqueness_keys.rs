//! Guards the uniqueness keys of usernames and emails: case, full-width and composed or
//! decomposed forms collide, email domains compare in their IDNA form, a username can't
//! equal another user's email key (nor the reverse), and full-width usernames are rejected.

mod common;

use axum::http::{Method, StatusCode};
use common::{PRIYA_ID, TestApp, assert_error_fields, create_user, etag_of, new_user};
use serde_json::json;

#[tokio::test]
async fn full_width_username_rejected_with_hint() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let response = app
        .post(
            "/users",
            Some(&admin),
            Some(new_user("ａｄｍｉｎ２", "fw@example.com")),
        )
        .await;

    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = response.body["fields"]["username"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains("full-width \"ａ\"") && message.contains("Type \"a\" instead"),
        "{message}"
    );
    let availability = app
        .get("/users/availability?username=ａｄｍｉｎ", Some(&admin))
        .await;
    assert_eq!(availability.body["available"], false);
    assert_eq!(
        availability.body["message"],
        json!(message),
        "same rule, same message"
    );
}

#[tokio::test]
async fn email_variants_collide() {
    let app = TestApp::start();
    let admin = app.admin().await;
    create_user(&app, &admin, "ann.one", "ann@bücher.example").await;
    create_user(&app, &admin, "ann.two", "ann@example.com").await;
    let variants = [
        "ANN@Example.COM",
        "ann@ｅｘａｍｐｌｅ.com",
        "ann@xn--bcher-kva.example",
        "ann@bu\u{0308}cher.example",
        "Ann@BÜCHER.example",
    ];
    for (index, email) in variants.into_iter().enumerate() {
        let username = format!("ann.variant{index}");
        let response = app
            .post("/users", Some(&admin), Some(new_user(&username, email)))
            .await;
        assert_eq!(
            response.status,
            StatusCode::CONFLICT,
            "email {email:?}: {}",
            response.body
        );
        assert_error_fields(&response, &["email"]);
        assert_eq!(response.body["fields"]["email"], "Email already exists.");
    }
}

#[tokio::test]
async fn invalid_idna_domain_rejected_at_email() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let email = format!("ann@{}.example", "ü".repeat(60));

    let response = app
        .post("/users", Some(&admin), Some(new_user("ann.idna", &email)))
        .await;

    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    assert_error_fields(&response, &["email"]);
}

#[tokio::test]
async fn username_equal_to_other_email_rejected() {
    let app = TestApp::start();
    let admin = app.admin().await;
    create_user(&app, &admin, "bo.mail", "bo@example.com").await;

    let response = app
        .post(
            "/users",
            Some(&admin),
            Some(new_user("BO@example.com", "bo.other@example.com")),
        )
        .await;
    let availability = app
        .get("/users/availability?username=Bo@Example.com", Some(&admin))
        .await;

    assert_eq!(response.status, StatusCode::CONFLICT, "{}", response.body);
    assert_error_fields(&response, &["username"]);
    let message = response.body["fields"]["username"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains("already used as another user's email"),
        "{message}"
    );
    assert_eq!(availability.body["available"], false);
    assert_eq!(availability.body["message"], json!(message));
}

#[tokio::test]
async fn email_equal_to_other_username_rejected() {
    let app = TestApp::start();
    let admin = app.admin().await;
    create_user(&app, &admin, "cy@example.com", "cy.real@example.com").await;

    let created = app
        .post(
            "/users",
            Some(&admin),
            Some(new_user("cy.other", "CY@example.com")),
        )
        .await;

    assert_eq!(created.status, StatusCode::CONFLICT, "{}", created.body);
    assert_error_fields(&created, &["email"]);
    let message = created.body["fields"]["email"].as_str().unwrap_or_default();
    assert!(
        message.contains("already used as another user's username"),
        "{message}"
    );

    let priya = app
        .get(&format!("/users/{PRIYA_ID}"), Some(&admin))
        .await
        .body;
    let etag = etag_of(&app, &admin, PRIYA_ID).await;
    let edit = json!({
        "first_name": priya["first_name"],
        "last_name": priya["last_name"],
        "email": "Cy@Example.com",
        "admin_level": priya["admin_level"],
        "roles": priya["roles"],
        "account_ids": priya["account_ids"],
    });
    let edited = app
        .send_with_headers(
            Method::PATCH,
            &format!("/users/{PRIYA_ID}"),
            Some(&admin),
            &[("if-match", &etag)],
            Some(edit),
        )
        .await;
    assert_eq!(edited.status, StatusCode::CONFLICT, "{}", edited.body);
    assert_eq!(
        edited.body["fields"]["email"],
        json!(message),
        "edits check it too"
    );
}

#[tokio::test]
async fn own_username_may_equal_own_email() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let id = create_user(&app, &admin, "di@example.com", "di@example.com").await;
    assert!(id > 0);
}

#[tokio::test]
async fn sign_in_matches_username_key() {
    let app = TestApp::start();
    let body = json!({ "username": "ＡＤＭＩＮ", "password": common::ADMIN_PASSWORD });
    let response = app.post("/session", None, Some(body)).await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "the key of ＡＤＭＩＮ is admin"
    );
}
