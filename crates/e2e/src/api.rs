//! Requests from a test straight to the backend's JSON API, to prepare what the browser then
//! shows: a signed-in admin creates a user, the outbox gives their invitation link, and the
//! link's lookup reports when it has expired.

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::{Result, poll};

/// A response's status, the `name=value` part of its `Set-Cookie` header, and its body.
struct Response {
    status: StatusCode,
    cookie: Option<String>,
    body: Bytes,
}

/// A session of the backend at `console_url`, signed in through `POST /api/v1/session`.
pub struct ApiSession {
    console_url: String,
    /// The `name=value` part of the session cookie.
    cookie: String,
}

impl ApiSession {
    /// Signs in as `username` on the backend at `console_url`, e.g. `http://127.0.0.1:8080`.
    pub async fn sign_in(console_url: &str, username: &str, password: &str) -> Result<ApiSession> {
        let console_url = console_url.trim_end_matches('/').to_owned();
        let url = format!("{console_url}/api/v1/session");
        let credentials = serde_json::json!({ "username": username, "password": password });
        let response = send(Method::POST, &url, Some(&credentials), None).await?;
        expect_status(&url, &response, StatusCode::OK)?;
        let cookie = response
            .cookie
            .ok_or_else(|| format!("POST {url} returned no session cookie"))?;
        Ok(ApiSession {
            console_url,
            cookie,
        })
    }

    /// Returns the stored user `id` as JSON.
    pub async fn user(&self, id: i64) -> Result<serde_json::Value> {
        let url = format!("{}/api/v1/users/{id}", self.console_url);
        let response = send(Method::GET, &url, None, Some(&self.cookie)).await?;
        expect_status(&url, &response, StatusCode::OK)?;
        let user = serde_json::from_slice(&response.body)
            .map_err(|error| format!("GET {url} did not return JSON: {error}"))?;
        Ok(user)
    }

    /// Changes the last name of user `id` to `last_name`, over whatever version is stored
    /// (`If-Match: *`), as another admin's save would.
    pub async fn set_last_name(&self, id: i64, last_name: &str) -> Result {
        let user = self.user(id).await?;
        let mut update = serde_json::Map::new();
        for field in [
            "first_name",
            "email",
            "work_phone",
            "admin_level",
            "roles",
            "account_ids",
        ] {
            update.insert(field.to_owned(), user[field].clone());
        }
        update.insert("last_name".to_owned(), last_name.into());
        let url = format!("{}/api/v1/users/{id}", self.console_url);
        let body = serde_json::Value::Object(update);
        let headers = [("if-match", "*")];
        let response = send_with_headers(
            Method::PATCH,
            &url,
            Some(&body),
            Some(&self.cookie),
            &headers,
        )
        .await?;
        expect_status(&url, &response, StatusCode::OK)
    }

    /// Creates a basic user named Morgan Achterberg with access to account 1 and no roles, and
    /// returns the stored user's JSON. The backend emails them an invitation.
    pub async fn create_user(&self, username: &str, email: &str) -> Result<serde_json::Value> {
        self.create_named_user(username, email, ("Morgan", "Achterberg"))
            .await
    }

    /// Creates a basic user with the given first and last name, access to account 1 and no
    /// roles, and returns the stored user's JSON. The backend emails them an invitation.
    pub async fn create_named_user(
        &self,
        username: &str,
        email: &str,
        (first_name, last_name): (&str, &str),
    ) -> Result<serde_json::Value> {
        let url = format!("{}/api/v1/users", self.console_url);
        let new_user = serde_json::json!({
            "username": username,
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "work_phone": null,
            "admin_level": "basic_user",
            "roles": [],
            "account_ids": [1],
        });
        let response = send(Method::POST, &url, Some(&new_user), Some(&self.cookie)).await?;
        expect_status(&url, &response, StatusCode::CREATED)?;
        let user = serde_json::from_slice(&response.body)
            .map_err(|error| format!("POST {url} did not return JSON: {error}"))?;
        Ok(user)
    }
}

impl ApiSession {
    /// Creates a user from `new_user`, a `NewUser` body, and returns the stored user's JSON.
    pub async fn create_user_from(
        &self,
        new_user: &serde_json::Value,
    ) -> Result<serde_json::Value> {
        let url = format!("{}/api/v1/users", self.console_url);
        let response = send(Method::POST, &url, Some(new_user), Some(&self.cookie)).await?;
        expect_status(&url, &response, StatusCode::CREATED)?;
        let user = serde_json::from_slice(&response.body)
            .map_err(|error| format!("POST {url} did not return JSON: {error}"))?;
        Ok(user)
    }

    /// Deactivates user `id`.
    pub async fn deactivate(&self, id: i64) -> Result {
        let url = format!("{}/api/v1/users/{id}/deactivate", self.console_url);
        let response = send(Method::POST, &url, None, Some(&self.cookie)).await?;
        expect_status(&url, &response, StatusCode::OK)
    }
}

impl ApiSession {
    /// Returns the users whose username, name or email contains `search`, as JSON.
    pub async fn users_matching(&self, search: &str) -> Result<Vec<serde_json::Value>> {
        let url = url::Url::parse_with_params(
            &format!("{}/api/v1/users", self.console_url),
            [("q", search), ("per_page", "100")],
        )?;
        let response = send(Method::GET, url.as_str(), None, Some(&self.cookie)).await?;
        expect_status(url.as_str(), &response, StatusCode::OK)?;
        let page: serde_json::Value = serde_json::from_slice(&response.body)
            .map_err(|error| format!("GET {url} did not return JSON: {error}"))?;
        let users = page["users"]
            .as_array()
            .ok_or_else(|| format!("GET {url} returned no users array: {page}"))?;
        Ok(users.clone())
    }

