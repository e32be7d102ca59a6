//! Extractors for JSON bodies, query strings and path parameters that reject with
//! [`AppError`], so a malformed body or parameter gets the same error body as every other
//! failure, with a message in plain words.

mod rejection;

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

use axum::Json;
use axum::body::Bytes;
use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::AppError;

/// Largest request body accepted, in bytes; larger ones get 413. The biggest body of the API
/// is a bulk status change of `domain::BULK_STATUS_MAX_USERS` (10,000) ids, which is up to
/// about 200 KB with 19-digit ids. A new user with every role and account is a few kilobytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// JSON request body. Bad syntax, a wrong shape, an unknown member and a wrong content type
/// all give 400, and a body over [`MAX_BODY_BYTES`] gives 413. Each message states what to fix.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !has_json_content_type(request.headers()) {
            return Err(AppError::BadRequest(
                "Send the request body as JSON with the header Content-Type: application/json."
                    .to_owned(),
            ));
        }
        let bytes = match Bytes::from_request(request, state).await {
            Ok(bytes) => bytes,
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(AppError::PayloadTooLarge(format!(
                    "The request body is larger than the limit of {} KiB ({MAX_BODY_BYTES} \
                     bytes). Send a smaller body.",
                    MAX_BODY_BYTES / 1024
                )));
            }
            Err(rejection) => return Err(AppError::BadRequest(rejection.body_text())),
        };
        parse_json_object(&bytes).map(ApiJson)
    }
}

/// Returns whether the content type is `application/json` or another JSON type such as
/// `application/problem+json`, ignoring parameters such as `charset`.
fn has_json_content_type(headers: &HeaderMap) -> bool {
    let Some(content_type) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    let essence = essence.to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads `bytes` as a JSON object of the type `T`, or returns a 400 whose message names the
/// problem and, where there is one, the field.
fn parse_json_object<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let expected = rejection::field_names::<T>();
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|error| AppError::BadRequest(rejection::json_syntax(&error, expected)))?;
    if !value.is_object() {
        return Err(AppError::BadRequest(rejection::not_an_object(
            &value, expected,
        )));
    }
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let message = error.inner().to_string();
        AppError::BadRequest(rejection::data_error(&message, &path, "field", expected))
    })
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

/// Query string parameters. A missing or mistyped parameter gives 400.
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|error| {
                let path = error.path().to_string();
                let message = error.inner().to_string();
                let expected = rejection::field_names::<T>();
                AppError::BadRequest(rejection::data_error(
                    &message,
                    &path,
                    "query parameter",
                    expected,
                ))
            })
    }
}

/// Path parameters. A mistyped parameter, such as a non-numeric user id, gives 400.
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(ApiPath(value)),
            Err(rejection) => Err(AppError::BadRequest(path_message(&rejection))),
        }
    }
}

/// Describes a path parameter that could not be read, such as `abc` where an id belongs.
fn path_message(rejection: &PathRejection) -> String {
    let PathRejection::FailedToDeserializePathParams(error) = rejection else {
        return rejection.body_text();
    };
    let (key, value, expected_type) = match error.kind() {
        ErrorKind::ParseErrorAtKey {
            key,
            value,
            expected_type,
        } => (key.as_str(), value, *expected_type),
        ErrorKind::ParseErrorAtIndex {
            value,
            expected_type,
            ..
        }
        | ErrorKind::ParseError {
            value,
            expected_type,
        } => ("id", value, *expected_type),
        _ => return "The path of the request is not valid.".to_owned(),
    };
    let is_integer = expected_type.starts_with('i') || expected_type.starts_with('u');
    if is_integer {
        format!("The {key} in the path must be a whole number (it is \"{value}\").")
    } else {
        format!("The {key} in the path is not valid (it is \"{value}\").")
    }
}

/// IP address of the client: the socket peer, which `main` provides through axum's
/// `ConnectInfo`. `None` when the router is called without a socket, as in tests.
// NOTE: behind a reverse proxy every client has the proxy's address; forwarded headers are
// not trusted, because clients can set them.
pub struct ClientAddress(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let info = parts.extensions.get::<ConnectInfo<SocketAddr>>();
        Ok(ClientAddress(info.map(|ConnectInfo(address)| address.ip())))
    }
}
