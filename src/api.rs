//! Every HTTP call the app makes to the backend's JSON API (described in docs/api.md).
//!
//! Requests go to the `api_url` of `config.json` (see [`crate::runtime_config`]). Before it is
//! loaded, as in the wasm tests that mount the app directly, they go to `CONSOLE_API_URL` as
//! set at compile time, or to `/api/v1` on the page's own origin. Each one sends credentials, so
//! the session cookie also works across origins.
//! Bodies go through the browser's `JSON.parse` and `JSON.stringify` with serde-wasm-bindgen,
//! which compiles to less wasm than serde_json's parser and writer.

use domain::{
    Account, AccountPage, ApiError, BulkStatusRequest, BulkStatusResult, CurrentUser,
    InvitationAccept, InvitationDetails, InvitationLookup, InvitationSent, NewUser, Role, SignIn,
    User, UserListQuery, UserPage, UserUpdate, UsernameAvailability, VersionConflict,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::{GetValue, LocalStorage, SetValue, StoredValue};
use serde::de::DeserializeOwned;
use web_sys::{AbortController, AbortSignal, RequestCredentials};

use crate::components::connection_banner;
use crate::error::ClientError;

/// Base URL of the JSON API, without a trailing slash.
pub const API_URL: &str = match option_env!("CONSOLE_API_URL") {
    Some(url) => url,
    None => domain::API_PREFIX,
};

/// Signs in and returns the signed-in user; the backend sets the session cookie.
pub async fn sign_in(credentials: &SignIn) -> Result<CurrentUser, ClientError> {
    let request = with_body(Request::post(&url("/session")), credentials)?;
    parse_json(read_body(request).await?)
}

/// Returns the signed-in user, or `None` when no session cookie is valid (the backend
/// responds with 204).
pub async fn current_user() -> Result<Option<CurrentUser>, ClientError> {
    let body = read_body(build(Request::get(&url("/session")))?).await?;
    if body.status == 204 {
        return Ok(None);
    }
    parse_json(body).map(Some)
}

/// Ends the session on the backend.
pub async fn sign_out() -> Result<(), ClientError> {
    send(build(Request::delete(&url("/session")))?)
        .await
        .map(drop)
}

/// Returns every role, sorted by name.
pub async fn roles() -> Result<Vec<Role>, ClientError> {
    parse_json(read_body(build(Request::get(&url("/roles")))?).await?)
}

/// Accounts per page of the account picker.
pub const ACCOUNTS_PER_PAGE: u32 = domain::ACCOUNTS_DEFAULT_LIMIT;

/// Parameters of the accounts list request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountQuery {
    /// Text to search for in account number and name; empty matches every account.
    pub search: String,
    /// The `next_after` of the previous page, or `None` for the first page.
    pub after: Option<i64>,
}

/// Returns one page of the accounts that match `query`, sorted by number; `abort` cancels the
/// request.
pub async fn accounts(
    query: &AccountQuery,
    abort: Option<&AbortSignal>,
) -> Result<AccountPage, ClientError> {
    let limit = ACCOUNTS_PER_PAGE.to_string();
    let after = query.after.map(|id| id.to_string()).unwrap_or_default();
    let request = Request::get(&url("/accounts"))
        .query([
            ("q", query.search.as_str()),
            ("limit", limit.as_str()),
            ("after", after.as_str()),
        ])
        .abort_signal(abort);
    parse_json(read_body(build(request)?).await?)
}

/// Returns the accounts of `ids` that exist, sorted by number, in one request per
/// [`domain::ACCOUNTS_MAX_LIMIT`] ids.
pub async fn accounts_by_id(ids: &[i64]) -> Result<Vec<Account>, ClientError> {
    let mut accounts = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(domain::ACCOUNTS_MAX_LIMIT as usize) {
        let ids = chunk
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let request = Request::get(&url("/accounts")).query([("ids", ids.as_str())]);
        let page: AccountPage = parse_json(read_body(build(request)?).await?)?;
        accounts.extend(page.accounts);
    }
    accounts.sort_by(|a, b| a.number.cmp(&b.number));
    Ok(accounts)
}