    /// Creates an account admin with `password`, who can then sign in: the invitation from
    /// the outbox is accepted straight away. The backend must run with `--expose-outbox`.
    pub async fn create_admin(&self, username: &str, password: &str) -> Result<serde_json::Value> {
        let email = format!("{username}@example.com");
        let url = format!("{}/api/v1/users", self.console_url);
        let new_user = serde_json::json!({
            "username": username,
            "first_name": "Second",
            "last_name": "Admin",
            "email": email,
            "work_phone": null,
            "admin_level": "account_admin",
            "roles": [],
            "account_ids": [1],
        });
        let response = send(Method::POST, &url, Some(&new_user), Some(&self.cookie)).await?;
        expect_status(&url, &response, StatusCode::CREATED)?;
        let link = invitation_link(&self.console_url, &email).await?;
        let token = link
            .split_once("#token=")
            .map(|(_, token)| token)
            .ok_or_else(|| format!("{link} has no #token="))?;
        let accept_url = format!("{}/api/v1/invitations/accept", self.console_url);
        let accept = serde_json::json!({ "token": token, "password": password });
        let accepted = send(Method::POST, &accept_url, Some(&accept), None).await?;
        expect_status(&accept_url, &accepted, StatusCode::NO_CONTENT)?;
        let user = serde_json::from_slice(&response.body)
            .map_err(|error| format!("POST {url} did not return JSON: {error}"))?;
        Ok(user)
    }
}

/// Adds a fault to the backend at `console_url`, which must run with
/// `--enable-fault-injection`; `fault` is the body that docs/api.md describes.
pub async fn add_fault(console_url: &str, fault: &serde_json::Value) -> Result {
    let url = format!("{}/api/v1/dev/faults", console_url.trim_end_matches('/'));
    let response = send(Method::PUT, &url, Some(fault), None).await?;
    expect_status(&url, &response, StatusCode::NO_CONTENT)
}

/// Removes every fault of the backend at `console_url`.
pub async fn clear_faults(console_url: &str) -> Result {
    let url = format!("{}/api/v1/dev/faults", console_url.trim_end_matches('/'));
    let response = send(Method::DELETE, &url, None, None).await?;
    expect_status(&url, &response, StatusCode::NO_CONTENT)
}

/// Returns the set-password link of the newest email to `email`, read from the test-only
/// outbox of the backend at `console_url` (it must run with `--expose-outbox`).
pub async fn invitation_link(console_url: &str, email: &str) -> Result<String> {
    let console_url = console_url.trim_end_matches('/');
    let outbox =
        url::Url::parse_with_params(&format!("{console_url}/api/v1/dev/outbox"), [("to", email)])?;
    let expectation = format!("an email to {email} in the outbox");
    let body = poll(&expectation, || {
        let outbox = outbox.clone();
        async move {
            let messages = crate::http::get_json(outbox.as_str())
                .await
                .map_err(|error| error.to_string())?;
            messages[0]["body"]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("it has {messages}"))
        }
    })
    .await?;
    let link_start = format!("{console_url}/set-password#token=");
    let link = body
        .split_whitespace()
        .find(|word| word.starts_with(&link_start))
        .ok_or_else(|| format!("the email to {email} has no link starting {link_start}: {body}"))?;
    Ok(link.to_owned())
}

/// Waits until the backend at `console_url` rejects the invitation `link` as expired (410), as
/// it does once the lifetime set by `--invitation-ttl` has passed.
pub async fn wait_until_expired(console_url: &str, link: &str) -> Result {
    let url = format!(
        "{}/api/v1/invitations/lookup",
        console_url.trim_end_matches('/')
    );
    let token = link
        .split_once("#token=")
        .map(|(_, token)| token)
        .ok_or_else(|| format!("{link} has no #token="))?;
    let lookup = serde_json::json!({ "token": token });
    let expectation = "the invitation link to have expired (410)";
    poll(expectation, || {
        let (url, lookup) = (&url, &lookup);
        async move {
            let response = send(Method::POST, url, Some(lookup), None)
                .await
                .map_err(|error| error.to_string())?;
            match response.status {
                StatusCode::GONE => Ok(()),
                other => Err(format!("the lookup returns {other}")),
            }
        }
    })
    .await
}

async fn send(
    method: Method,
    url: &str,
    json: Option<&serde_json::Value>,
    cookie: Option<&str>,
) -> Result<Response> {
    send_with_headers(method, url, json, cookie, &[]).await
}

async fn send_with_headers(
    method: Method,
    url: &str,
    json: Option<&serde_json::Value>,
    cookie: Option<&str>,
    headers: &[(&str, &str)],
) -> Result<Response> {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    // The backend rejects a state-changing request without this header as cross-site.
    let mut request = Request::builder()
        .method(method.clone())
        .uri(url)
        .header("x-requested-with", "console");
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let body = match json {
        Some(json) => {
            request = request.header(CONTENT_TYPE, "application/json");
            Full::new(Bytes::from(json.to_string()))
        }
        None => Full::new(Bytes::new()),
    };
    let response = client
        .request(request.body(body)?)
        .await
        .map_err(|error| format!("{method} {url} failed: {error}"))?;
    let status = response.status();
    let cookie = response
        .headers()
        .get(SET_COOKIE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(str::to_owned);
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|error| format!("reading the body of {method} {url} failed: {error}"))?
        .to_bytes();
    Ok(Response {
        status,
        cookie,
        body,
    })
}

fn expect_status(url: &str, response: &Response, expected: StatusCode) -> Result {
    if response.status == expected {
        return Ok(());
    }
    let body = String::from_utf8_lossy(&response.body);
    Err(format!(
        "{url} returned {} instead of {expected}: {body}",
        response.status
    )
    .into())
}
