//! The `cargo xtask dist` build, served by nginx under /admin/ with
//! deploy/nginx/console.conf, with the reference backend on another origin. The suite covers
//! sign-in, the users list, a taken username, a reloaded deep link and sign-out in Chromium.
//! It also checks the response headers, the integrity attributes, and the error page of a
//! missing or broken config.json.
//!
//! It needs the servers that `cargo xtask test-static-host` starts: E2E_WEBDRIVER_URL,
//! E2E_CONSOLE_URL (the app's address with its base path, such as
//! `http://127.0.0.1:18950/admin`), E2E_API_ORIGIN, E2E_ADMIN_PASSWORD, and E2E_STATIC_DIR
//! (the folder nginx serves the app from, whose config.json the test breaks and restores).

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use e2e::{Browser, Result, artifact_dir};
use fantoccini::Locator;

const WINDOW: (u32, u32) = (1280, 800);
const BASE_PATH: &str = "/admin";
const SUBMIT: &str = "form.form button[type=submit]";
/// A seeded username stored as "Helena.Sousa".
const TAKEN_USERNAME: &str = "helena.sousa";

struct Settings {
    webdriver_url: String,
    console_url: String,
    api_origin: String,
    admin_password: String,
    static_dir: PathBuf,
}

fn settings() -> Result<Settings> {
    let var = |name: &str| {
        std::env::var(name).map_err(|_| {
            format!("{name} is not set; run this suite with `cargo xtask test-static-host`")
        })
    };
    Ok(Settings {
        webdriver_url: var("E2E_WEBDRIVER_URL")?,
        console_url: var("E2E_CONSOLE_URL")?,
        api_origin: var("E2E_API_ORIGIN")?,
        admin_password: var("E2E_ADMIN_PASSWORD")?,
        static_dir: PathBuf::from(var("E2E_STATIC_DIR")?),
    })
}

fn check(condition: bool, expectation: String) -> Result {
    if condition {
        Ok(())
    } else {
        Err(format!("expected {expectation}").into())
    }
}

fn header<'a>(headers: &'a hyper::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

/// Returns the `src`/`href` of the first asset in `index` whose name ends with `suffix`.
fn asset_path(index: &str, suffix: &str) -> Result<String> {
    let end = index
        .find(suffix)
        .ok_or(format!("index.html names no file ending in {suffix}"))?;
    let start = index[..end]
        .rfind(&format!("{BASE_PATH}/"))
        .ok_or(format!("the {suffix} file is not under {BASE_PATH}/"))?;
    Ok(index[start..end + suffix.len()].to_owned())
}

/// Saves a screenshot and the console log of `browser` into the artifact folder and prints
/// their paths.
async fn save_artifacts(browser: &Browser, stem: &str) {
    let dir = artifact_dir();
    if let Err(error) = std::fs::create_dir_all(&dir) {
        eprintln!("could not create {}: {error}", dir.display());
    }
    for line in browser.save_artifacts(&dir, stem).await {
        eprintln!("{line}");
    }
}

