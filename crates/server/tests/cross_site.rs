//! Guards the cross-site request defences: state-changing API requests need the
//! `X-Requested-With` header and, when they carry an `Origin`, an allowed or the server's own
//! origin. Also guards the security headers of every response.

mod common;

use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE, HOST, ORIGIN};
use axum::http::{Method, Request, Response, StatusCode};
use common::{ADMIN_ID, TestApp, new_user};
use tower::ServiceExt;

/// A request as a browser would send it, without the defaults of [`TestApp::send`].
struct RawRequest<'a> {
    method: Method,
    path: &'a str,
    cookie: Option<&'a str>,
    content_type: Option<&'a str>,
    body: String,
    requested_with: bool,
    origin: Option<&'a str>,
    /// A second `Origin` header after `origin`, which no browser sends.
    second_origin: Option<&'a str>,
}

impl<'a> RawRequest<'a> {
    fn new(method: Method, path: &'a str, cookie: Option<&'a str>) -> Self {
        RawRequest {
            method,
            path,
            cookie,
            content_type: None,
            body: String::new(),
            requested_with: false,
            origin: None,
            second_origin: None,
        }
    }

    fn json(mut self, body: serde_json::Value) -> Self {
        self.content_type = Some("application/json");
        self.body = body.to_string();
        self
    }

    async fn send(self, app: &TestApp) -> Response<Body> {
        let mut request = Request::builder()
            .method(self.method)
            .uri(format!("/api/v1{}", self.path))
            .header(HOST, "console.example.com");
        if let Some(cookie) = self.cookie {
            request = request.header(COOKIE, cookie);
        }
        if let Some(content_type) = self.content_type {
            request = request.header(CONTENT_TYPE, content_type);
        }
        if self.requested_with {
            request = request.header("x-requested-with", "console");
        }
        for origin in [self.origin, self.second_origin].into_iter().flatten() {
            request = request.header(ORIGIN, origin);
        }
        let request = request.body(Body::from(self.body)).expect("valid request");
        app.router
            .clone()
            .oneshot(request)
            .await
            .expect("router is infallible")
    }
}

async fn user_count(app: &TestApp, admin: &str) -> u64 {
    let page = app.get("/users?per_page=1", Some(admin)).await;
    page.body["total"]
        .as_u64()
        .expect("the users page should have a total")
}

#[tokio::test]
async fn form_post_without_header_is_rejected() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let before = user_count(&app, &admin).await;

    // What a cross-site HTML form sends: the cookie (if SameSite did not stop it), a form
    // content type, and no custom header.
    let mut form = RawRequest::new(Method::POST, "/users", Some(&admin));
    form.content_type = Some("application/x-www-form-urlencoded");
    form.body = "username=forged&email=forged%40example.com".to_owned();
    form.origin = Some("https://attacker.example");
    let response = form.send(&app).await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        user_count(&app, &admin).await,
        before,
        "no user was created"
    );
}

#[tokio::test]
async fn json_post_without_header_is_rejected() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let before = user_count(&app, &admin).await;

    let request = RawRequest::new(Method::POST, "/users", Some(&admin))
        .json(new_user("nocsrfheader", "nocsrfheader@example.com"));
    let response = request.send(&app).await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        user_count(&app, &admin).await,
        before,
        "no user was created"
    );
}

#[tokio::test]
async fn every_unsafe_method_needs_header() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let cases = [
        (Method::POST, "/session".to_owned()),
        (Method::DELETE, "/session".to_owned()),
        (Method::PATCH, format!("/users/{ADMIN_ID}")),
        (Method::POST, format!("/users/{ADMIN_ID}/deactivate")),
        (Method::POST, "/invitations/accept".to_owned()),
        (Method::PUT, "/users".to_owned()),
    ];
    for (method, path) in cases {
        let response = RawRequest::new(method.clone(), &path, Some(&admin))
            .send(&app)
            .await;
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "{method} {path} without X-Requested-With"
        );
    }
    let session = app.get("/session", Some(&admin)).await;
    assert_eq!(
        session.status,
        StatusCode::OK,
        "the rejected DELETE /session did not sign out"
    );
}

#[tokio::test]
async fn safe_methods_need_no_header() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let response = RawRequest::new(Method::GET, "/users", Some(&admin))
        .send(&app)
        .await;

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn foreign_origin_is_rejected_even_with_header() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let before = user_count(&app, &admin).await;

    let mut request = RawRequest::new(Method::POST, "/users", Some(&admin))
        .json(new_user("foreignorigin", "foreignorigin@example.com"));
    request.requested_with = true;
    request.origin = Some("https://attacker.example");
    let response = request.send(&app).await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        user_count(&app, &admin).await,
        before,
        "no user was created"
    );
}

#[tokio::test]
async fn second_origin_header_is_rejected() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let before = user_count(&app, &admin).await;

    let mut request = RawRequest::new(Method::POST, "/users", Some(&admin))
        .json(new_user("twoorigins", "twoorigins@example.com"));
    request.requested_with = true;
    request.origin = Some("http://console.example.com");
    request.second_origin = Some("https://attacker.example");
    let response = request.send(&app).await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        user_count(&app, &admin).await,
        before,
        "no user was created"
    );
}

#[tokio::test]
async fn null_origin_is_rejected() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let path = format!("/users/{ADMIN_ID}/invitation");
    let mut request = RawRequest::new(Method::POST, &path, Some(&admin));
    request.requested_with = true;
    request.origin = Some("null");
    let response = request.send(&app).await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn own_and_allowed_origins_pass() {
    let app = TestApp::start_with(|config| {
        config.allow_origins = vec!["https://portal.example.com".to_owned()];
    });
    let admin = app.admin().await;
    let cases = [
        ("https://console.example.com", "ownorigin"),
        ("http://console.example.com", "ownoriginhttp"),
        ("https://portal.example.com", "allowedorigin"),
    ];
    for (origin, username) in cases {
        let mut request = RawRequest::new(Method::POST, "/users", Some(&admin))
            .json(new_user(username, &format!("{username}@example.com")));
        request.requested_with = true;
        request.origin = Some(origin);
        let response = request.send(&app).await;
        assert_eq!(response.status(), StatusCode::CREATED, "Origin {origin}");
    }
}

#[tokio::test]
async fn rejection_has_json_error_body() {
    let app = TestApp::start();

    let response = app
        .send_raw(Method::POST, "/api/v1/session", None, None, None)
        .await;
    assert_ne!(
        response.status,
        StatusCode::FORBIDDEN,
        "the test helper sends the header"
    );

    let rejected = RawRequest::new(Method::POST, "/session", None)
        .json(serde_json::json!({"username": "admin", "password": common::ADMIN_PASSWORD}))
        .send(&app)
        .await;
    assert_eq!(rejected.status(), StatusCode::FORBIDDEN);
    assert!(
        rejected.headers().get("set-cookie").is_none(),
        "a rejected sign-in starts no session"
    );
    let bytes = http_body_util::BodyExt::collect(rejected.into_body())
        .await
        .expect("body")
        .to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON body");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("X-Requested-With"),
        "the message names the header: {message}"
    );
}
