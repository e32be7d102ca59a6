//! Guards invitations: the email and its link, single use, expiry, and resending, which
//! revokes older links and is rate-limited. Also the new link sent on reactivation, the lookup
//! and accept messages, and that an invited user can sign in only after setting a password.

mod common;

use axum::http::StatusCode;
use axum::http::header::RETRY_AFTER;
use common::{TestApp, create_user, latest_token, outbox, token_of};
use serde_json::json;

const PASSWORD: &str = "a long enough secret";
const ASK_ADMIN: &str = "ask your account admin to send a new invitation.";

fn assert_message_says(response: &common::TestResponse, expected: &str) {
    let message = response.body["message"].as_str().unwrap_or_default();
    assert!(
        message.to_lowercase().contains(&expected.to_lowercase()),
        "message {message:?} should contain {expected:?}"
    );
}

async fn accept(app: &TestApp, token: &str, password: &str) -> common::TestResponse {
    let body = json!({ "token": token, "password": password });
    app.post("/invitations/accept", None, Some(body)).await
}

async fn lookup(app: &TestApp, token: &str) -> common::TestResponse {
    app.post("/invitations/lookup", None, Some(json!({ "token": token })))
        .await
}

#[tokio::test]
async fn creation_emails_username_and_link() {
    let app = TestApp::start_with(|config| {
        config.public_url = Some("https://portal.example.com/".to_owned());
    });
    let admin = app.admin().await;

    create_user(&app, &admin, "new.user", "new.user@example.com").await;

    let messages = outbox(&app, "NEW.USER@example.com").await;
    assert_eq!(messages.len(), 1, "one email to the new user");
    let email = &messages[0];
    assert_eq!(email.subject, "Your Customer Portal account", "subject");
    assert!(
        email.body.contains("new.user"),
        "names the username: {}",
        email.body
    );
    assert!(
        email
            .body
            .contains("https://portal.example.com/set-password#token="),
        "link under the public URL, token in the fragment: {}",
        email.body
    );
    assert!(
        email.body.contains("expires at"),
        "says when it expires: {}",
        email.body
    );
    assert_eq!(token_of(&email.body).len(), 64, "256-bit token in hex");
}

#[tokio::test]
async fn lookup_returns_user_and_rules() {
    let app = TestApp::start_with(|config| config.password_min_chars = 14);
    let admin = app.admin().await;
    create_user(&app, &admin, "new.user", "new.user@example.com").await;
    let token = latest_token(&app, "new.user@example.com").await;

    let response = lookup(&app, &token).await;

    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    assert_eq!(response.body["username"], "new.user", "username");
    assert_eq!(response.body["first_name"], "Test", "first name");
    assert_eq!(response.body["email"], "new.user@example.com", "email");
    assert_eq!(
        response.body["password_min_chars"], 14,
        "configured minimum"
    );
    let expires_at = response.body["expires_at"].as_str().unwrap_or_default();
    assert!(
        expires_at.ends_with('Z') && expires_at.len() == 20,
        "RFC 3339: {expires_at}"
    );
}

#[tokio::test]
async fn invited_user_signs_in_only_after_accepting() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let id = create_user(&app, &admin, "new.user", "new.user@example.com").await;
    let token = latest_token(&app, "new.user@example.com").await;
    let sign_in = json!({ "username": "new.user", "password": PASSWORD });

    let before = app.post("/session", None, Some(sign_in.clone())).await;
    let accepted = accept(&app, &token, PASSWORD).await;
    let after = app.post("/session", None, Some(sign_in)).await;
    let user = app.get(&format!("/users/{id}"), Some(&admin)).await;

    assert_eq!(
        before.status,
        StatusCode::UNAUTHORIZED,
        "invited user can't sign in"
    );
    assert_eq!(
        before.body["message"], "The username or password is incorrect.",
        "same generic message as a wrong password"
    );
    assert_eq!(
        accepted.status,
        StatusCode::NO_CONTENT,
        "body: {}",
        accepted.body
    );
    assert_eq!(
        after.status,
        StatusCode::OK,
        "signs in after accepting: {}",
        after.body
    );
    assert_eq!(user.body["status"], "active", "the user became active");
    assert!(
        user.body["last_sign_in_at"].is_string(),
        "sign-in time recorded"
    );
}

#[tokio::test]
async fn token_works_once() {
    let app = TestApp::start();
    let admin = app.admin().await;
    create_user(&app, &admin, "new.user", "new.user@example.com").await;
    let token = latest_token(&app, "new.user@example.com").await;

    let first = accept(&app, &token, PASSWORD).await;
    let second = accept(&app, &token, "another long password").await;
    let lookup_after = lookup(&app, &token).await;

    assert_eq!(
        first.status,
        StatusCode::NO_CONTENT,
        "first use: {}",
        first.body
    );
    assert_eq!(
        second.status,
        StatusCode::GONE,
        "second use: {}",
        second.body
    );
    assert_message_says(&second, "already used");
    assert_message_says(&second, ASK_ADMIN);
    assert_eq!(
        lookup_after.status,
        StatusCode::GONE,
        "lookup of a used link"
    );
    let old_password = json!({ "username": "new.user", "password": PASSWORD });
    let signed_in = app.post("/session", None, Some(old_password)).await;
    assert_eq!(signed_in.status, StatusCode::OK, "the first password stays");
}

