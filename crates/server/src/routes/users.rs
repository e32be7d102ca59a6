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
use crate::db::users::{self, UserQuery};
use crate::db::{user_changes, user_edit};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::routes::invitations;
use crate::state::AppState;

const DEFAULT_PER_PAGE: i64 = 25;
const MAX_PER_PAGE: i64 = 100;

/// Query parameters of the users list, as docs/api.md describes them.
#[derive(Deserialize)]
pub struct ListParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: UserStatusFilter,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn users_list(
    State(state): State<AppState>,
    _signed_in: SignedIn,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<UserPage>, AppError> {
    let (page, per_page) = check_paging(&params)?;
    let query = UserQuery {
        pattern: search_pattern(&params.q),
        status: match params.status {
            UserStatusFilter::All => None,
            UserStatusFilter::Active => Some(UserStatus::Active),
            UserStatusFilter::Invited => Some(UserStatus::Invited),
            UserStatusFilter::Deactivated => Some(UserStatus::Deactivated),
        },
        limit: i64::from(per_page),
        offset: (i64::from(page) - 1) * i64::from(per_page),
    };
    let (users, total) = state
        .db
        .run(move |connection| Ok(users::list(connection, &query)?))
        .await?;
    Ok(Json(UserPage {
        users,
        total,
        page,
        per_page,
    }))
}

/// Returns `page` and `per_page` with their defaults, or 422 naming each one out of range.
fn check_paging(params: &ListParams) -> Result<(u32, u32), AppError> {
    let mut errors = FieldErrors::new();
    let page = params.page.unwrap_or(1);
    let page = match u32::try_from(page) {
        Ok(page) if page >= 1 => page,
        _ => {
            errors.insert(
                "page".to_owned(),
                format!("Page must be 1 or more (it is {page})."),
            );
            1
        }
    };
    let per_page = params.per_page.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        let message = format!("Per page must be 1 to {MAX_PER_PAGE} (it is {per_page}).");
        errors.insert("per_page".to_owned(), message);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok((page, per_page as u32))
}

/// Turns the search text into a lower-case LIKE pattern for a substring, with `%`, `_` and
/// the escape character `\` escaped; `None` for an empty search.
fn search_pattern(q: &str) -> Option<String> {
    let q = q.trim().to_lowercase();
    if q.is_empty() {
        return None;
    }
    let mut pattern = String::with_capacity(q.len() + 2);
    pattern.push('%');
    for c in q.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    Some(pattern)
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
    let valid = domain::validate_user_update(&update).map_err(AppError::Validation)?;
    let username = update.username;
    let user = state
        .db
        .run(move |connection| user_edit::update(connection, id, username.as_deref(), &valid))
        .await?;
    tracing::info!(user_id = id, admin_id = admin.id, "user updated");
    Ok(Json(user))
}

pub async fn users_deactivate(
    state: State<AppState>,
    admin: AccountAdmin,
    id: ApiPath<i64>,
) -> Result<Json<User>, AppError> {
    users_set_active(state, admin, id, false).await
}

pub async fn users_reactivate(
    state: State<AppState>,
    admin: AccountAdmin,
    id: ApiPath<i64>,
) -> Result<Json<User>, AppError> {
    users_set_active(state, admin, id, true).await
}

async fn users_set_active(
    State(state): State<AppState>,
    AccountAdmin(admin): AccountAdmin,
    ApiPath(id): ApiPath<i64>,
    is_active: bool,
) -> Result<Json<User>, AppError> {
    let admin_id = admin.id;
    let user = state
        .db
        .run(move |connection| user_changes::set_active(connection, admin_id, id, is_active))
        .await?;
    tracing::info!(
        user_id = id,
        admin_id,
        status = user.status.as_str(),
        "user status set"
    );
    Ok(Json(user))
}