#[tokio::test]
async fn static_host_headers_and_integrity() -> Result {
    let settings = settings()?;
    let origin = settings.console_url.trim_end_matches(BASE_PATH).to_owned();

    let (status, headers, body) = e2e::http::get(&format!("{origin}{BASE_PATH}/"), &[]).await?;
    check(
        status == 200,
        format!("GET {BASE_PATH}/ is 200 (it is {status})"),
    )?;
    check(
        header(&headers, "cache-control") == "no-cache",
        format!("index.html is no-cache: {headers:?}"),
    )?;
    let csp = header(&headers, "content-security-policy");
    check(
        csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
        format!("index.html's CSP allows the loader by its hash: {csp:?}"),
    )?;
    check(
        csp.contains(&format!("connect-src 'self' {}", settings.api_origin)),
        format!("the CSP lets the app call the API origin: {csp:?}"),
    )?;
    check(
        header(&headers, "x-content-type-options") == "nosniff",
        format!("nosniff is set: {headers:?}"),
    )?;
    check(
        header(&headers, "x-frame-options") == "DENY",
        format!("framing is denied: {headers:?}"),
    )?;

    let index = String::from_utf8_lossy(&body).into_owned();
    check(
        index.contains("<base href=/admin/>"),
        format!("index.html has <base href=/admin/>: {index}"),
    )?;
    for (kind, marker) in [
        ("stylesheet", "rel=stylesheet"),
        ("JS module preload", "rel=modulepreload"),
        ("wasm preload", "rel=preload"),
    ] {
        let link_end = index.find(marker).ok_or(format!("no {kind} link"))?;
        let link_start = index[..link_end].rfind("<link").unwrap_or(0);
        let link = &index[link_start..link_end];
        check(
            link.contains("integrity=sha384-"),
            format!("the {kind} link has an integrity attribute: {link}"),
        )?;
    }
    check(
        index.contains("_bg.wasm', { integrity: 'sha384-"),
        format!("the loader fetches the wasm with its integrity: {index}"),
    )?;

    let wasm = asset_path(&index, "_bg.wasm")?;
    let (status, headers, _) = e2e::http::get(
        &format!("{origin}{wasm}"),
        &[("accept-encoding", "br, gzip")],
    )
    .await?;
    check(status == 200, format!("GET {wasm} is 200 (it is {status})"))?;
    check(
        header(&headers, "content-encoding") == "br",
        format!("the wasm comes brotli-compressed: {headers:?}"),
    )?;
    check(
        header(&headers, "content-type") == "application/wasm",
        format!("the wasm keeps its type: {headers:?}"),
    )?;
    check(
        header(&headers, "cache-control").contains("immutable"),
        format!("the hashed wasm is immutable: {headers:?}"),
    )?;
    let (_, headers, _) =
        e2e::http::get(&format!("{origin}{wasm}"), &[("accept-encoding", "gzip")]).await?;
    check(
        header(&headers, "content-encoding") == "gzip",
        format!("a gzip-only client gets gzip: {headers:?}"),
    )?;

    let (status, headers, _) =
        e2e::http::get(&format!("{origin}{BASE_PATH}/config.json"), &[]).await?;
    check(
        status == 200,
        format!("config.json is 200 (it is {status})"),
    )?;
    check(
        header(&headers, "cache-control") == "no-cache",
        format!("config.json is no-cache: {headers:?}"),
    )?;
    let (status, _, _) = e2e::http::get(
        &format!("{origin}{BASE_PATH}/console-0000000000000000.js"),
        &[],
    )
    .await?;
    check(
        status == 404,
        format!("a missing script is 404, not index.html (it is {status})"),
    )?;
    let (status, headers, _) =
        e2e::http::get(&format!("{origin}{BASE_PATH}/users/42"), &[]).await?;
    check(
        status == 200 && header(&headers, "cache-control") == "no-cache",
        format!("a deep link gets index.html, no-cache (status {status}, {headers:?})"),
    )?;
    Ok(())
}

#[tokio::test]
async fn static_host_admin_adds_user() -> Result {
    let settings = settings()?;
    let browser =
        Browser::start(&settings.webdriver_url, &settings.console_url, WINDOW, &[]).await?;
    let result = admin_adds_user(&browser, &settings).await;
    if result.is_err() {
        save_artifacts(&browser, "static-host-admin").await;
    }
    browser.close().await?;
    result
}

