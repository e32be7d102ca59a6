//! The deployment's settings, read from `config.json` beside index.html before the app mounts,
//! so one build serves staging and production.
//!
//! The file is a JSON object such as `{"api_url": "https://api.example.com/api/v1"}`.
//! `api_url` is the base URL of the backend's JSON API: a path on the page's own origin such
//! as `/api/v1`, or an `http://` or `https://` URL of another origin. Unknown keys are
//! rejected so a misspelt key is not silently ignored.

use std::sync::OnceLock;

use gloo_net::http::Request;
use leptos::prelude::*;
use serde::Deserialize;

use crate::base_path;

/// Name of the file, relative to the app's base path.
pub const CONFIG_FILE: &str = "/config.json";

static CONFIG: OnceLock<RuntimeConfig> = OnceLock::new();

/// Contents of `config.json`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RuntimeConfig {
    /// Base URL of the JSON API, without a trailing slash.
    pub api_url: String,
}

/// Failure to load `config.json`, with the address that was fetched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub url: String,
    pub reason: String,
}

/// Returns the API base URL of the loaded `config.json`, or `None` before [`install`].
pub fn api_url() -> Option<&'static str> {
    CONFIG.get().map(|config| config.api_url.as_str())
}

/// Stores `config` for the rest of the page's life. A second call keeps the first value.
pub fn install(config: RuntimeConfig) {
    if CONFIG.set(config).is_err() {
        leptos::logging::warn!("config.json was already loaded; keeping the first settings");
    }
}

/// Fetches and checks `config.json` from the app's base path.
pub async fn load() -> Result<RuntimeConfig, ConfigError> {
    let url = base_path::href(CONFIG_FILE);
    let error = |reason: String| ConfigError {
        url: url.clone(),
        reason,
    };
    let response = Request::get(&url)
        .send()
        .await
        .map_err(|e| error(format!("could not be fetched: {e}")))?;
    if !response.ok() {
        return Err(error(format!(
            "returned HTTP {} instead of the settings",
            response.status()
        )));
    }
    let text = response
        .text()
        .await
        .map_err(|e| error(format!("could not be read: {e}")))?;
    parse(&text).map_err(error)
}

/// Parses and checks the text of `config.json`.
pub fn parse(text: &str) -> Result<RuntimeConfig, String> {
    let value = js_sys::JSON::parse(text)
        .map_err(|_| "is not valid JSON (is the server returning an HTML page?)".to_owned())?;
    let mut config: RuntimeConfig = serde_wasm_bindgen::from_value(value)
        .map_err(|e| format!("is not a settings object with a string \"api_url\": {e}"))?;
    config.api_url = check_api_url(&config.api_url)?;
    Ok(config)
}

/// Returns `api_url` without a trailing slash when it is a path on this origin or an HTTP(S)
/// URL.
pub fn check_api_url(api_url: &str) -> Result<String, String> {
    let trimmed = api_url.trim_end_matches('/');
    let is_path = trimmed.starts_with('/') && !trimmed.starts_with("//");
    let is_url = trimmed.starts_with("https://") || trimmed.starts_with("http://");
    if trimmed.is_empty() || !(is_path || is_url) || trimmed.contains(char::is_whitespace) {
        return Err(format!(
            "has an invalid \"api_url\" {api_url:?}: expected a path such as \"/api/v1\" or a \
             URL such as \"https://api.example.com/api/v1\""
        ));
    }
    Ok(trimmed.to_owned())
}

/// The page shown instead of the app when `config.json` is missing or invalid, so the people
/// who deploy the app see the cause in the document rather than a blank page.
#[component]
pub fn ConfigErrorPage(error: ConfigError) -> impl IntoView {
    view! {
        <main class="main config-error" id="config-error">
            <h1>"The console could not start"</h1>
            <p role="alert">
                "Its settings file " <code>{error.url}</code> " " {error.reason} "."
            </p>
            <p>
                "The file must be a JSON object such as "
                <code>"{\"api_url\": \"/api/v1\"}"</code>
                ". Whoever deploys the console can fix it; reload this page afterwards."
            </p>
        </main>
    }
}
