//! Defences of the browser-facing surface: the cross-site request check of state-changing
//! API requests, and the security headers of every response, Content-Security-Policy
//! included.

use std::path::Path;

use anyhow::Context;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, HOST, ORIGIN, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use domain::ApiError;
use sha2::{Digest, Sha256};

use crate::state::{AppState, HttpSettings};

/// Header that the app sends with every API request. A cross-site HTML form cannot set a
/// header, and a cross-origin `fetch` that sets it needs a CORS preflight, which only the
/// allowed origins pass.
pub const REQUESTED_WITH: HeaderName = HeaderName::from_static("x-requested-with");

const CROSS_ORIGIN_OPENER_POLICY: HeaderName =
    HeaderName::from_static("cross-origin-opener-policy");
const CROSS_ORIGIN_RESOURCE_POLICY: HeaderName =
    HeaderName::from_static("cross-origin-resource-policy");
const PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");

/// Message of the 403 for a state-changing request without the proof of a same-origin caller.
const CROSS_SITE_REJECTED: &str = "The request was rejected as a possible cross-site request: \
     send the X-Requested-With header from an allowed origin.";

/// Rejects a state-changing API request (any method but GET, HEAD and OPTIONS) with 403
/// unless it carries a non-empty `X-Requested-With` header and, when the browser sent an
/// `Origin`, that origin is the server's own or an allowed one.
pub async fn reject_cross_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe {
        return next.run(request).await;
    }
    match cross_site_reason(request.headers(), &state.settings) {
        None => next.run(request).await,
        Some(reason) => {
            tracing::warn!(
                reason,
                method = %request.method(),
                "state-changing request rejected as cross-site"
            );
            let body = ApiError::new(CROSS_SITE_REJECTED);
            (StatusCode::FORBIDDEN, axum::Json(body)).into_response()
        }
    }
}

/// Returns why a state-changing request looks cross-site, or `None` when it passes.
fn cross_site_reason(headers: &HeaderMap, settings: &HttpSettings) -> Option<&'static str> {
    let requested_with = headers
        .get(REQUESTED_WITH)
        .is_some_and(|value| !value.as_bytes().is_empty());
    if !requested_with {
        return Some("missing X-Requested-With header");
    }
    // A browser sends one Origin; a request with several can't be judged by the first alone.
    if headers.get_all(ORIGIN).iter().nth(1).is_some() {
        return Some("more than one Origin header");
    }
    let Some(origin) = headers.get(ORIGIN) else {
        // Browsers send Origin with every cross-origin request, so a request without one
        // comes from the same origin or from a client that is not a browser.
        return None;
    };
    if settings.is_allowed_origin(origin) || is_same_origin(origin, headers.get(HOST)) {
        None
    } else {
        Some("Origin is neither this server nor an allowed origin")
    }
}

/// Returns whether `origin` names the host and port of the `Host` header. The scheme is
/// not compared, because behind a TLS-terminating proxy the server receives plain HTTP.
fn is_same_origin(origin: &HeaderValue, host: Option<&HeaderValue>) -> bool {
    let (Ok(origin), Some(Ok(host))) = (origin.to_str(), host.map(HeaderValue::to_str)) else {
        return false;
    };
    let authority = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    authority.is_some_and(|authority| authority.eq_ignore_ascii_case(host))
}

