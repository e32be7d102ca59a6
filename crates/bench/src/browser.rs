//! Chromium sessions for the browser sections, through ChromeDriver: a fresh profile per
//! session, the Chrome DevTools Protocol for cookies, and the network events of the
//! performance log.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use hyper::Method;
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};
use url::{ParseError, Url};

use crate::Result;

/// Window size of every session, in CSS pixels: a common laptop screen.
const WINDOW_SIZE: &str = "--window-size=1280,800";

/// Starts a Chromium session through the ChromeDriver at `webdriver_url`. ChromeDriver gives
/// each session a new profile folder, so its HTTP cache and cookies start empty. With
/// `extra_args`, such as `--js-flags=--expose-gc`, Chromium gets those flags too. The
/// session records network events for [`take_network_events`].
pub async fn start(webdriver_url: &str, extra_args: &[&str]) -> Result<Client> {
    let mut args: Vec<&str> = e2e::CHROME_ARGS.to_vec();
    args.push(WINDOW_SIZE);
    args.extend(extra_args);
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        json!({ "args": args, "perfLoggingPrefs": { "enableNetwork": true, "enablePage": false } }),
    );
    capabilities.insert(
        "goog:loggingPrefs".to_owned(),
        json!({ "browser": "ALL", "performance": "ALL" }),
    );
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(webdriver_url)
        .await
        .map_err(|error| {
            format!("could not start Chromium through ChromeDriver at {webdriver_url}: {error}")
        })
}

/// ChromeDriver's `POST /session/{id}/goog/cdp/execute`, which sends one Chrome DevTools
/// Protocol command to the page.
#[derive(Debug)]
struct DevToolsCommand {
    method: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for DevToolsCommand {
    fn endpoint(
        &self,
        base_url: &Url,
        session_id: Option<&str>,
    ) -> std::result::Result<Url, ParseError> {
        let session_id = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session_id}/goog/cdp/execute"))
    }

    fn method_and_body(&self, _request_url: &Url) -> (Method, Option<String>) {
        let body = json!({ "cmd": self.method, "params": self.params });
        (Method::POST, Some(body.to_string()))
    }
}

/// ChromeDriver's `POST /session/{id}/se/log`, which returns the entries of one log type
/// since the previous call and clears them.
#[derive(Debug)]
struct TakeLog(&'static str);

impl WebDriverCompatibleCommand for TakeLog {
    fn endpoint(
        &self,
        base_url: &Url,
        session_id: Option<&str>,
    ) -> std::result::Result<Url, ParseError> {
        let session_id = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session_id}/se/log"))
    }

    fn method_and_body(&self, _request_url: &Url) -> (Method, Option<String>) {
        (Method::POST, Some(json!({ "type": self.0 }).to_string()))
    }
}

/// Sets the cookie `name=value` for `origin` (such as `http://127.0.0.1:8080`) before any
/// page of it is open, as HttpOnly like the backend's session cookie.
pub async fn set_cookie(client: &Client, origin: &str, name: &str, value: &str) -> Result {
    let params =
        json!({ "name": name, "value": value, "url": origin, "path": "/", "httpOnly": true });
    let command = DevToolsCommand {
        method: "Network.setCookie",
        params,
    };
    let answer = client
        .issue_cmd(command)
        .await
        .map_err(|error| format!("could not set the cookie {name}: {error}"))?;
    if answer["success"] == false {
        return Err(format!("Chromium rejected the cookie {name} for {origin}"));
    }
    Ok(())
}

/// Returns the Chrome DevTools Protocol events of the network (such as
/// `Network.requestWillBeSent`) recorded since the previous call, each as
/// `{"method": ..., "params": ...}`.
pub async fn take_network_events(client: &Client) -> Result<Vec<Value>> {
    let entries = client
        .issue_cmd(TakeLog("performance"))
        .await
        .map_err(|error| format!("could not read the performance log: {error}"))?;
    let entries = entries
        .as_array()
        .ok_or_else(|| format!("the performance log is not a list of entries: {entries}"))?;
    let mut events = Vec::new();
    for entry in entries {
        let text = entry["message"].as_str().unwrap_or_default();
        let message: Value = serde_json::from_str(text)
            .map_err(|error| format!("a performance log entry is not JSON ({error}): {text}"))?;
        let event = &message["message"];
        if event["method"]
            .as_str()
            .is_some_and(|method| method.starts_with("Network."))
        {
            events.push(event.clone());
        }
    }
    Ok(events)
}

/// Runs `script` as the body of an async function in the page and returns what it resolves
/// to. `arguments` are passed as `arguments[0]` and so on; the last one is WebDriver's
/// callback, which the script must call.
pub async fn run_async(client: &Client, script: &str, arguments: Vec<Value>) -> Result<Value> {
    client
        .execute_async(script, arguments)
        .await
        .map_err(|error| format!("the script in the page failed: {error}"))
}

/// Runs `script` as the body of a function in the page and returns its result.
pub async fn run(client: &Client, script: &str, arguments: Vec<Value>) -> Result<Value> {
    client
        .execute(script, arguments)
        .await
        .map_err(|error| format!("the script in the page failed: {error}"))
}

/// Closes the session and its Chromium, logging rather than failing, because the figures
/// are taken by then.
pub async fn close(client: Client) {
    if let Err(error) = client.close().await {
        eprintln!("bench: could not close a Chromium session: {error}");
    }
}
