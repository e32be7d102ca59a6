//! The users list, username availability, and creating, reading, editing, deactivating and
//! reactivating users. Users are never deleted.

use axum::Json;
use axum::extract::State;
use axum::http::header::{CONTENT_TYPE, ETAG, LOCATION};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::{
    FieldErrors, NewUser, User, UserPage, UserStatusFilter, UserUpdate, UsernameAvailability, field,
};
use serde::Deserialize;

use crate::auth::{AccountAdmin, SignedIn};
use crate::db::idempotency::{self, Lookup, StoredResponse};
use crate::db::list_filter::ListFilter;
use crate::db::user_changes::{CreateOutcome, NewUserWrite};
use crate::db::user_edit::UserEdit;
use crate::db::user_list::{self, Search, UserQuery};
use crate::db::users::{self, UserKeys};
use crate::db::{self, user_changes, user_edit};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::routes::invitations;
use crate::routes::list_filter;
use crate::routes::params::{PagingError, PagingParam, parse_id};
use crate::routes::write_headers::{self, IDEMPOTENT_REPLAYED, IfMatch};
use crate::state::AppState;

const DEFAULT_PER_PAGE: u32 = 25;
const MAX_PER_PAGE: u32 = 100;

/// Query parameters of the users list, as docs/api.md describes them. Each is read as text,
/// so an empty value can mean the default and a bad value gets its own message.
#[derive(Deserialize)]
pub struct ListParams {
    #[serde(default)]
    q: String,
    status: Option<String>,
    level: Option<String>,
    role: Option<String>,
    account: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<String>,
    per_page: Option<String>,
}

