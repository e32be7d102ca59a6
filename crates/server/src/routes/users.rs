//! The users list, username availability, and creating, reading, deactivating and
//! reactivating users. Users are never deleted.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use domain::{
    FieldErrors, NewUser, User, UserPage, UserStatus, UserStatusFilter, UsernameAvailability,
};
use serde::Deserialize;

use crate::auth::{AccountAdmin, SignedIn};
use crate::db::user_changes;
use crate::db::users::{self, UserQuery};
use crate::error::AppError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
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

pub async fn users_create(
    State(state): State<AppState>,
    AccountAdmin(admin): AccountAdmin,
    ApiJson(new_user): ApiJson<NewUser>,
) -> Result<Response, AppError> {
    let valid = domain::validate_new_user(&new_user).map_err(AppError::Validation)?;
    let user = state
        .db
        .run(move |connection| user_changes::insert(connection, &valid))
        .await?;
    tracing::info!(user_id = user.id, admin_id = admin.id, "user created");
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

pub async fn users_deactivate(
    state: State<AppState>,
    admin: AccountAdmin,
    id: ApiPath<i64>,
) -> Result<Json<User>, AppError> {
    users_set_status(state, admin, id, UserStatus::Deactivated).await
}

pub async fn users_reactivate(
    state: State<AppState>,
    admin: AccountAdmin,
    id: ApiPath<i64>,
) -> Result<Json<User>, AppError> {
    users_set_status(state, admin, id, UserStatus::Active).await
}

async fn users_set_status(
    State(state): State<AppState>,
    AccountAdmin(admin): AccountAdmin,
    ApiPath(id): ApiPath<i64>,
    status: UserStatus,
) -> Result<Json<User>, AppError> {
    let admin_id = admin.id;
    let user = state
        .db
        .run(move |connection| user_changes::set_status(connection, admin_id, id, status))
        .await?;
    tracing::info!(
        user_id = id,
        admin_id,
        status = status.as_str(),
        "user status set"
    );
    Ok(Json(user))
}
