//! Plain HTTP requests from the test to the backend under test, such as reading its outbox or
//! signing in.

use http_body_util::{BodyExt, Empty, Full};
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

/// Sends `POST url` with a JSON body and returns the headers of a 200 response, such as the
/// `Set-Cookie` of a sign-in.
pub async fn post_json(url: &str, body: &serde_json::Value) -> Result<hyper::HeaderMap> {
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let request = hyper::Request::post(url)
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .header("x-requested-with", "console")
        .body(Full::new(Bytes::from(body.to_string())))
        .map_err(|error| format!("invalid request POST {url}: {error}"))?;
    let response = client
        .request(request)
        .await
        .map_err(|error| format!("POST {url} failed: {error}"))?;
    let (parts, body) = response.into_parts();
    if parts.status != hyper::StatusCode::OK {
        let body = body
            .collect()
            .await
            .map_err(|error| format!("reading the body of POST {url} failed: {error}"))?
            .to_bytes();
        let text = String::from_utf8_lossy(&body);
        return Err(format!("POST {url} returned {}: {text}", parts.status).into());
    }
    Ok(parts.headers)
}

/// Sends `GET url` with the request headers `headers` and returns the response's status,
/// headers and body, whatever the status.
pub async fn get(
    url: &str,
    headers: &[(&str, &str)],
) -> Result<(hyper::StatusCode, hyper::HeaderMap, Bytes)> {
    let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
    let mut request = hyper::Request::get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(Empty::new())
        .map_err(|error| format!("invalid request GET {url}: {error}"))?;
    let response = client
        .request(request)
        .await
        .map_err(|error| format!("GET {url} failed: {error}"))?;
    let (parts, body) = response.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|error| format!("reading the body of GET {url} failed: {error}"))?
        .to_bytes();
    Ok((parts.status, parts.headers, body))
}