/// Returns one page of users; `abort` cancels the request.
pub async fn users(
    query: &UserListQuery,
    abort: Option<&AbortSignal>,
) -> Result<UserPage, ClientError> {
    let pairs = query.to_pairs();
    let request = Request::get(&url("/users"))
        .query(pairs.iter().map(|(name, value)| (*name, value.as_str())))
        .abort_signal(abort);
    parse_json(read_body(build(request)?).await?)
}

/// Deactivates or reactivates many users in one request, or with `dry_run`, previews it.
pub async fn bulk_status(request: &BulkStatusRequest) -> Result<BulkStatusResult, ClientError> {
    let request = with_body(Request::post(&url("/users/bulk-status")), request)?;
    parse_json(read_body(request).await?)
}

/// Checks whether a username is free and valid; `abort` cancels the request.
pub async fn username_availability(
    username: &str,
    abort: Option<&AbortSignal>,
) -> Result<UsernameAvailability, ClientError> {
    let request = Request::get(&url("/users/availability"))
        .query([("username", username)])
        .abort_signal(abort);
    parse_json(read_body(build(request)?).await?)
}

/// How many times a create is sent at most: the first attempt and three retries.
pub const CREATE_ATTEMPTS: u32 = 4;
/// How long one attempt of a create may take before it is aborted and retried.
const CREATE_TIMEOUT_MS: u32 = 15_000;

/// Creates a user and returns it as stored, retrying after a network failure, a timeout or a
/// 502, 503 or 504 answer, up to [`CREATE_ATTEMPTS`] attempts, 1, 2 and 4 seconds apart.
///
/// Every attempt sends the same `idempotency_key`, and the backend returns the first response
/// for a repeated key, so a retry after a lost response can't create the user twice.
/// `on_retry` gets the number of the attempt about to start (2 to [`CREATE_ATTEMPTS`]).
pub async fn create_user(
    new_user: &NewUser,
    idempotency_key: &str,
    on_retry: impl Fn(u32),
) -> Result<User, ClientError> {
    let mut attempt = 1;
    loop {
        let result = create_user_once(new_user, idempotency_key).await;
        let is_retryable = match &result {
            Err(ClientError::Network { .. } | ClientError::Aborted) => true,
            Err(error) => matches!(error.status(), Some(502..=504)),
            Ok(_) => false,
        };
        if !is_retryable || attempt == CREATE_ATTEMPTS {
            return result;
        }
        if let Err(error) = &result {
            leptos::logging::warn!("create attempt {attempt} failed, retrying: {error}");
        }
        gloo_timers::future::TimeoutFuture::new(1_000 << (attempt - 1)).await;
        attempt += 1;
        on_retry(attempt);
    }
}

/// Sends one create request, aborted after [`CREATE_TIMEOUT_MS`].
async fn create_user_once(new_user: &NewUser, idempotency_key: &str) -> Result<User, ClientError> {
    let controller = AbortController::new().ok();
    let signal = controller.as_ref().map(AbortController::signal);
    let _timeout = controller.map(|controller| {
        gloo_timers::callback::Timeout::new(CREATE_TIMEOUT_MS, move || controller.abort())
    });
    let builder = Request::post(&url("/users"))
        .header("Idempotency-Key", idempotency_key)
        .abort_signal(signal.as_ref());
    let request = with_body(builder, new_user)?;
    parse_json(read_body(request).await?)
}

