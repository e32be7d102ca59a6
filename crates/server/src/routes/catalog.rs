//! Health, the OpenAPI document, and the roles and accounts that users can be granted. The
//! accounts are searched and paged, or fetched by id.

use axum::Json;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use domain::{ACCOUNTS_DEFAULT_LIMIT, ACCOUNTS_MAX_LIMIT, AccountPage, FieldErrors, Role};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::SignedIn;
use crate::db::catalog::{self, AccountQuery};
use crate::db::user_list::Search;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::routes::params::{PagingError, PagingParam, parse_id};
use crate::state::AppState;

/// The OpenAPI 3.0 document of every operation, written by hand.
pub const OPENAPI_DOCUMENT: &str = include_str!("../openapi.json");

pub async fn health_get() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn openapi_get() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], OPENAPI_DOCUMENT)
}

pub async fn roles_list(
    State(state): State<AppState>,
    _signed_in: SignedIn,
) -> Result<Json<Vec<Role>>, AppError> {
    let roles = state
        .db
        .run(|connection| Ok(catalog::roles_list(connection)?))
        .await?;
    Ok(Json(roles))
}

/// Query parameters of the accounts list, as docs/api.md describes them. Each is read as
/// text, so an empty value can mean the default and a number out of range gets its own
/// message.
#[derive(Deserialize)]
pub struct AccountParams {
    #[serde(default)]
    q: String,
    limit: Option<String>,
    after: Option<String>,
    ids: Option<String>,
}

/// Returns a page of the organisation's accounts matching `q` in number order, or with
/// `ids`, the accounts of those ids.
pub async fn accounts_list(
    State(state): State<AppState>,
    _signed_in: SignedIn,
    ApiQuery(params): ApiQuery<AccountParams>,
) -> Result<Json<AccountPage>, AppError> {
    let ids = params.ids.as_deref().unwrap_or_default().trim();
    if !ids.is_empty() {
        return accounts_by_id(&state, &params, ids).await;
    }
    let limit = ACCOUNT_LIMIT
        .parse(params.limit.as_deref())
        .map_err(|error| param_error(error, ACCOUNT_LIMIT.field))?;
    let after = parse_id("After", params.after.as_deref())
        .map_err(|error| param_error(error, AFTER_FIELD))?;
    let search = Search::parse(&params.q);
    let (accounts, total, has_more) = state
        .db
        .run(move |connection| {
            let after_number = match after {
                None => None,
                Some(id) => Some(
                    catalog::account_number(connection, id)?
                        .ok_or_else(|| field_error(AFTER_FIELD, unknown_after(id)))?,
                ),
            };
            let query = AccountQuery {
                search,
                after_number,
                limit: i64::from(limit),
            };
            Ok(catalog::accounts_page(connection, &query)?)
        })
        .await?;
    let next_after = has_more
        .then(|| accounts.last().map(|account| account.id))
        .flatten();
    Ok(Json(AccountPage {
        accounts,
        total: u64::try_from(total).unwrap_or_default(),
        next_after,
    }))
}

/// The `limit` parameter of the accounts list.
const ACCOUNT_LIMIT: PagingParam = PagingParam {
    field: "limit",
    label: "Limit",
    default: ACCOUNTS_DEFAULT_LIMIT,
    max: ACCOUNTS_MAX_LIMIT,
};
const AFTER_FIELD: &str = "after";
const IDS_FIELD: &str = "ids";

/// Returns the accounts of the comma-separated `ids`, which can't be combined with a search
/// or paging.
async fn accounts_by_id(
    state: &AppState,
    params: &AccountParams,
    ids: &str,
) -> Result<Json<AccountPage>, AppError> {
    let has_other = [params.limit.as_deref(), params.after.as_deref()]
        .into_iter()
        .any(|value| !value.unwrap_or_default().trim().is_empty())
        || !params.q.trim().is_empty();
    if has_other {
        return Err(field_error(
            IDS_FIELD,
            "Ids can't be combined with q, limit or after. Send them in separate requests."
                .to_owned(),
        ));
    }
    let ids = parse_ids(ids)?;
    let accounts = state
        .db
        .run(move |connection| Ok(catalog::accounts_by_id(connection, &ids)?))
        .await?;
    Ok(Json(AccountPage {
        total: accounts.len() as u64,
        accounts,
        next_after: None,
    }))
}

/// Reads the comma-separated ids of a request by id. A part that is not a whole number is
/// 400, and an id below 1 or more than [`ACCOUNTS_MAX_LIMIT`] ids are 422 at `ids`.
fn parse_ids(ids: &str) -> Result<Vec<i64>, AppError> {
    let parts: Vec<&str> = ids.split(',').map(str::trim).collect();
    if parts.len() > ACCOUNTS_MAX_LIMIT as usize {
        return Err(field_error(
            IDS_FIELD,
            format!(
                "Ids can name at most {ACCOUNTS_MAX_LIMIT} accounts (it names {}). Split them \
                 into several requests.",
                parts.len()
            ),
        ));
    }
    let mut parsed = Vec::with_capacity(parts.len());
    for part in parts {
        let id = parse_id("Each id", Some(part))
            .map_err(|error| param_error(error, IDS_FIELD))?
            .ok_or_else(|| {
                AppError::BadRequest(format!(
                    "Ids must be whole numbers separated by commas, with none empty (they are \
                     \"{ids}\")."
                ))
            })?;
        parsed.push(id);
    }
    Ok(parsed)
}

/// Turns a bad parameter into its error: 400 when it is not a whole number, 422 at `field`
/// when it is out of range.
fn param_error(error: PagingError, field: &str) -> AppError {
    match error {
        PagingError::NotANumber(message) => AppError::BadRequest(message),
        PagingError::OutOfRange(message) => field_error(field, message),
    }
}

fn field_error(field: &str, message: String) -> AppError {
    let mut fields = FieldErrors::new();
    fields.insert(field.to_owned(), message);
    AppError::Validation(fields)
}

fn unknown_after(id: i64) -> String {
    format!(
        "No account has the id {id} given as after. Pass the next_after of the previous page, \
         or leave after out to start at the first page."
    )
}