/// The security headers of every response, built once at start.
pub struct SecurityHeaders {
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl SecurityHeaders {
    /// Builds the headers. The Content-Security-Policy allows the inline scripts of
    /// `static_dir/index.html` by their SHA-256 hashes, so Trunk's inline loader runs and
    /// nothing else inline does.
    pub fn new(static_dir: Option<&Path>, secure_cookies: bool) -> anyhow::Result<Self> {
        let policy = content_security_policy(static_dir, &[])?;
        let mut headers = vec![
            (
                CONTENT_SECURITY_POLICY,
                HeaderValue::from_str(&policy).context("invalid Content-Security-Policy")?,
            ),
            (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            (REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
            (
                CROSS_ORIGIN_OPENER_POLICY,
                HeaderValue::from_static("same-origin"),
            ),
            (
                CROSS_ORIGIN_RESOURCE_POLICY,
                HeaderValue::from_static("same-origin"),
            ),
            (
                PERMISSIONS_POLICY,
                HeaderValue::from_static(PERMISSIONS_POLICY_VALUE),
            ),
        ];
        // HSTS is only meaningful, and only safe to send, when the site is served over HTTPS,
        // which `--secure-cookies` states.
        if secure_cookies {
            headers.push((
                STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000; includeSubDomains"),
            ));
        }
        Ok(SecurityHeaders { headers })
    }

    /// Adds each header that the response does not set itself.
    pub fn apply(&self, response: &mut Response<Body>) {
        let target = response.headers_mut();
        for (name, value) in &self.headers {
            if !target.contains_key(name) {
                target.insert(name.clone(), value.clone());
            }
        }
    }
}

/// Features the app never uses, turned off for the page and anything it could embed.
const PERMISSIONS_POLICY_VALUE: &str = "accelerometer=(), camera=(), display-capture=(), \
     geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

/// Builds the Content-Security-Policy of the app: its own files only, no inline script or
/// style besides the hashed inline scripts of `index.html`, WebAssembly compilation
/// allowed ('wasm-unsafe-eval', not 'unsafe-eval'), and no framing.
/// `connect_sources` are further origins that the app may fetch from, such as the API's.
pub fn content_security_policy(
    static_dir: Option<&Path>,
    connect_sources: &[String],
) -> anyhow::Result<String> {
    let hashes = match static_dir {
        Some(dir) => {
            let index = dir.join("index.html");
            match std::fs::read_to_string(&index) {
                Ok(html) => inline_script_hashes(&html),
                // The server can start before the app is built; then there is no inline
                // script to allow.
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                Err(error) => {
                    return Err(error)
                        .with_context(|| format!("failed to read {}", index.display()));
                }
            }
        }
        None => Vec::new(),
    };
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in hashes {
        script_src.push_str(&format!(" 'sha256-{hash}'"));
    }
    let mut connect_src = String::from("'self'");
    for source in connect_sources {
        connect_src.push(' ');
        connect_src.push_str(source);
    }
    Ok(format!(
        "default-src 'none'; script-src {script_src}; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src {connect_src}; manifest-src 'self'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    ))
}

/// Returns the base64 SHA-256 of the content of each `<script>` element without a `src`
/// attribute, as CSP hash sources expect it.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after_name = &rest[start + "<script".len()..];
        let Some(tag_end) = after_name.find('>') else {
            break;
        };
        let attributes = &after_name[..tag_end];
        let content_and_rest = &after_name[tag_end + 1..];
        let Some(close) = content_and_rest.find("</script>") else {
            break;
        };
        if !has_src_attribute(attributes) {
            let digest = Sha256::digest(&content_and_rest.as_bytes()[..close]);
            hashes.push(base64::engine::general_purpose::STANDARD.encode(digest));
        }
        rest = &content_and_rest[close + "</script>".len()..];
    }
    hashes
}

fn has_src_attribute(attributes: &str) -> bool {
    attributes
        .split(|c: char| c.is_ascii_whitespace())
        .any(|attribute| attribute == "src" || attribute.starts_with("src="))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts() {
        let html = "<head><script src=\"/a.js\"></script>\
                    <script type=\"module\">alert(1)</script></head>";
        let hashes = inline_script_hashes(html);
        let expected =
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"alert(1)"));
        assert_eq!(hashes, [expected]);
    }

    #[test]
    fn same_origin_compares_host_and_port() {
        let host = HeaderValue::from_static("console.example.com:8443");
        let same = HeaderValue::from_static("https://console.example.com:8443");
        let other_port = HeaderValue::from_static("https://console.example.com");
        let other_host = HeaderValue::from_static("https://evil.example:8443");
        assert!(is_same_origin(&same, Some(&host)));
        assert!(!is_same_origin(&other_port, Some(&host)));
        assert!(!is_same_origin(&other_host, Some(&host)));
        assert!(!is_same_origin(
            &HeaderValue::from_static("null"),
            Some(&host)
        ));
    }
}