/// Returns a new random key for one form submission: `crypto.randomUUID()`, or, where the
/// browser lacks it (pages not served from a secure context), 128 bits of
/// `crypto.getRandomValues` in hex.
pub fn new_idempotency_key() -> Result<String, ClientError> {
    let invalid = |detail: String| ClientError::InvalidRequest { detail };
    let crypto = web_sys::window()
        .ok_or_else(|| invalid("no window".to_owned()))?
        .crypto()
        .map_err(|error| invalid(format!("window.crypto is unavailable: {error:?}")))?;
    let has_random_uuid = js_sys::Reflect::has(&crypto, &"randomUUID".into()).unwrap_or(false);
    if has_random_uuid {
        return Ok(crypto.random_uuid());
    }
    let mut bytes = [0u8; 16];
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|error| invalid(format!("crypto.getRandomValues failed: {error:?}")))?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Returns one user.
pub async fn user(id: i64) -> Result<User, ClientError> {
    let request = build(Request::get(&url(&format!("/users/{id}"))))?;
    parse_json(read_body(request).await?)
}

/// Deactivates a user, who can then no longer sign in, and returns the changed user.
pub async fn deactivate_user(id: i64) -> Result<User, ClientError> {
    let request = build(Request::post(&url(&format!("/users/{id}/deactivate"))))?;
    parse_json(read_body(request).await?)
}

/// Reactivates a deactivated user and returns the changed user.
pub async fn reactivate_user(id: i64) -> Result<User, ClientError> {
    let request = build(Request::post(&url(&format!("/users/{id}/reactivate"))))?;
    parse_json(read_body(request).await?)
}

/// Replaces the changeable fields of a user and returns the changed user. `version` is the
/// version the edit started from; when someone else changed the user since, the error is
/// [`ClientError::VersionConflict`] with the user as now stored.
pub async fn update_user(id: i64, version: u64, update: &UserUpdate) -> Result<User, ClientError> {
    let builder =
        Request::patch(&url(&format!("/users/{id}"))).header("If-Match", &format!("\"{version}\""));
    let request = with_body(builder, update)?;
    parse_json(read_body(request).await?)
}

/// Sends a new invitation email to an invited user; their older links stop working.
pub async fn resend_invitation(id: i64) -> Result<InvitationSent, ClientError> {
    let request = build(Request::post(&url(&format!("/users/{id}/invitation"))))?;
    parse_json(read_body(request).await?)
}

/// Returns who an invitation token is for; needs no session.
pub async fn invitation_details(token: &str) -> Result<InvitationDetails, ClientError> {
    let body = InvitationLookup {
        token: token.to_owned(),
    };
    let request = with_body(Request::post(&url("/invitations/lookup")), &body)?;
    parse_json(read_body(request).await?)
}

/// Sets the password of an invited user, who can then sign in; needs no session.
pub async fn accept_invitation(accept: &InvitationAccept) -> Result<(), ClientError> {
    let request = with_body(Request::post(&url("/invitations/accept")), accept)?;
    send(request).await.map(drop)
}

fn url(path: &str) -> String {
    let base = crate::runtime_config::api_url().unwrap_or(API_URL);
    format!("{base}{path}")
}

/// Value of the `X-Requested-With` header of every request. The backend rejects a
/// state-changing request without the header, because a cross-site HTML form cannot send it.
const REQUESTED_WITH: &str = "console";

fn build(builder: RequestBuilder) -> Result<Request, ClientError> {
    builder
        .credentials(RequestCredentials::Include)
        .header("X-Requested-With", REQUESTED_WITH)
        .build()
        .map_err(|error| ClientError::InvalidRequest {
            detail: error.to_string(),
        })
}

/// Builds a request whose body is `body` as JSON.
fn with_body<T: serde::Serialize>(
    builder: RequestBuilder,
    body: &T,
) -> Result<Request, ClientError> {
    let invalid = |detail: String| ClientError::InvalidRequest { detail };
    let value = body
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| invalid(error.to_string()))?;
    let text = js_sys::JSON::stringify(&value).map_err(|error| invalid(format!("{error:?}")))?;
    builder
        .credentials(RequestCredentials::Include)
        .header("X-Requested-With", REQUESTED_WITH)
        .header("Content-Type", "application/json")
        .body(text)
        .map_err(|error| invalid(error.to_string()))
}

