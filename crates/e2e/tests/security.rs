//! Browser checks of the console's defences, against the release build served by the backend:
//! - a plain HTML form on another origin that posts to the API changes nothing;
//! - the app runs under its Content-Security-Policy without a single violation;
//! - HTML- and script-like names are shown as text and run no script, both when created
//!   through the API and when typed into the add-user form, in the list, the user page, the
//!   flash message, the deactivate dialog and the page title.
//!
//! It needs the servers that `cargo xtask test` starts, passed in E2E_WEBDRIVER_URL,
//! E2E_CONSOLE_URL and E2E_ADMIN_PASSWORD. The page of the other origin is served by this test
//! on E2E_FOREIGN_ADDR (default 127.0.0.1:18931).

use std::time::{SystemTime, UNIX_EPOCH};

use e2e::api::ApiSession;
use e2e::{Browser, Result, artifact_dir};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const WINDOW: (u32, u32) = (1280, 800);
const DEFAULT_FOREIGN_ADDR: &str = "127.0.0.1:18931";
const SUBMIT: &str = "form.form button[type=submit]";

/// Records every `securitypolicyviolation` event of the page from now on.
const VIOLATION_LISTENER: &str = "window.__cspViolations = window.__cspViolations || [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});";

struct Settings {
    webdriver_url: String,
    console_url: String,
    admin_password: String,
    foreign_addr: String,
}

impl Settings {
    /// Reads the E2E_* variables and panics when one is missing, so that a run without the
    /// servers fails instead of passing without testing anything.
    fn from_env() -> Settings {
        let var = |name: &str| {
            std::env::var(name).unwrap_or_else(|_| {
                panic!(
                    "the security suite needs {name} set. Run it with `cargo xtask test`, \
                     which starts the backend and ChromeDriver and sets it."
                )
            })
        };
        Settings {
            webdriver_url: var("E2E_WEBDRIVER_URL"),
            console_url: var("E2E_CONSOLE_URL").trim_end_matches('/').to_owned(),
            admin_password: var("E2E_ADMIN_PASSWORD"),
            foreign_addr: std::env::var("E2E_FOREIGN_ADDR")
                .unwrap_or_else(|_| DEFAULT_FOREIGN_ADDR.to_owned()),
        }
    }
}

fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos())
        .unwrap_or_default();
    format!("{prefix}{}", nanos % 1_000_000_000)
}

/// Serves `page` as HTML to every request on `addr`, until the test ends.
async fn serve_foreign_page(addr: &str, page: String) -> Result {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|error| format!("could not listen on {addr}: {error}"))?;
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut request = [0u8; 4096];
            // The request itself does not matter: every path gets the page.
            let _ = stream.read(&mut request).await;
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
                 Content-Length: {}\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
        }
    });
    Ok(())
}

/// Signs in through the sign-in page and waits for the users list.
async fn sign_in(browser: &Browser, password: &str) -> Result {
    browser.open("/sign-in").await?;
    browser.fill("#field-username", "admin").await?;
    browser.fill("#field-password", password).await?;
    browser.click(SUBMIT).await?;
    browser.wait_for_path("/users").await?;
    browser
        .wait_for_element_text(".results", "Showing 1–")
        .await?;
    Ok(())
}

