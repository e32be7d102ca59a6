//! Guards `Idempotency-Key` on `POST /users`: a retry gets the first answer and creates
//! nothing, a reused key with another body is a 422, concurrent requests with one key create
//! one user, keys expire, and malformed keys are rejected.

mod common;

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use common::{TestApp, TestResponse, header, new_user};
use serde_json::Value;

const KEY: &str = "0b6f1c1e-8d6a-4c55-9a43-0c3f1d9e7a21";

async fn create_with_key(app: &TestApp, cookie: &str, key: &str, body: Value) -> TestResponse {
    app.send_with_headers(
        Method::POST,
        "/users",
        Some(cookie),
        &[("idempotency-key", key)],
        Some(body),
    )
    .await
}

async fn user_total(app: &TestApp, cookie: &str) -> i64 {
    let page = app.get("/users?per_page=1", Some(cookie)).await;
    page.body["total"].as_i64().expect("the list has a total")
}

#[tokio::test]
async fn retry_with_same_key_replays_first_answer() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let body = new_user("ida.key", "ida.key@example.com");

    let first = create_with_key(&app, &admin, KEY, body.clone()).await;
    let total = user_total(&app, &admin).await;
    let retry = create_with_key(&app, &admin, KEY, body).await;

    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(header(&first, "idempotent-replayed"), None);
    assert_eq!(retry.status, StatusCode::CREATED, "same status");
    assert_eq!(retry.body, first.body, "same body");
    assert_eq!(
        header(&retry, "idempotent-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(header(&retry, "location"), header(&first, "location"));
    assert_eq!(user_total(&app, &admin).await, total, "no second user");
    let emails = common::outbox(&app, "ida.key@example.com").await;
    assert_eq!(emails.len(), 1, "the invitation is emailed once");
}

#[tokio::test]
async fn same_key_with_other_body_rejected() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let first = create_with_key(
        &app,
        &admin,
        KEY,
        new_user("ida.one", "ida.one@example.com"),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED);

    let other = create_with_key(
        &app,
        &admin,
        KEY,
        new_user("ida.two", "ida.two@example.com"),
    )
    .await;
    let invalid = create_with_key(&app, &admin, KEY, new_user("x", "not an email")).await;

    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = other.body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("already used for a different request"),
        "{message}"
    );
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        invalid.body["message"], other.body["message"],
        "a reused key is reported before the field rules"
    );
    let availability = app
        .get("/users/availability?username=ida.two", Some(&admin))
        .await;
    assert_eq!(
        availability.body["available"], true,
        "ida.two was not created"
    );
}

#[tokio::test]
async fn keys_belong_to_one_admin() {
    use console_server::db::idempotency::{self, IdempotencyKey, Lookup};

    let app = TestApp::start();
    let admin = app.admin().await;
    let first = create_with_key(
        &app,
        &admin,
        KEY,
        new_user("ida.adm", "ida.adm@example.com"),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED);

    let (own, other) = app
        .state
        .db
        .run(|connection| {
            let find = |admin_id: i64| {
                let key = IdempotencyKey {
                    admin_id,
                    key: KEY.to_owned(),
                    request_hash: String::new(),
                };
                idempotency::find(connection, &key, 0)
            };
            Ok((find(common::ADMIN_ID)?, find(common::VIEWER_ID)?))
        })
        .await
        .expect("the keys are read");

    assert!(
        matches!(own, Lookup::OtherRequest),
        "stored for the admin: {own:?}"
    );
    assert!(
        matches!(other, Lookup::Unused),
        "unknown for another user: {other:?}"
    );
}

#[tokio::test]
async fn expired_key_runs_request_again() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let body = new_user("ida.old", "ida.old@example.com");
    let first = create_with_key(&app, &admin, KEY, body.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    app.state
        .db
        .run(|connection| {
            connection.execute("UPDATE idempotency_keys SET expires_at = 0", [])?;
            Ok(())
        })
        .await
        .unwrap();

    let again = create_with_key(&app, &admin, KEY, body).await;

    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "an expired key is forgotten, so the create runs again and finds the username taken"
    );
    assert_eq!(header(&again, "idempotent-replayed"), None);
}

#[tokio::test]
async fn malformed_keys_rejected() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let long = "k".repeat(129);
    let cases = [
        ("short", "must be 8 to 128 characters long (it has 5)"),
        ("has space in it", "can't contain ' '"),
        ("ключ-ключ-ключ", "must be ASCII"),
        (long.as_str(), "(it has 129)"),
    ];
    for (key, expected) in cases {
        let response = create_with_key(
            &app,
            &admin,
            key,
            new_user("ida.bad", "ida.bad@example.com"),
        )
        .await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "key {key:?}");
        let message = response.body["message"].as_str().unwrap_or_default();
        assert!(message.contains(expected), "key {key:?}: {message}");
    }
    let availability = app
        .get("/users/availability?username=ida.bad", Some(&admin))
        .await;
    assert_eq!(availability.body["available"], true, "nothing was created");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_same_key_creates_one_user() {
    let app = Arc::new(TestApp::start());
    let admin = app.admin().await;
    let total = user_total(&app, &admin).await;
    let body = new_user("ida.race", "ida.race@example.com");

    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (app, admin, body) = (Arc::clone(&app), admin.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            create_with_key(&app, &admin, KEY, body).await
        }));
    }
    let mut created = 0;
    let mut replayed = 0;
    let mut ids = Vec::new();
    for task in tasks {
        let response = task.await.expect("request task");
        assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
        ids.push(response.body["id"].as_i64());
        match header(&response, "idempotent-replayed") {
            Some(_) => replayed += 1,
            None => created += 1,
        }
    }

    assert_eq!(created, 1, "exactly one request created the user");
    assert_eq!(replayed, 49, "the others got its answer");
    assert!(
        ids.windows(2).all(|pair| pair[0] == pair[1]),
        "one id: {ids:?}"
    );
    assert_eq!(user_total(&app, &admin).await, total + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_same_username_creates_one_user() {
    let app = Arc::new(TestApp::start());
    let admin = app.admin().await;
    let total = user_total(&app, &admin).await;

    let mut tasks = Vec::new();
    for index in 0..50 {
        let (app, admin) = (Arc::clone(&app), admin.clone());
        // The same username in varied case and width, each with its own email.
        let username = if index % 2 == 0 {
            "ida.same"
        } else {
            "IDA.Same"
        };
        let email = format!("ida.same{index}@example.com");
        tasks.push(tokio::spawn(async move {
            app.post("/users", Some(&admin), Some(new_user(username, &email)))
                .await
        }));
    }
    let mut created = 0;
    let mut conflicts = 0;
    for task in tasks {
        let response = task.await.expect("request task");
        match response.status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {
                assert_eq!(
                    response.body["fields"]["username"],
                    "Username already exists."
                );
                conflicts += 1;
            }
            other => panic!("unexpected {other}: {}", response.body),
        }
    }

    assert_eq!(created, 1, "exactly one user");
    assert_eq!(conflicts, 49);
    assert_eq!(user_total(&app, &admin).await, total + 1);
}