async fn admin_adds_user(browser: &Browser, settings: &Settings) -> Result {
    // A signed-out deep link goes to sign-in under the base path and comes back after it.
    browser.open("/users").await?;
    browser.wait_for_path("/sign-in?next=%2Fusers").await?;
    browser.fill("#field-username", "admin").await?;
    browser
        .fill("#field-password", &settings.admin_password)
        .await?;
    browser.click(SUBMIT).await?;
    browser.wait_for_path("/users").await?;
    browser
        .wait_for_element_text(".results", "Showing 1–25 of")
        .await?;

    browser
        .click(".page-heading a[href=\"/admin/users/new\"]")
        .await?;
    browser.wait_for_path("/users/new").await?;
    browser.find("#field-account_ids").await?;
    let stamp = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis();
    let username = format!("static.{stamp}");
    browser
        .click("input[type=radio][name=\"admin_level\"][value=\"account_admin\"]")
        .await?;
    browser.fill("#field-username", TAKEN_USERNAME).await?;
    browser.fill("#field-first_name", "Sasha").await?;
    browser.fill("#field-last_name", "Ilunga").await?;
    browser
        .fill("#field-email", &format!("{username}@example.com"))
        .await?;
    browser.fill("#field-work_phone", "+1 415 555 0142").await?;
    browser.pick_account(1).await?;
    browser.click(SUBMIT).await?;
    browser
        .wait_for_element_text("#username-error", "Username already exists.")
        .await?;
    browser.wait_for_path("/users/new").await?;

    browser.fill("#field-username", &username).await?;
    browser
        .wait_for_element_text("#username-availability", "Available")
        .await?;
    browser.click(SUBMIT).await?;
    browser.wait_for_path("/users").await?;
    browser.fill("#user-search", &username).await?;
    // The search goes into the address under the base path, so the link reopens this view.
    browser
        .wait_for_path(&format!("/users?q={username}"))
        .await?;

    // The list links to the new user under the base path. Opening that address anew loads
    // index.html through the host's fallback, and the app shows the user.
    let link = browser
        .client
        .wait()
        .for_element(Locator::LinkText(&username))
        .await?;
    let href = link.attr("href").await?.unwrap_or_default();
    check(
        href.starts_with("/admin/users/"),
        format!("the user's link is under /admin/ (it is {href:?})"),
    )?;
    let origin = settings.console_url.trim_end_matches(BASE_PATH);
    browser.open_url(&format!("{origin}{href}")).await?;
    browser
        .wait_for_path(href.trim_start_matches(BASE_PATH))
        .await?;
    browser.wait_for_element_text("main", &username).await?;

    let home = browser.find("a.product-name").await?.attr("href").await?;
    check(
        home.as_deref() == Some("/admin/users"),
        format!("the header links to /admin/users (it is {home:?})"),
    )?;
    // Signing out lands on the sign-in page under the base path.
    browser.click(".app-header-user button").await?;
    browser.wait_for_path("/sign-in").await?;
    browser.wait_for_element_text("h1", "Sign in").await?;

    let log = browser.console_log().await?;
    let reports: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("Content Security Policy"))
        .collect();
    check(
        reports.is_empty(),
        format!("no CSP message in the console: {reports:?}"),
    )?;
    Ok(())
}

#[tokio::test]
async fn static_host_config_error_page() -> Result {
    let settings = settings()?;
    let config = settings.static_dir.join("config.json");
    let original = std::fs::read_to_string(&config)?;
    let browser =
        Browser::start(&settings.webdriver_url, &settings.console_url, WINDOW, &[]).await?;
    let result = show_config_errors(&browser, &config).await;
    std::fs::write(&config, &original)?;
    if result.is_err() {
        save_artifacts(&browser, "static-host-config").await;
    }
    browser.close().await?;
    result
}

async fn show_config_errors(browser: &Browser, config: &std::path::Path) -> Result {
    let cases = [
        (Some("{\"api_url\": "), "is not valid JSON"),
        (
            Some("{\"api_url\": \"ftp://api\"}"),
            "has an invalid \"api_url\"",
        ),
        (
            Some("{\"apiUrl\": \"/api/v1\"}"),
            "is not a settings object",
        ),
        (None, "returned HTTP 404"),
    ];
    for (content, reason) in cases {
        match content {
            Some(text) => std::fs::write(config, text)?,
            None => std::fs::remove_file(config)?,
        }
        browser.open("/users").await?;
        browser
            .wait_for_element_text("#config-error h1", "The console could not start")
            .await?;
        browser
            .wait_for_element_text("#config-error [role=alert]", reason)
            .await?;
        browser
            .wait_for_element_text("#config-error", "/admin/config.json")
            .await?;
    }
    Ok(())
}