#[tokio::test]
async fn expired_token_is_gone() {
    let app = TestApp::start();
    let admin = app.admin().await;
    create_user(&app, &admin, "new.user", "new.user@example.com").await;
    let token = latest_token(&app, "new.user@example.com").await;
    app.state
        .db
        .run(|connection| {
            connection.execute(
                "UPDATE invitations SET expires_at = expires_at - 8 * 86400",
                [],
            )?;
            Ok(())
        })
        .await
        .expect("invitation should be backdated");

    let looked_up = lookup(&app, &token).await;
    let accepted = accept(&app, &token, PASSWORD).await;

    assert_eq!(
        looked_up.status,
        StatusCode::GONE,
        "lookup: {}",
        looked_up.body
    );
    assert_message_says(&looked_up, "expired");
    assert_message_says(&looked_up, ASK_ADMIN);
    assert_eq!(
        accepted.status,
        StatusCode::GONE,
        "accept: {}",
        accepted.body
    );
    assert_message_says(&accepted, "expired");
}

#[tokio::test]
async fn token_with_surrounding_whitespace_works() {
    let app = TestApp::start();
    let admin = app.admin().await;
    create_user(&app, &admin, "new.user", "new.user@example.com").await;
    let token = latest_token(&app, "new.user@example.com").await;
    let padded = format!(" {token}\n");

    let looked_up = lookup(&app, &padded).await;
    let accepted = accept(&app, &padded, PASSWORD).await;

    assert_eq!(
        looked_up.status,
        StatusCode::OK,
        "lookup: {}",
        looked_up.body
    );
    assert_eq!(
        accepted.status,
        StatusCode::NO_CONTENT,
        "accept: {}",
        accepted.body
    );
}

#[tokio::test]
async fn unknown_token_is_not_found() {
    let app = TestApp::start();

    for token in ["", "nonsense", &"ab".repeat(32)] {
        let looked_up = lookup(&app, token).await;
        let accepted = accept(&app, token, PASSWORD).await;

        assert_eq!(looked_up.status, StatusCode::NOT_FOUND, "lookup {token:?}");
        assert_message_says(&looked_up, "not valid");
        assert_message_says(&looked_up, ASK_ADMIN);
        assert_eq!(accepted.status, StatusCode::NOT_FOUND, "accept {token:?}");
    }
}

#[tokio::test]
async fn accept_checks_password_rules() {
    let app = TestApp::start();
    let admin = app.admin().await;
    create_user(&app, &admin, "new.user", "new.user@example.com").await;
    let token = latest_token(&app, "new.user@example.com").await;

    let short = accept(&app, &token, "short").await;
    let with_username = accept(&app, &token, "my NEW.USER password").await;
    let valid = accept(&app, &token, PASSWORD).await;

    assert_eq!(
        short.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "short: {}",
        short.body
    );
    common::assert_error_fields(&short, &["password"]);
    let message = short.body["fields"]["password"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains("At least 12 characters"),
        "names the rule: {message}"
    );
    assert_eq!(
        with_username.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "contains username"
    );
    assert_eq!(
        valid.status,
        StatusCode::NO_CONTENT,
        "a rejected password keeps the link"
    );
}

#[tokio::test]
async fn accept_rejects_password_of_only_spaces() {
    let app = TestApp::start();
    let admin = app.admin().await;
    create_user(&app, &admin, "new.user", "new.user@example.com").await;
    let token = latest_token(&app, "new.user@example.com").await;

    let spaces = accept(&app, &token, &" ".repeat(16)).await;

    assert_eq!(
        spaces.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "only spaces: {}",
        spaces.body
    );
    common::assert_error_fields(&spaces, &["password"]);
    let message = spaces.body["fields"]["password"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains(domain::PASSWORD_NOT_BLANK_LABEL),
        "names the rule: {message}"
    );
    assert_eq!(
        lookup(&app, &token).await.status,
        StatusCode::OK,
        "a rejected password keeps the link"
    );
}