/// Sends a request and turns a failed fetch or a non-2xx status into a [`ClientError`].
async fn send(request: Request) -> Result<Response, ClientError> {
    let response = request.send().await.map_err(|error| match error {
        gloo_net::Error::JsError(js) if js.name == "AbortError" => ClientError::Aborted,
        other => {
            connection_banner::notify(connection_banner::NETWORK_FAILURE_EVENT);
            ClientError::Network {
                detail: other.to_string(),
            }
        }
    })?;
    connection_banner::notify(connection_banner::NETWORK_RESPONSE_EVENT);
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|error| ClientError::InvalidResponse {
            status,
            detail: error.to_string(),
        })?;
    if status == 412 {
        let conflict: VersionConflict = parse_json(ResponseBody { status, text })?;
        let error = ApiError {
            message: conflict.message,
            fields: conflict.fields,
        };
        let current = Box::new(conflict.current_user);
        return Err(ClientError::VersionConflict { error, current });
    }
    let error: ApiError = parse_json(ResponseBody { status, text })?;
    Err(ClientError::Api { status, error })
}

/// Status and body text of a response.
struct ResponseBody {
    status: u16,
    text: String,
}

/// Sends a request and reads the body of its 2xx response as text. Only [`parse_json`] depends
/// on the response type, so this part is compiled once instead of once per type.
async fn read_body(request: Request) -> Result<ResponseBody, ClientError> {
    let response = send(request).await?;
    let status = response.status();
    let text = response.text().await.map_err(|error| match error {
        gloo_net::Error::JsError(js) if js.name == "AbortError" => ClientError::Aborted,
        // Fetch rejects with a TypeError when the connection breaks while the body arrives.
        gloo_net::Error::JsError(js) if js.name == "TypeError" => {
            connection_banner::notify(connection_banner::NETWORK_FAILURE_EVENT);
            ClientError::Network {
                detail: format!(
                    "the connection broke while reading the body: {}",
                    js.message
                ),
            }
        }
        other => ClientError::InvalidResponse {
            status,
            detail: other.to_string(),
        },
    })?;
    Ok(ResponseBody { status, text })
}

/// Parses a JSON response body into `T`.
fn parse_json<T: DeserializeOwned>(body: ResponseBody) -> Result<T, ClientError> {
    let invalid = |detail: String| ClientError::InvalidResponse {
        status: body.status,
        detail,
    };
    let value = js_sys::JSON::parse(&body.text).map_err(|error| invalid(format!("{error:?}")))?;
    serde_wasm_bindgen::from_value(value).map_err(|error| invalid(error.to_string()))
}

/// Keeps at most one request of a kind in flight. Starting a request aborts the one before,
/// and [`LatestRequest::is_latest`] returns false for a late response, which is then dropped.
#[derive(Clone, Copy)]
pub struct LatestRequest {
    state: StoredValue<(u64, Option<AbortController>), LocalStorage>,
}

impl LatestRequest {
    pub fn new() -> Self {
        Self {
            state: StoredValue::new_local((0, None)),
        }
    }

    /// Aborts the request in flight, if any, and returns the abort signal and the generation
    /// number of the next one.
    pub fn start(&self) -> (Option<AbortSignal>, u64) {
        let (generation, previous) = self.state.get_value();
        if let Some(controller) = previous {
            controller.abort();
        }
        let controller = AbortController::new()
            .inspect_err(|error| {
                leptos::logging::warn!("AbortController is unavailable: {error:?}")
            })
            .ok();
        let signal = controller.as_ref().map(AbortController::signal);
        self.state.set_value((generation + 1, controller));
        (signal, generation + 1)
    }

    /// Aborts the request in flight, if any, so that its response is dropped.
    pub fn cancel(&self) {
        let (generation, previous) = self.state.get_value();
        if let Some(controller) = previous {
            controller.abort();
        }
        self.state.set_value((generation + 1, None));
    }

    /// Returns whether the request of `generation` is still the newest one.
    pub fn is_latest(&self, generation: u64) -> bool {
        self.state
            .try_get_value()
            .is_some_and(|(current, _)| current == generation)
    }
}

impl Default for LatestRequest {
    fn default() -> Self {
        Self::new()
    }
}