/// Runs `steps` in a new Chromium session, saving a screenshot and the console log under
/// target/e2e-artifacts/security when they fail.
async fn with_browser<F>(settings: &Settings, name: &str, steps: F) -> Result
where
    F: AsyncFnOnce(&Browser) -> Result,
{
    let browser =
        Browser::start(&settings.webdriver_url, &settings.console_url, WINDOW, &[]).await?;
    let result = steps(&browser).await;
    if let Err(error) = &result {
        let dir = artifact_dir().join("security");
        let _ = std::fs::create_dir_all(&dir);
        let saved = browser.save_artifacts(&dir, name).await;
        eprintln!("{name} failed: {error}; saved {}", saved.join(", "));
    }
    let _ = browser.close().await;
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_origin_form_post_changes_nothing() -> Result {
    let settings = Settings::from_env();
    let admin =
        ApiSession::sign_in(&settings.console_url, "admin", &settings.admin_password).await?;
    let username = unique("csrf");
    let target = admin
        .create_user(&username, &format!("{username}@example.com"))
        .await?;
    let id = target["id"].as_i64().ok_or("the created user has an id")?;

    // The action needs no body, so without the defence the form alone would deactivate the
    // user. The two origins differ only in the port, so they are the same site, and the
    // SameSite=Strict session cookie goes with the form: only the backend's check stops it.
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><title>Prize</title></head><body>\
         <form method=\"post\" action=\"{}/api/v1/users/{id}/deactivate\">\
         <button id=\"attack\" type=\"submit\">Claim your prize</button></form></body></html>",
        settings.console_url
    );
    serve_foreign_page(&settings.foreign_addr, page).await?;

    with_browser(&settings, "cross-site-form", async |browser| {
        sign_in(browser, &settings.admin_password).await?;
        browser
            .open_url(&format!("http://{}/", settings.foreign_addr))
            .await?;
        browser.click("#attack").await?;
        // The browser shows the backend's answer to the form: the 403 error body.
        browser
            .wait_for_text("rejected as a possible cross-site request")
            .await?;
        Ok(())
    })
    .await?;

    let after = admin.user(id).await?;
    assert_eq!(
        after["status"], "invited",
        "the cross-site form did not deactivate the user: {after}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_runs_under_csp_without_violations() -> Result {
    let settings = Settings::from_env();
    let policy = page_policy(&settings.console_url).await?;
    assert!(
        policy.contains("script-src") && !policy.contains("'unsafe-inline'"),
        "the page is served with a strict policy: {policy}"
    );

    with_browser(&settings, "csp", async |browser| {
        sign_in(browser, &settings.admin_password).await?;
        browser.client.execute(VIOLATION_LISTENER, vec![]).await?;
        browser.click("a[href='/users/new']").await?;
        browser.wait_for_path("/users/new").await?;
        browser.find("#field-username").await?;
        browser.fill("#field-first_name", "Policy").await?;
        browser.open("/users").await?;
        browser.client.execute(VIOLATION_LISTENER, vec![]).await?;
        browser
            .wait_for_element_text(".results", "Showing 1–")
            .await?;

        let violations = browser
            .client
            .execute("return window.__cspViolations || [];", vec![])
            .await?;
        assert_eq!(
            violations,
            serde_json::json!([]),
            "securitypolicyviolation events"
        );
        let log = browser.console_log().await?;
        let reports: Vec<&str> = log
            .lines()
            .filter(|line| line.contains("Content Security Policy"))
            .collect();
        assert!(
            reports.is_empty(),
            "CSP messages in the console: {reports:?}"
        );
        Ok(())
    })
    .await
}

/// Returns the Content-Security-Policy header of the app's start page.
async fn page_policy(console_url: &str) -> Result<String> {
    let addr = console_url
        .strip_prefix("http://")
        .ok_or("E2E_CONSOLE_URL starts with http://")?;
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let request = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let response = String::from_utf8_lossy(&response);
    let head = response.split("\r\n\r\n").next().unwrap_or_default();
    let policy = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-security-policy")
                .then(|| value.trim().to_owned())
        })
        .ok_or("the start page has no Content-Security-Policy header")?;
    Ok(policy)
}

