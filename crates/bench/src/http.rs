//! Plain HTTP/1.1 requests to the local backend over a TCP socket: enough to sign in and
//! check the data before the load starts, without an HTTP client library.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::Result;

/// A response: status code, headers as (lower-case name, value), and body.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// Sends one request to `address` (`host:port`) and reads the whole response. The request
/// sends `Connection: close`, so the body ends where the stream ends.
pub fn send(
    address: &str,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    json_body: Option<&str>,
) -> Result<Response> {
    let cookie_header = cookie.map(|cookie| ("Cookie", cookie));
    let headers: Vec<(&str, &str)> = cookie_header.into_iter().collect();
    send_with_headers(address, method, path, &headers, json_body)
}

/// Sends one request like [`send`], with any extra headers such as `If-Match`.
pub fn send_with_headers(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    json_body: Option<&str>,
) -> Result<Response> {
    let mut stream = TcpStream::connect(address)
        .map_err(|e| format!("could not connect to the backend at {address}: {e}"))?;
    let timeout = Some(Duration::from_secs(30));
    stream
        .set_read_timeout(timeout)
        .map_err(|e| format!("could not set a read timeout: {e}"))?;
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    let body = json_body.unwrap_or_default();
    if json_body.is_some() {
        request.push_str("Content-Type: application/json\r\n");
    }
    // The backend rejects state-changing requests without it, as possible cross-site ones.
    request.push_str("X-Requested-With: console\r\n");
    request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("could not send {method} {path}: {e}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("could not read the response to {method} {path}: {e}"))?;
    parse_response(&String::from_utf8_lossy(&raw))
        .ok_or_else(|| format!("the response to {method} {path} is not HTTP"))
}

fn parse_response(raw: &str) -> Option<Response> {
    let (head, body) = raw.split_once("\r\n\r\n")?;
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_lowercase(), value.trim().to_owned()))
        .collect();
    // NOTE: a chunked body keeps its chunk sizes; the callers read small JSON bodies, which
    // the backend sends with a Content-Length.
    Some(Response {
        status,
        headers,
        body: body.to_owned(),
    })
}

/// Signs in and returns the `name=value` of the session cookie, ready for a Cookie header.
pub fn sign_in(address: &str, username: &str, password: &str) -> Result<String> {
    let credentials = serde_json::json!({ "username": username, "password": password });
    let response = send(
        address,
        "POST",
        "/api/v1/session",
        None,
        Some(&credentials.to_string()),
    )?;
    if response.status != 200 {
        return Err(format!(
            "signing in as {username} failed with {}: {}",
            response.status, response.body
        ));
    }
    response
        .headers
        .iter()
        .filter(|(name, _)| name == "set-cookie")
        .filter_map(|(_, value)| value.split(';').next())
        .find(|pair| pair.starts_with("console_session="))
        .map(str::to_owned)
        .ok_or_else(|| "signing in set no console_session cookie".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_response_reads_status_headers_and_body() {
        let raw = "HTTP/1.1 201 Created\r\nSet-Cookie: a=b; Path=/\r\nX-Two: 2\r\n\r\n{\"id\":1}";
        let response = parse_response(raw).expect("a valid response");
        assert_eq!(response.status, 201, "status code");
        assert_eq!(
            response.headers[0],
            ("set-cookie".to_owned(), "a=b; Path=/".to_owned()),
            "header names are lower-cased"
        );
        assert_eq!(response.body, "{\"id\":1}", "body after the blank line");
    }

    #[test]
    fn parse_response_rejects_text_without_headers() {
        assert!(
            parse_response("hello").is_none(),
            "no blank line, no response"
        );
    }
}
