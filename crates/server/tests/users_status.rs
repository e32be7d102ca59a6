//! Guards deactivation and reactivation: state changes and idempotence, the rules that keep
//! the organisation manageable, the end of a deactivated user's sessions, and that no
//! route deletes a user.

mod common;

use axum::http::{Method, StatusCode};
use common::{ADMIN_ID, ADMIN_PASSWORD, PRIYA_ID, TestApp, VIEWER_ID, VIEWER_PASSWORD};
use console_server::db::user_changes;
use console_server::error::AppError;

#[tokio::test]
async fn deactivate_and_reactivate_are_idempotent() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let path = format!("/users/{PRIYA_ID}");

    for round in 1..=2 {
        let response = app
            .post(&format!("{path}/deactivate"), Some(&admin), None)
            .await;
        assert_eq!(response.status, StatusCode::OK, "deactivate, round {round}");
        assert_eq!(
            response.body["status"], "deactivated",
            "deactivate, round {round}"
        );
    }
    let stored = app.get(&path, Some(&admin)).await;
    assert_eq!(
        stored.body["status"], "deactivated",
        "deactivation is stored"
    );

    for round in 1..=2 {
        let response = app
            .post(&format!("{path}/reactivate"), Some(&admin), None)
            .await;
        assert_eq!(response.status, StatusCode::OK, "reactivate, round {round}");
        assert_eq!(
            response.body["status"], "active",
            "reactivate, round {round}"
        );
    }
}

#[tokio::test]
async fn deactivating_unknown_user_is_404() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let response = app
        .post("/users/99999/deactivate", Some(&admin), None)
        .await;

    assert_eq!(
        response.status,
        StatusCode::NOT_FOUND,
        "body: {}",
        response.body
    );
}

#[tokio::test]
async fn admin_cannot_deactivate_themselves() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let response = app
        .post(&format!("/users/{ADMIN_ID}/deactivate"), Some(&admin), None)
        .await;

    assert_eq!(
        response.status,
        StatusCode::CONFLICT,
        "body: {}",
        response.body
    );
    let message = response.body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("yourself"),
        "message explains the refusal: {message}"
    );
    let session = app.get("/session", Some(&admin)).await;
    assert_eq!(
        session.status,
        StatusCode::OK,
        "the admin is still signed in"
    );
}

#[tokio::test]
async fn last_active_admin_cannot_be_deactivated() {
    let app = TestApp::start();
    // Make priya.raman the only active account admin. This takes SQL because through the
    // API the acting admin is always a second active admin.
    app.state
        .db
        .run(|connection| {
            connection.execute(
                "UPDATE users SET status = 'deactivated' \
                 WHERE admin_level = 'account_admin' AND id <> ?1",
                [PRIYA_ID],
            )?;
            Ok(())
        })
        .await
        .expect("admins should be deactivated");

    let result = app
        .state
        .db
        .run(|connection| user_changes::deactivate(connection, ADMIN_ID, PRIYA_ID, None))
        .await;

    match result {
        Err(AppError::Conflict(error)) => {
            assert!(
                error.message.contains("last active account admin"),
                "message: {error}"
            );
        }
        Err(other) => panic!("expected a conflict, got {other:?}"),
        Ok(user) => panic!("the last admin was deactivated: {user:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_deactivating_each_other_leave_one_active() {
    let app = std::sync::Arc::new(TestApp::start());
    // Leave exactly two active account admins: admin and priya.raman.
    app.state
        .db
        .run(|connection| {
            connection.execute(
                "UPDATE users SET status = 'deactivated' \
                 WHERE admin_level = 'account_admin' AND id NOT IN (?1, ?2)",
                [ADMIN_ID, PRIYA_ID],
            )?;
            // Seeded users other than admin and viewer have no password, so priya gets admin's.
            connection.execute(
                "UPDATE users SET password_hash = \
                 (SELECT password_hash FROM users WHERE id = ?1) WHERE id = ?2",
                [ADMIN_ID, PRIYA_ID],
            )?;
            Ok(())
        })
        .await
        .expect("setup should succeed");
    let admin = app.admin().await;
    let priya = app.sign_in("priya.raman", ADMIN_PASSWORD).await;

    let first = {
        let app = app.clone();
        tokio::spawn(async move {
            app.post(&format!("/users/{PRIYA_ID}/deactivate"), Some(&admin), None)
                .await
                .status
        })
    };
    let second = {
        let app = app.clone();
        tokio::spawn(async move {
            app.post(&format!("/users/{ADMIN_ID}/deactivate"), Some(&priya), None)
                .await
                .status
        })
    };
    let statuses = [first.await.expect("task"), second.await.expect("task")];

    let succeeded = statuses.iter().filter(|&&s| s == StatusCode::OK).count();
    assert_eq!(
        succeeded, 1,
        "exactly one deactivation should succeed: {statuses:?}"
    );
    let active_admins = app
        .state
        .db
        .run(|connection| {
            Ok(connection.query_row(
                "SELECT count(*) FROM users WHERE admin_level = 'account_admin' \
                 AND status = 'active'",
                [],
                |row| row.get::<_, i64>(0),
            )?)
        })
        .await
        .expect("count should succeed");
    assert_eq!(active_admins, 1, "one account admin should stay active");
}

#[tokio::test]
async fn deactivated_user_loses_session_and_cannot_sign_in() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let viewer = app.viewer().await;
    assert_eq!(
        app.get("/session", Some(&viewer)).await.status,
        StatusCode::OK,
        "viewer signed in"
    );

    let response = app
        .post(
            &format!("/users/{VIEWER_ID}/deactivate"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "deactivate viewer: {}",
        response.body
    );

    let next = app.get("/users", Some(&viewer)).await;
    assert_eq!(
        next.status,
        StatusCode::UNAUTHORIZED,
        "the existing session is rejected"
    );
    let body = serde_json::json!({ "username": "viewer", "password": VIEWER_PASSWORD });
    let sign_in = app.post("/session", None, Some(body)).await;
    assert_eq!(
        sign_in.status,
        StatusCode::UNAUTHORIZED,
        "a deactivated user can't sign in"
    );

    let reactivate = app
        .post(
            &format!("/users/{VIEWER_ID}/reactivate"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(reactivate.status, StatusCode::OK, "reactivate viewer");
    let old_session = app.get("/users", Some(&viewer)).await;
    assert_eq!(
        old_session.status,
        StatusCode::UNAUTHORIZED,
        "old sessions stay ended"
    );
    let session_check = app.get("/session", Some(&viewer)).await;
    assert_eq!(
        session_check.status,
        StatusCode::NO_CONTENT,
        "the session check names no user for an ended session"
    );
    app.viewer().await;
}

#[tokio::test]
async fn no_route_deletes_a_user() {
    let app = TestApp::start();
    let admin = app.admin().await;

    for path in [format!("/users/{PRIYA_ID}"), "/users".to_owned()] {
        let response = app.send(Method::DELETE, &path, Some(&admin), None).await;
        assert!(
            matches!(
                response.status,
                StatusCode::METHOD_NOT_ALLOWED | StatusCode::NOT_FOUND
            ),
            "DELETE {path} gave {}",
            response.status
        );
    }
    let priya = app.get(&format!("/users/{PRIYA_ID}"), Some(&admin)).await;
    assert_eq!(priya.status, StatusCode::OK, "the user still exists");
    assert_eq!(priya.body["status"], "active", "the user is unchanged");
}
