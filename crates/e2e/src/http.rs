//! Plain HTTP requests from the test to the backend under test, such as reading its outbox.

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::Result;

/// Sends `GET url` and returns the JSON body of a 200 response.
pub async fn get_json(url: &str) -> Result<serde_json::Value> {
    let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
    let uri: hyper::Uri = url
        .parse()
        .map_err(|error| format!("invalid URL {url}: {error}"))?;
    let response = client
        .get(uri)
        .await
        .map_err(|error| format!("GET {url} failed: {error}"))?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|error| format!("reading the body of GET {url} failed: {error}"))?
        .to_bytes();
    if status != hyper::StatusCode::OK {
        let text = String::from_utf8_lossy(&body);
        return Err(format!("GET {url} returned {status}: {text}").into());
    }
    let json = serde_json::from_slice(&body)
        .map_err(|error| format!("GET {url} did not return JSON: {error}"))?;
    Ok(json)
}
