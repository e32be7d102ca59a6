//! Reading Chromium's console log through ChromeDriver's log endpoint, which the W3C
//! WebDriver commands don't cover. The session must have asked for the log with the
//! `goog:loggingPrefs` capability, as [`crate::Browser::start`] does.

use fantoccini::Client;
use fantoccini::wd::WebDriverCompatibleCommand;
use hyper::Method;
use url::{ParseError, Url};

use crate::Result;

/// ChromeDriver's `POST /session/{id}/se/log` with `{"type": "browser"}`, which returns the
/// console messages logged since the previous call and clears them.
#[derive(Debug)]
struct TakeBrowserLog;

impl WebDriverCompatibleCommand for TakeBrowserLog {
    fn endpoint(
        &self,
        base_url: &Url,
        session_id: Option<&str>,
    ) -> std::result::Result<Url, ParseError> {
        let session_id = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session_id}/se/log"))
    }

    fn method_and_body(&self, _request_url: &Url) -> (Method, Option<String>) {
        let body = serde_json::json!({ "type": "browser" }).to_string();
        (Method::POST, Some(body))
    }
}

/// Returns the console messages of the session since the last call, one a line, as
/// `<timestamp in ms since the Unix epoch> <level> <source>: <message>`.
pub async fn take(client: &Client) -> Result<String> {
    let entries = client.issue_cmd(TakeBrowserLog).await?;
    let entries = entries
        .as_array()
        .ok_or_else(|| format!("the browser log is not a list of entries: {entries}"))?;
    let mut lines = String::new();
    for entry in entries {
        let text = |key: &str| entry[key].as_str().unwrap_or_default().to_owned();
        let timestamp = entry["timestamp"].as_i64().unwrap_or_default();
        let (level, source, message) = (text("level"), text("source"), text("message"));
        let line = format!("{timestamp} {level} {source}: {message}\n");
        lines.push_str(&line);
    }
    Ok(lines)
}