pub async fn users_list(
    State(state): State<AppState>,
    _signed_in: SignedIn,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<UserPage>, AppError> {
    let status = parse_status(params.status.as_deref())?;
    let level = list_filter::parse_level(params.level.as_deref())?;
    let sort = list_filter::parse_sort(params.sort.as_deref())?;
    let direction = list_filter::parse_direction(params.dir.as_deref())?;
    let (page, per_page, account) = check_numbers(&params)?;
    let query = UserQuery {
        filter: ListFilter {
            search: Search::parse(&params.q),
            status: list_filter::status_of(status),
            level,
            role: list_filter::non_empty(params.role.as_deref()),
            account,
        },
        sort,
        direction,
        limit: i64::from(per_page),
        offset: (i64::from(page) - 1) * i64::from(per_page),
    };
    let anchors = state.db.page_anchors();
    let username_keys = state.db.username_keys();
    let (users, total) = state
        .db
        .run(move |connection| {
            list_filter::check_references(
                connection,
                &query.filter,
                list_filter::ROLE_FIELD,
                list_filter::ACCOUNT_FIELD,
            )?;
            Ok(user_list::list(
                connection,
                &anchors,
                &username_keys,
                &query,
            )?)
        })
        .await?;
    Ok(Json(UserPage {
        users,
        total: u64::try_from(total).unwrap_or_default(),
        page,
        per_page,
    }))
}

/// Reads the `status` filter; missing or empty means all. Any other unknown value is 400.
fn parse_status(value: Option<&str>) -> Result<UserStatusFilter, AppError> {
    let value = value.unwrap_or_default();
    if value.is_empty() {
        return Ok(UserStatusFilter::All);
    }
    UserStatusFilter::parse(value).ok_or_else(|| {
        let names: Vec<&str> = UserStatusFilter::ALL.iter().map(|s| s.as_str()).collect();
        AppError::BadRequest(format!(
            "Status must be one of {} (it is \"{value}\").",
            names.join(", ")
        ))
    })
}

/// Returns `page`, `per_page` and `account`, with their defaults when missing or empty. A
/// value that is not a whole number is 400; whole numbers out of range are 422, naming each
/// field.
fn check_numbers(params: &ListParams) -> Result<(u32, u32, Option<i64>), AppError> {
    let page = PagingParam {
        field: "page",
        label: "Page",
        default: 1,
        max: u32::MAX,
    };
    let per_page = PagingParam {
        field: "per_page",
        label: "Per page",
        default: DEFAULT_PER_PAGE,
        max: MAX_PER_PAGE,
    };
    let mut errors = FieldErrors::new();
    let mut read = |param: PagingParam, value: Option<&str>| match param.parse(value) {
        Ok(number) => Ok(number),
        Err(PagingError::NotANumber(message)) => Err(AppError::BadRequest(message)),
        Err(PagingError::OutOfRange(message)) => {
            errors.insert(param.field.to_owned(), message);
            Ok(param.default)
        }
    };
    let page = read(page, params.page.as_deref())?;
    let per_page = read(per_page, params.per_page.as_deref())?;
    let account = match parse_id("Account (account)", params.account.as_deref()) {
        Ok(account) => account,
        Err(PagingError::NotANumber(message)) => return Err(AppError::BadRequest(message)),
        Err(PagingError::OutOfRange(message)) => {
            errors.insert(list_filter::ACCOUNT_FIELD.to_owned(), message);
            None
        }
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok((page, per_page, account))
}

#[derive(Deserialize)]
pub struct AvailabilityParams {
    #[serde(default)]
    username: String,
}

/// Tells whether a username could be given to a new user: valid, not taken by any user,
/// deactivated ones included, and not equal to the key of any user's email.
pub async fn users_availability(
    State(state): State<AppState>,
    _admin: AccountAdmin,
    ApiQuery(params): ApiQuery<AvailabilityParams>,
) -> Result<Json<UsernameAvailability>, AppError> {
    let username = params.username;
    let message = match domain::validate_username(&username) {
        Err(message) => Some(message),
        Ok(valid) => {
            let key = domain::username_key(&valid);
            let conflict = state
                .db
                .run(move |connection| Ok(users::username_conflict(connection, &key)?))
                .await?;
            conflict.map(str::to_owned)
        }
    };
    Ok(Json(UsernameAvailability {
        username,
        available: message.is_none(),
        message,
    }))
}

/// Creates an invited user and emails them a link to set their password.
///
/// With an `Idempotency-Key`, a repeated request gets the first answer again, marked with
/// `Idempotent-Replayed: true`, and the same key with another body is a 422.
pub async fn users_create(
    State(state): State<AppState>,
    AccountAdmin(admin): AccountAdmin,
    headers: HeaderMap,
    ApiJson(new_user): ApiJson<NewUser>,
) -> Result<Response, AppError> {
    let idempotency = write_headers::idempotency_key(&headers, admin.id, &new_user)?;
    // A retry of an earlier request is answered before the rules run, so a key reused with a
    // different, invalid body is reported as reused rather than as invalid.
    if let Some(key) = idempotency.clone() {
        let lookup = state
            .db
            .run(move |connection| Ok(idempotency::find(connection, &key, db::unix_now())?))
            .await?;
        match lookup {
            Lookup::Unused => {}
            Lookup::SameRequest(stored) => return Ok(replay(stored, admin.id)),
            Lookup::OtherRequest => {
                return Err(AppError::Unprocessable(
                    user_changes::IDEMPOTENCY_KEY_REUSED.to_owned(),
                ));
            }
        }
    }
    let valid = domain::validate_new_user(&new_user).map_err(AppError::Validation)?;
    let keys = UserKeys::new(&valid.username, &valid.email).map_err(|message| {
        AppError::Validation(FieldErrors::from([(field::EMAIL.to_owned(), message)]))
    })?;
    let issued = invitations::issue(&state)?;
    let outbox_email = invitations::outbox_email(&state, &issued);
    let is_email_in_outbox = outbox_email.is_some();
    let write = NewUserWrite {
        user: valid,
        keys,
        invitation: issued.stored.clone(),
        idempotency,
        outbox_email,
    };
    let outcome = state
        .db
        .run(move |connection| user_changes::insert(connection, write))
        .await?;
    let user = match outcome {
        CreateOutcome::Created(user) => user,
        CreateOutcome::Replayed(stored) => return Ok(replay(stored, admin.id)),
    };
    tracing::info!(user_id = user.id, admin_id = admin.id, "user created");
    // Counts towards the resend limit, so a resend right after creation waits a minute.
    let now = std::time::Instant::now();
    state.limits.invitations.record(&user.id.to_string(), now);
    if is_email_in_outbox {
        invitations::log_stored_email(&user);
    } else if let Err(error) = invitations::send(&state, &user, &issued).await {
        // NOTE: the user is kept when the email fails, and the response is still 201; the
        // failure is logged, and the admin can resend the invitation.
        tracing::error!(user_id = user.id, error = ?error, "failed to send the invitation email");
    }
    let location = format!("{}/users/{}", domain::API_PREFIX, user.id);
    let etag = write_headers::etag(&user);
    Ok((
        StatusCode::CREATED,
        [
            (
                LOCATION,
                HeaderValue::from_str(&location).map_err(|e| AppError::Internal(e.into()))?,
            ),
            (ETAG, etag),
        ],
        Json(user),
    )
        .into_response())
}

/// Builds the answer stored for an `Idempotency-Key`: the same status and JSON body as the
/// first time, with `Idempotent-Replayed: true`.
fn replay(stored: StoredResponse, admin_id: i64) -> Response {
    tracing::info!(
        user_id = stored.user_id,
        admin_id,
        "user create repeated with a known Idempotency-Key; first answer returned"
    );
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::CREATED);
    let location = format!("{}/users/{}", domain::API_PREFIX, stored.user_id);
    let mut response = (status, stored.body).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    if let Ok(location) = HeaderValue::from_str(&location) {
        headers.insert(LOCATION, location);
    }
    response
}

/// Returns a user, with its version as the `ETag`.
pub async fn users_get(
    State(state): State<AppState>,
    _signed_in: SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, AppError> {
    let user = state
        .db
        .run(move |connection| users::get(connection, id))
        .await?;
    Ok(with_etag(user))
}

fn with_etag(user: User) -> Response {
    ([(ETAG, write_headers::etag(&user))], Json(user)).into_response()
}

/// Replaces the changeable fields of a user. The username can't change. `If-Match` is
/// required: without it the answer is 428, and with a stale version 412.
pub async fn users_update(
    State(state): State<AppState>,
    AccountAdmin(admin): AccountAdmin,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    ApiJson(update): ApiJson<UserUpdate>,
) -> Result<Response, AppError> {
    let expected_versions = IfMatch::read(&headers)?.required()?;
    let edit = UserEdit {
        validated: domain::validate_user_update(&update),
        username: update.username,
        expected_versions,
    };
    let user = state
        .db
        .run(move |connection| user_edit::update(connection, id, edit))
        .await?;
    tracing::info!(
        user_id = id,
        admin_id = admin.id,
        version = user.version,
        "user updated"
    );
    Ok(with_etag(user))
}

/// Deactivates a user: their sessions end and their open invitation links stop working.
/// `If-Match` is optional; a stale one is a 412.
pub async fn users_deactivate(
    State(state): State<AppState>,
    AccountAdmin(admin): AccountAdmin,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let admin_id = admin.id;
    let expected_versions = IfMatch::read(&headers)?.optional();
    let user = state
        .db
        .run(move |connection| {
            user_changes::deactivate(connection, admin_id, id, expected_versions)
        })
        .await?;
    tracing::info!(
        user_id = id,
        admin_id,
        status = user.status.as_str(),
        "user status set"
    );
    Ok(with_etag(user))
}

/// Reactivates a user. A user who never set a password returns to invited and is emailed a
/// new invitation, because deactivation revoked their earlier links. `If-Match` is optional;
/// a stale one is a 412.
pub async fn users_reactivate(
    State(state): State<AppState>,
    AccountAdmin(admin): AccountAdmin,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let admin_id = admin.id;
    let expected_versions = IfMatch::read(&headers)?.optional();
    let issued = invitations::issue(&state)?;
    let stored = issued.stored.clone();
    let outbox_email = invitations::outbox_email(&state, &issued);
    let is_email_in_outbox = outbox_email.is_some();
    let (user, is_invitation_stored) = state
        .db
        .run(move |connection| {
            user_changes::reactivate(connection, id, expected_versions, &stored, outbox_email)
        })
        .await?;
    tracing::info!(
        user_id = id,
        admin_id,
        status = user.status.as_str(),
        "user status set"
    );
    if is_invitation_stored {
        // Counts towards the resend limit, like the invitation sent at creation.
        state
            .limits
            .invitations
            .record(&id.to_string(), std::time::Instant::now());
        if is_email_in_outbox {
            invitations::log_stored_email(&user);
        } else {
            // NOTE: like creation, reactivation succeeds when the email fails; the failure is
            // logged, and the admin can resend the invitation.
            match invitations::send(&state, &user, &issued).await {
                Ok(()) => tracing::info!(user_id = id, admin_id, "invitation sent on reactivation"),
                Err(error) => tracing::error!(
                    user_id = id,
                    error = ?error,
                    "failed to send the invitation email on reactivation"
                ),
            }
        }
    }
    Ok(with_etag(user))
}