/// Names that look like markup or script. Each payload would set `window.__xss` if the
/// browser ran it.
const XSS_NAMES: [(&str, &str); 4] = [
    (
        "<img src=x onerror=\"window.__xss=1\">",
        "\"><svg onload=window.__xss=2>",
    ),
    (
        "<script>window.__xss=3</script>",
        "{{constructor.constructor('window.__xss=4')()}}",
    ),
    (
        "javascript:window.__xss=5",
        "<a href=\"javascript:window.__xss=6\">x</a>",
    ),
    (
        "Ann ' onmouseover='window.__xss=7",
        "<iframe srcdoc=\"<script>parent.__xss=8</script>\">",
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_names_render_as_text() -> Result {
    let settings = Settings::from_env();
    let admin =
        ApiSession::sign_in(&settings.console_url, "admin", &settings.admin_password).await?;
    let marker = unique("xss");
    let mut ids = Vec::new();
    for (index, names) in XSS_NAMES.iter().enumerate() {
        let username = format!("{marker}{index}");
        let user = admin
            .create_named_user(&username, &format!("{username}@example.com"), *names)
            .await?;
        ids.push(user["id"].as_i64().ok_or("the created user has an id")?);
    }

    with_browser(&settings, "xss", async |browser| {
        sign_in(browser, &settings.admin_password).await?;
        browser.fill("#user-search", &marker).await?;
        browser
            .wait_for_element_text(".results", &format!("Showing 1–{}", XSS_NAMES.len()))
            .await?;
        let list = browser.find("main").await?.text().await?;
        for (first, last) in XSS_NAMES {
            assert!(list.contains(first), "the list shows {first:?} literally");
            assert!(list.contains(last), "the list shows {last:?} literally");
        }
        assert_nothing_injected(browser).await?;

        // A search for markup is sent and shown as text too.
        browser
            .fill("#user-search", "<img src=x onerror=window.__xss=9>")
            .await?;
        browser
            .wait_for_element_text(".results .empty", "No users match")
            .await?;
        assert_nothing_injected(browser).await?;

        for (id, (first, last)) in ids.iter().zip(XSS_NAMES) {
            browser.open(&format!("/users/{id}")).await?;
            let heading = browser.find("main h1").await?.text().await?;
            assert!(
                heading.contains(first) && heading.contains(last),
                "the user page heading shows the names literally: {heading:?}"
            );
            let title = browser.client.title().await?;
            assert!(
                title.contains(first),
                "the page title shows {first:?} literally: {title:?}"
            );
            assert_nothing_injected(browser).await?;
        }
        Ok(())
    })
    .await
}

/// Fails when a payload ran or added an element to the page.
async fn assert_nothing_injected(browser: &Browser) -> Result {
    let state = browser
        .client
        .execute(
            "return {
               ran: window.__xss === undefined ? null : window.__xss,
               elements: document.querySelectorAll(
                 'body img[src=x], body svg[onload], main script, body iframe, \
                  body a[href^=javascript], body [onmouseover], body [onerror]'
               ).length
             };",
            vec![],
        )
        .await?;
    assert_eq!(state["ran"], serde_json::Value::Null, "no payload ran");
    assert_eq!(state["elements"], 0, "no element was injected");
    Ok(())
}

/// Values that the add-user form's rules accept and that look like markup or script: first
/// name, last name, and an email whose local part carries quotes and an event handler.
const TYPED_FIRST_NAME: &str = "<img src=x onerror=\"window.__xss=11\">";
const TYPED_LAST_NAME: &str = "</title><script>window.__xss=12</script>";
const TYPED_EMAIL_LOCAL: &str = "x'onmouseover='window.__xss=13";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_markup_renders_as_text() -> Result {
    let settings = Settings::from_env();
    let username = unique("typedxss");
    let email = format!("{TYPED_EMAIL_LOCAL}{username}@example.com");

    with_browser(&settings, "typed-xss", async |browser| {
        sign_in(browser, &settings.admin_password).await?;
        browser.open("/users/new").await?;
        browser.find("#field-account_ids").await?;
        browser.fill("#field-username", &username).await?;
        browser.fill("#field-first_name", TYPED_FIRST_NAME).await?;
        browser.fill("#field-last_name", TYPED_LAST_NAME).await?;
        browser.fill("#field-email", &email).await?;
        browser.pick_account(1).await?;
        assert_nothing_injected(browser).await?;
        browser.click(SUBMIT).await?;

        browser.wait_for_path("/users").await?;
        let flash = browser
            .wait_for_element_text("main", &format!("User {username} added"))
            .await?;
        assert!(flash.contains(&username), "the flash names the user");
        assert_nothing_injected(browser).await?;

        browser.fill("#user-search", &username).await?;
        browser
            .wait_for_element_text(".results", "Showing 1–1")
            .await?;
        let list = browser.find("main").await?.text().await?;
        assert!(
            list.contains(TYPED_FIRST_NAME),
            "the list shows the first name literally"
        );
        assert!(
            list.contains(TYPED_LAST_NAME),
            "the list shows the last name literally"
        );
        assert!(list.contains(&email), "the list shows the email literally");
        assert_nothing_injected(browser).await?;

        browser
            .click("a[href^='/users/']:not([href='/users/new'])")
            .await?;
        let heading = browser
            .wait_for_element_text("main h1", TYPED_FIRST_NAME)
            .await?;
        assert!(
            heading.contains(TYPED_LAST_NAME),
            "the heading shows the names: {heading:?}"
        );
        let title = browser.client.title().await?;
        assert!(
            title.contains(TYPED_FIRST_NAME) && title.contains(TYPED_LAST_NAME),
            "the page title shows the names literally: {title:?}"
        );
        assert_eq!(
            browser.value("#field-email").await?,
            email,
            "the email field value"
        );
        assert_nothing_injected(browser).await?;

        browser.click("#status-change-button").await?;
        let dialog = browser
            .wait_for_element_text("dialog[open]", TYPED_FIRST_NAME)
            .await?;
        assert!(
            dialog.contains(TYPED_LAST_NAME),
            "the dialog shows the names: {dialog:?}"
        );
        assert_nothing_injected(browser).await?;
        browser.click("dialog[open] .dialog-actions button").await?;
        let status = browser
            .wait_for_element_text("main .status-message", "was deactivated")
            .await?;
        assert!(
            status.contains(TYPED_FIRST_NAME),
            "the status message shows the names"
        );
        assert_nothing_injected(browser).await?;
        Ok(())
    })
    .await
}
