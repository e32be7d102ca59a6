//! Helpers shared by the integration tests: a server on a fresh SQLite file in a temporary
//! directory, called through the real router without a socket.

#![allow(dead_code)]

use axum::Router;
use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use console_server::{AppState, Config, Opened, app};
use http_body_util::BodyExt;
use serde_json::Value;
use tempfile::TempDir;
use tower::ServiceExt;

pub const ADMIN_PASSWORD: &str = "admin-test-password";
pub const VIEWER_PASSWORD: &str = "viewer-test-password";

/// Ids of seeded users that the tests rely on.
pub const ADMIN_ID: i64 = 1;
pub const VIEWER_ID: i64 = 2;
pub const PRIYA_ID: i64 = 3;

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub config: Config,
    /// Kept so the database outlives the test's requests.
    pub dir: TempDir,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl TestApp {
    /// Starts a server on a new, seeded database with known passwords.
    pub fn start() -> TestApp {
        TestApp::start_with(|_| {})
    }

    /// Starts a server like [`TestApp::start`], with options changed by `configure`.
    pub fn start_with(configure: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temporary directory should be created");
        let mut config = Config::for_data_dir(dir.path());
        config.admin_password = Some(ADMIN_PASSWORD.to_owned());
        config.viewer_password = Some(VIEWER_PASSWORD.to_owned());
        configure(&mut config);
        let Opened { state, .. } = AppState::open(&config).expect("server state should open");
        TestApp {
            router: app(state.clone()),
            state,
            config,
            dir,
        }
    }

    /// Sends a request to `path` under /api/v1 with an optional cookie and JSON body.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        cookie: Option<&str>,
        body: Option<Value>,
    ) -> TestResponse {
        let body = body.map(|json| json.to_string());
        let content_type = body.as_ref().map(|_| "application/json");
        self.send_raw(
            method,
            &format!("/api/v1{path}"),
            cookie,
            content_type,
            body,
        )
        .await
    }

    /// Sends a request like [`TestApp::send`] with extra headers, such as `If-Match`.
    pub async fn send_with_headers(
        &self,
        method: Method,
        path: &str,
        cookie: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> TestResponse {
        let mut request = Request::builder()
            .method(method)
            .uri(format!("/api/v1{path}"))
            .header("x-requested-with", "console");
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if body.is_some() {
            request = request.header(CONTENT_TYPE, "application/json");
        }
        let body = body.map(|json| json.to_string()).unwrap_or_default();
        self.finish(request.body(Body::from(body)).expect("valid request"))
            .await
    }

    /// Sends a request with a raw body to any path, with the `X-Requested-With` header that
    /// the app sends.
    pub async fn send_raw(
        &self,
        method: Method,
        uri: &str,
        cookie: Option<&str>,
        content_type: Option<&str>,
        body: Option<String>,
    ) -> TestResponse {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header("x-requested-with", "console");
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        if let Some(content_type) = content_type {
            request = request.header(CONTENT_TYPE, content_type);
        }
        let request = request
            .body(Body::from(body.unwrap_or_default()))
            .expect("valid request");
        self.finish(request).await
    }

    async fn finish(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body should be read")
            .to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        TestResponse {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> TestResponse {
        self.send(Method::GET, path, cookie, None).await
    }

    pub async fn post(
        &self,
        path: &str,
        cookie: Option<&str>,
        body: Option<Value>,
    ) -> TestResponse {
        self.send(Method::POST, path, cookie, body).await
    }

    /// Signs in and returns the `Cookie` header value of the new session.
    pub async fn sign_in(&self, username: &str, password: &str) -> String {
        let body = serde_json::json!({ "username": username, "password": password });
        let response = self.post("/session", None, Some(body)).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "sign-in of {username} should succeed"
        );
        session_cookie(&response.headers).expect("sign-in should set the session cookie")
    }

    pub async fn admin(&self) -> String {
        self.sign_in("admin", ADMIN_PASSWORD).await
    }

    pub async fn viewer(&self) -> String {
        self.sign_in("viewer", VIEWER_PASSWORD).await
    }
}

/// Returns `console_session=<token>` from a `Set-Cookie` header, if one sets it.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    let set_cookie = headers.get(SET_COOKIE)?.to_str().ok()?;
    let pair = set_cookie.split(';').next()?.trim();
    pair.starts_with("console_session=")
        .then(|| pair.to_owned())
}

/// Returns a valid new-user body with the given username and email.
pub fn new_user(username: &str, email: &str) -> Value {
    serde_json::json!({
        "username": username,
        "first_name": "Test",
        "last_name": "User",
        "email": email,
        "work_phone": "+1 (415) 555-0199",
        "admin_level": "basic_user",
        "roles": ["ordering", "reporting"],
        "account_ids": [1, 2],
    })
}

/// Asserts the body has the ApiError shape: a message, and `fields` with exactly `fields`.
pub fn assert_error_fields(response: &TestResponse, fields: &[&str]) {
    let message = response.body.get("message").and_then(Value::as_str);
    assert!(
        message.is_some_and(|m| !m.is_empty()),
        "error should have a message: {}",
        response.body
    );
    let actual = response
        .body
        .get("fields")
        .and_then(Value::as_object)
        .map(|f| {
            let mut keys: Vec<&str> = f.keys().map(String::as_str).collect();
            keys.sort_unstable();
            keys
        });
    let mut expected = fields.to_vec();
    expected.sort_unstable();
    assert_eq!(actual, Some(expected), "error fields of {}", response.body);
}

/// Creates a user through the API as `admin` and returns its id.
pub async fn create_user(app: &TestApp, admin: &str, username: &str, email: &str) -> i64 {
    let response = app
        .post("/users", Some(admin), Some(new_user(username, email)))
        .await;
    assert_eq!(
        response.status,
        StatusCode::CREATED,
        "create {username}: {}",
        response.body
    );
    response.body["id"]
        .as_i64()
        .expect("created user should have an id")
}

/// Returns the stored emails to `recipient`, newest first, read from the database.
pub async fn outbox(app: &TestApp, recipient: &str) -> Vec<domain::OutboxMessage> {
    let recipient = recipient.to_owned();
    app.state
        .db
        .run(move |connection| {
            Ok(console_server::db::outbox::list(
                connection,
                Some(&recipient),
            )?)
        })
        .await
        .expect("outbox should be read")
}

/// Returns the token of the newest invitation link emailed to `recipient`.
pub async fn latest_token(app: &TestApp, recipient: &str) -> String {
    let messages = outbox(app, recipient).await;
    let newest = messages.first().expect("an email should have been stored");
    token_of(&newest.body)
}

/// Returns the token of the `#token=` link in an email body.
pub fn token_of(body: &str) -> String {
    let start = body
        .find("#token=")
        .expect("the email should contain a link")
        + "#token=".len();
    body[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

/// Returns the `ETag` of user `id` as `GET /users/{id}` sends it.
pub async fn etag_of(app: &TestApp, cookie: &str, id: i64) -> String {
    let response = app.get(&format!("/users/{id}"), Some(cookie)).await;
    assert_eq!(response.status, StatusCode::OK, "read user {id}");
    header(&response, "etag").expect("GET /users/{id} should send an ETag")
}

/// Returns a response header as text.
pub fn header(response: &TestResponse, name: &str) -> Option<String> {
    response
        .headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}
