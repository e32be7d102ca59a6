//! Guards the test-only outbox endpoint: absent without `--expose-outbox`, and with it the
//! stored emails, newest first, optionally for one recipient.

mod common;

use axum::http::StatusCode;
use common::{TestApp, create_user};

#[tokio::test]
async fn outbox_is_404_without_the_flag() {
    let app = TestApp::start();
    let admin = app.admin().await;
    create_user(&app, &admin, "new.user", "new.user@example.com").await;

    let response = app.get("/dev/outbox", None).await;

    assert_eq!(
        response.status,
        StatusCode::NOT_FOUND,
        "body: {}",
        response.body
    );
}

#[tokio::test]
async fn outbox_lists_newest_first_and_filters() {
    let app = TestApp::start_with(|config| config.expose_outbox = true);
    let admin = app.admin().await;
    create_user(&app, &admin, "first.user", "first@example.com").await;
    create_user(&app, &admin, "second.user", "second@example.com").await;

    let all = app.get("/dev/outbox", None).await;
    let filtered = app.get("/dev/outbox?to=FIRST@example.com", None).await;

    assert_eq!(
        all.status,
        StatusCode::OK,
        "no sign-in needed: {}",
        all.body
    );
    let recipients: Vec<&str> = all
        .body
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|message| message["recipient"].as_str())
        .collect();
    assert_eq!(
        recipients,
        ["second@example.com", "first@example.com"],
        "newest first"
    );
    let messages = filtered.body.as_array().expect("an array");
    assert_eq!(messages.len(), 1, "only emails to that address");
    let body = messages[0]["body"].as_str().unwrap_or_default();
    assert!(
        body.contains("first.user"),
        "body names the username: {body}"
    );
    assert!(
        body.contains("/set-password#token="),
        "body has the link: {body}"
    );
    assert_eq!(
        messages[0]["subject"], "Your Customer Portal account",
        "subject"
    );
    assert!(messages[0]["created_at"].is_string(), "created_at");
}
