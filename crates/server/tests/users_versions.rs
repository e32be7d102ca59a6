//! Guards the versions of users: `GET /users/{id}` sends an `ETag` that changes with every
//! change to the user, an edit needs `If-Match` (428 without it), and a stale version gets a
//! 412 with the current user and nothing changes.

mod common;

use axum::http::{Method, StatusCode};
use common::{PRIYA_ID, TestApp, TestResponse, etag_of, header};
use serde_json::{Value, json};

async fn patch_with(
    app: &TestApp,
    cookie: &str,
    if_match: Option<&str>,
    body: Value,
) -> TestResponse {
    let headers: Vec<(&str, &str)> = if_match.map(|tag| ("if-match", tag)).into_iter().collect();
    app.send_with_headers(
        Method::PATCH,
        &format!("/users/{PRIYA_ID}"),
        Some(cookie),
        &headers,
        Some(body),
    )
    .await
}

/// Returns Priya's current fields as an update body, with `first_name` replaced.
async fn priya_update(app: &TestApp, cookie: &str, first_name: &str) -> Value {
    let user = app
        .get(&format!("/users/{PRIYA_ID}"), Some(cookie))
        .await
        .body;
    json!({
        "first_name": first_name,
        "last_name": user["last_name"],
        "email": user["email"],
        "work_phone": user["work_phone"],
        "admin_level": user["admin_level"],
        "roles": user["roles"],
        "account_ids": user["account_ids"],
    })
}

#[tokio::test]
async fn etag_changes_on_every_change() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let mut seen = vec![etag_of(&app, &admin, PRIYA_ID).await];

    let body = priya_update(&app, &admin, "Priyanka").await;
    let edited = patch_with(&app, &admin, Some(&seen[0]), body).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(
        header(&edited, "etag"),
        Some(etag_of(&app, &admin, PRIYA_ID).await)
    );
    seen.push(etag_of(&app, &admin, PRIYA_ID).await);
    let path = format!("/users/{PRIYA_ID}/deactivate");
    let deactivated = app.post(&path, Some(&admin), None).await;
    assert_eq!(deactivated.status, StatusCode::OK);
    seen.push(etag_of(&app, &admin, PRIYA_ID).await);
    let path = format!("/users/{PRIYA_ID}/reactivate");
    let reactivated = app.post(&path, Some(&admin), None).await;
    assert_eq!(reactivated.status, StatusCode::OK);
    seen.push(etag_of(&app, &admin, PRIYA_ID).await);

    for pair in seen.windows(2) {
        assert_ne!(pair[0], pair[1], "each change gives a new ETag: {seen:?}");
    }
    let user = app.get(&format!("/users/{PRIYA_ID}"), Some(&admin)).await;
    assert_eq!(
        format!("\"{}\"", user.body["version"]),
        seen[3],
        "the ETag is the version in quotes"
    );
}

#[tokio::test]
async fn sign_in_changes_etag() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let before = etag_of(&app, &admin, common::VIEWER_ID).await;
    app.viewer().await;
    let after = etag_of(&app, &admin, common::VIEWER_ID).await;
    assert_ne!(before, after, "the sign-in time is part of the user");
}

#[tokio::test]
async fn edit_without_if_match_is_428() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let body = priya_update(&app, &admin, "Nobody").await;

    let response = patch_with(&app, &admin, None, body).await;

    assert_eq!(response.status, StatusCode::PRECONDITION_REQUIRED);
    let message = response.body["message"].as_str().unwrap_or_default();
    assert!(message.contains("If-Match"), "{message}");
    let user = app.get(&format!("/users/{PRIYA_ID}"), Some(&admin)).await;
    assert_ne!(user.body["first_name"], "Nobody", "nothing changed");
}

#[tokio::test]
async fn stale_if_match_is_412_with_current_user() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let opened = etag_of(&app, &admin, PRIYA_ID).await;
    let other_edit = priya_update(&app, &admin, "Changed").await;
    let first = patch_with(&app, &admin, Some(&opened), other_edit).await;
    assert_eq!(first.status, StatusCode::OK);

    let mine = priya_update(&app, &admin, "Mine").await;
    let stale = patch_with(&app, &admin, Some(&opened), mine.clone()).await;

    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.body["current_user"]["first_name"], "Changed");
    assert!(
        stale.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("Someone else"))
    );
    let current = etag_of(&app, &admin, PRIYA_ID).await;
    assert_eq!(
        header(&stale, "etag"),
        Some(current.clone()),
        "the 412 carries the ETag"
    );
    let user = app.get(&format!("/users/{PRIYA_ID}"), Some(&admin)).await;
    assert_eq!(
        user.body["first_name"], "Changed",
        "the stale edit changed nothing"
    );

    let retried = patch_with(&app, &admin, Some(&current), mine).await;
    assert_eq!(
        retried.status,
        StatusCode::OK,
        "saving over them deliberately works"
    );
    assert_eq!(retried.body["first_name"], "Mine");
}

/// Builds an `If-Match` value from the current `ETag`.
type MakeTag = fn(&str) -> String;

#[tokio::test]
async fn if_match_forms() {
    let app = TestApp::start();
    let admin = app.admin().await;
    // Each case builds its header from the version current at that moment.
    let cases: [(MakeTag, StatusCode); 9] = [
        (|_| "*".to_owned(), StatusCode::OK),
        (|current| format!("\"999\", {current}"), StatusCode::OK),
        (
            |current| format!("W/{current}"),
            StatusCode::PRECONDITION_FAILED,
        ),
        (|_| "\"abc\"".to_owned(), StatusCode::PRECONDITION_FAILED),
        (|_| "7".to_owned(), StatusCode::BAD_REQUEST),
        (|_| String::new(), StatusCode::BAD_REQUEST),
        (|_| " , ".to_owned(), StatusCode::BAD_REQUEST),
        (|current| format!("*, {current}"), StatusCode::BAD_REQUEST),
        (|current| format!("{current}, *"), StatusCode::BAD_REQUEST),
    ];
    for (make_tag, expected) in cases {
        let current = etag_of(&app, &admin, PRIYA_ID).await;
        let tag = make_tag(&current);
        let body = priya_update(&app, &admin, "Priya").await;
        let response = patch_with(&app, &admin, Some(&tag), body).await;
        assert_eq!(
            response.status, expected,
            "If-Match {tag}: {}",
            response.body
        );
    }
}

#[tokio::test]
async fn stale_if_match_on_deactivate_is_412() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let opened = etag_of(&app, &admin, PRIYA_ID).await;
    let body = priya_update(&app, &admin, "Moved").await;
    assert_eq!(
        patch_with(&app, &admin, Some(&opened), body).await.status,
        StatusCode::OK
    );

    let response = app
        .send_with_headers(
            Method::POST,
            &format!("/users/{PRIYA_ID}/deactivate"),
            Some(&admin),
            &[("if-match", &opened)],
            None,
        )
        .await;

    assert_eq!(response.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        response.body["current_user"]["status"], "active",
        "not deactivated"
    );
}