#[tokio::test]
async fn resend_revokes_old_link_and_is_rate_limited() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let id = create_user(&app, &admin, "new.user", "new.user@example.com").await;
    let old_token = latest_token(&app, "new.user@example.com").await;
    let path = format!("/users/{id}/invitation");

    let too_soon = app.post(&path, Some(&admin), None).await;
    app.state.limits.invitations.reset(&id.to_string());
    let resent = app.post(&path, Some(&admin), None).await;
    let again = app.post(&path, Some(&admin), None).await;
    let new_token = latest_token(&app, "new.user@example.com").await;

    assert_eq!(
        too_soon.status,
        StatusCode::TOO_MANY_REQUESTS,
        "creation counts as a send"
    );
    assert!(
        too_soon.headers.contains_key(RETRY_AFTER),
        "429 carries Retry-After"
    );
    assert_eq!(resent.status, StatusCode::OK, "resend: {}", resent.body);
    assert_eq!(
        resent.body["recipient"], "new.user@example.com",
        "recipient"
    );
    assert_eq!(
        again.status,
        StatusCode::TOO_MANY_REQUESTS,
        "one resend a minute"
    );
    assert!(
        again.body["message"].is_string(),
        "429 has the ApiError shape"
    );
    assert_eq!(
        outbox(&app, "new.user@example.com").await.len(),
        2,
        "two emails in all"
    );
    assert_ne!(new_token, old_token, "a new link");
    let old = lookup(&app, &old_token).await;
    assert_eq!(old.status, StatusCode::GONE, "the old link stops working");
    assert_message_says(&old, "replaced");
    assert_eq!(
        lookup(&app, &new_token).await.status,
        StatusCode::OK,
        "the new link works"
    );
}

#[tokio::test]
async fn resend_needs_an_invited_user() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let viewer = app.viewer().await;
    let id = create_user(&app, &admin, "new.user", "new.user@example.com").await;

    let for_active = app.post("/users/2/invitation", Some(&admin), None).await;
    let by_viewer = app
        .post(&format!("/users/{id}/invitation"), Some(&viewer), None)
        .await;
    let for_unknown = app.post("/users/9999/invitation", Some(&admin), None).await;

    assert_eq!(
        for_active.status,
        StatusCode::CONFLICT,
        "active user: {}",
        for_active.body
    );
    assert_eq!(
        by_viewer.status,
        StatusCode::FORBIDDEN,
        "basic users can't resend"
    );
    assert_eq!(for_unknown.status, StatusCode::NOT_FOUND, "unknown user");
}

#[tokio::test]
async fn reactivation_of_invited_user_sends_new_link() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let id = create_user(&app, &admin, "new.user", "new.user@example.com").await;
    let old_token = latest_token(&app, "new.user@example.com").await;

    app.post(&format!("/users/{id}/deactivate"), Some(&admin), None)
        .await;
    let reactivated = app
        .post(&format!("/users/{id}/reactivate"), Some(&admin), None)
        .await;
    let new_token = latest_token(&app, "new.user@example.com").await;
    let resend = app
        .post(&format!("/users/{id}/invitation"), Some(&admin), None)
        .await;

    assert_eq!(reactivated.status, StatusCode::OK, "{}", reactivated.body);
    assert_eq!(reactivated.body["status"], "invited", "back to invited");
    assert_eq!(
        outbox(&app, "new.user@example.com").await.len(),
        2,
        "reactivation emails a second invitation"
    );
    assert_ne!(new_token, old_token, "a new link");
    assert_eq!(
        lookup(&app, &old_token).await.status,
        StatusCode::GONE,
        "the old link stays dead"
    );
    assert_eq!(
        accept(&app, &new_token, PASSWORD).await.status,
        StatusCode::NO_CONTENT,
        "the new link sets a password"
    );
    assert_eq!(
        resend.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the reactivation email counts towards the resend limit"
    );
}

#[tokio::test]
async fn reactivation_of_active_user_sends_nothing() {
    let app = TestApp::start();
    let admin = app.admin().await;

    app.post("/users/2/deactivate", Some(&admin), None).await;
    let reactivated = app.post("/users/2/reactivate", Some(&admin), None).await;

    assert_eq!(reactivated.body["status"], "active", "{}", reactivated.body);
    let email = reactivated.body["email"].as_str().unwrap_or_default();
    assert!(
        outbox(&app, email).await.is_empty(),
        "no invitation for a user with a password"
    );
}

#[tokio::test]
async fn deactivation_revokes_open_links() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let id = create_user(&app, &admin, "new.user", "new.user@example.com").await;
    let token = latest_token(&app, "new.user@example.com").await;

    let deactivated = app
        .post(&format!("/users/{id}/deactivate"), Some(&admin), None)
        .await;
    let while_deactivated = accept(&app, &token, PASSWORD).await;
    let reactivated = app
        .post(&format!("/users/{id}/reactivate"), Some(&admin), None)
        .await;
    let after_reactivation = lookup(&app, &token).await;

    assert_eq!(deactivated.body["status"], "deactivated", "deactivated");
    assert_eq!(
        while_deactivated.status,
        StatusCode::GONE,
        "no password while deactivated"
    );
    assert_message_says(&while_deactivated, "deactivated");
    assert_eq!(
        reactivated.body["status"], "invited",
        "still has no password"
    );
    assert_eq!(
        after_reactivation.status,
        StatusCode::GONE,
        "the old link stays revoked"
    );
    assert_message_says(
        &after_reactivation,
        "cancelled when the user was deactivated",
    );
    assert_message_says(&after_reactivation, ASK_ADMIN);
    let listed = app.get("/users?status=invited", Some(&admin)).await;
    assert_eq!(listed.body["total"], 1, "the invited filter finds the user");
    assert_eq!(listed.body["users"][0]["id"], id, "the invited user");
}
