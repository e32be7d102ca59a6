//! The users list, username availability, and creating, reading, editing, deactivating and
//! reactivating users. Users are never deleted.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use domain::{
    FieldErrors, NewUser, User, UserPage, UserStatus, UserStatusFilter, UserUpdate,
    UsernameAvailability,
};
use serde::Deserialize;

use crate::auth::{AccountAdmin, SignedIn};
use crate::db::user_list::{self, Search, UserQuery};
use crate::db::users;
use crate::db::{user_changes, user_edit};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::routes::invitations;
use crate::routes::params::{PagingError, PagingParam};
use crate::state::AppState;

const DEFAULT_PER_PAGE: u32 = 25;
const MAX_PER_PAGE: u32 = 100;

/// Query parameters of the users list, as docs/api.md describes them. Each is read as text,
/// so an empty value can mean the default and a number out of range gets its own message.
#[derive(Deserialize)]
pub struct ListParams {
    #[serde(default)]
    q: String,
    status: Option<String>,
    page: Option<String>,
    per_page: Option<String>,
}

pub async fn users_list(
    State(state): State<AppState>,
    _signed_in: SignedIn,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<UserPage>, AppError> {
    let status = parse_status(params.status.as_deref())?;
    let (page, per_page) = check_paging(&params)?;
    let query = UserQuery {
        search: Search::parse(&params.q),
        status: match status {
            UserStatusFilter::All => None,
            UserStatusFilter::Active => Some(UserStatus::Active),
            UserStatusFilter::Invited => Some(UserStatus::Invited),
            UserStatusFilter::Deactivated => Some(UserStatus::Deactivated),
        },
        limit: i64::from(per_page),
        offset: (i64::from(page) - 1) * i64::from(per_page),
    };
    let anchors = state.db.page_anchors();
    let username_keys = state.db.username_keys();
    let (users, total) = state
        .db
        .run(move |connection| {
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

/// Returns `page` and `per_page`, with their defaults when missing or empty. A value that
/// is not a whole number is 400; whole numbers out of range are 422, naming each field.
fn check_paging(params: &ListParams) -> Result<(u32, u32), AppError> {
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
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok((page, per_page))
}

#[derive(Deserialize)]
pub struct AvailabilityParams {
    #[serde(default)]
    username: String,
}

/// Tells whether a username could be given to a new user: valid, and not taken by any
/// user, deactivated ones included.
pub async fn users_availability(
    State(state): State<AppState>,
    _admin: AccountAdmin,
    ApiQuery(params): ApiQuery<AvailabilityParams>,
) -> Result<Json<UsernameAvailability>, AppError> {
    let username = params.username;
    let message = match domain::validate_username(&username) {
        Err(message) => Some(message),
        Ok(valid) => {
            let key = domain::normalize_key(&valid);
            let status = state
                .db
                .run(move |connection| Ok(users::status_by_username_key(connection, &key)?))
                .await?;
            status.map(|status| users::username_taken_message(status).to_owned())
        }
    };
    Ok(Json(UsernameAvailability {
        username,
        available: message.is_none(),
        message,
    }))
}

/// Creates an invited user and emails them a link to set their password.
pub async fn users_create(
    State(state): State<AppState>,
    AccountAdmin(admin): AccountAdmin,
    ApiJson(new_user): ApiJson<NewUser>,
) -> Result<Response, AppError> {
    let valid = domain::validate_new_user(&new_user).map_err(AppError::Validation)?;
    let issued = invitations::issue(&state)?;
    let stored = issued.stored.clone();
    let user = state
        .db
        .run(move |connection| user_changes::insert(connection, &valid, &stored))
        .await?;
    tracing::info!(user_id = user.id, admin_id = admin.id, "user created");
    // Counts towards the resend limit, so a resend right after creation waits a minute.
    let now = std::time::Instant::now();
    state.limits.invitations.record(&user.id.to_string(), now);
    // NOTE: the user is kept when the email fails, and the response is still 201; the
    // failure is logged, and the admin can resend the invitation.
    if let Err(error) = invitations::send(&state, &user, &issued).await {
        tracing::error!(user_id = user.id, error = ?error, "failed to send the invitation email");
    }
    let location = format!("{}/users/{}", domain::API_PREFIX, user.id);
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(user)).into_response())
}

pub async fn users_get(
    State(state): State<AppState>,
    _signed_in: SignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<User>, AppError> {
    let user = state
        .db
        .run(move |connection| users::get(connection, id))
        .await?;
    Ok(Json(user))
}

/// Replaces the changeable fields of a user. The username can't change.
pub async fn users_update(
    State(state): State<AppState>,
    AccountAdmin(admin): AccountAdmin,
    ApiPath(id): ApiPath<i64>,
    ApiJson(update): ApiJson<UserUpdate>,
) -> Result<Json<User>, AppError> {
    let validated = domain::validate_user_update(&update);
    let username = update.username;
    let user = state
        .db
        .run(move |connection| user_edit::update(connection, id, username.as_deref(), validated))
        .await?;
    tracing::info!(user_id = id, admin_id = admin.id, "user updated");
    Ok(Json(user))
}

/// Deactivates a user: their sessions end and their open invitation links stop working.
pub async fn users_deactivate(
    State(state): State<AppState>,
    AccountAdmin(admin): AccountAdmin,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<User>, AppError> {
    let admin_id = admin.id;
    let user = state
        .db
        .run(move |connection| user_changes::deactivate(connection, admin_id, id))
        .await?;
    tracing::info!(
        user_id = id,
        admin_id,
        status = user.status.as_str(),
        "user status set"
    );
    Ok(Json(user))
}

/// Reactivates a user. A user who never set a password returns to invited and is emailed a
/// new invitation, because deactivation revoked their earlier links.
pub async fn users_reactivate(
    State(state): State<AppState>,
    AccountAdmin(admin): AccountAdmin,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<User>, AppError> {
    let admin_id = admin.id;
    let issued = invitations::issue(&state)?;
    let stored = issued.stored.clone();
    let (user, is_invitation_stored) = state
        .db
        .run(move |connection| user_changes::reactivate(connection, id, &stored))
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
    Ok(Json(user))
}
