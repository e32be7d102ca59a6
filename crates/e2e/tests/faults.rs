//! Browser checks of how the add-user and edit-user forms cope with a failing backend:
//! - a save that fails with 500 or a dropped connection shows the error with Try again, keeps
//!   every typed value and selection, and Try again saves exactly once;
//! - a slow save says so, and finishes once;
//! - a save that finds the session ended keeps the draft in sessionStorage, sends the admin to
//!   sign in and brings the draft back, for that admin only; saving or discarding deletes it;
//! - offline, a banner says so, a save fails with Try again, and back online it saves.
//!
//! It needs a release backend started with `--enable-fault-injection --expose-outbox
//! --static-dir dist` and ChromeDriver, passed in E2E_CONSOLE_URL and E2E_WEBDRIVER_URL with
//! the seeded admin's password in E2E_ADMIN_PASSWORD (`cargo xtask test` does this). The
//! faults are global to the backend, so the tests must run with `--test-threads=1`.

use std::time::{SystemTime, UNIX_EPOCH};

use e2e::api::{ApiSession, add_fault, clear_faults};
use e2e::network::set_offline;
use e2e::{Browser, Result, artifact_dir};
use serde_json::json;

const WINDOW: (u32, u32) = (1280, 900);
const SUBMIT: &str = "form.form button[type=submit]";
const SUBMIT_ERROR: &str = ".submit-result .alert-error";
const TRY_AGAIN: &str = ".submit-result .alert-error button";
const BANNER: &str = ".connection-banner";
/// sessionStorage key of the kept form draft (`src/components/form_draft.rs`).
const DRAFT_KEY: &str = "console.form-draft";
const SECOND_ADMIN_PASSWORD: &str = "blue-lantern-Orchard-42";

/// Every input of the form with its value, or its checked state for radios and checkboxes.
const FORM_STATE: &str = "return Array.from(document.querySelectorAll('form.form input'))
  .map((input) => input.id + '=' + (input.type === 'checkbox' || input.type === 'radio'
    ? String(input.checked) : input.value));";

struct Settings {
    webdriver_url: String,
    console_url: String,
    admin_password: String,
}

impl Settings {
    /// Reads the E2E_* variables and panics when one is missing, so that a run without the
    /// servers fails instead of passing without testing anything.
    fn from_env() -> Settings {
        let var = |name: &str| {
            std::env::var(name).unwrap_or_else(|_| {
                panic!(
                    "the faults suite needs {name} set. Run it with `cargo xtask test`, which \
                     starts the backend with fault injection and ChromeDriver and sets it."
                )
            })
        };
        Settings {
            webdriver_url: var("E2E_WEBDRIVER_URL"),
            console_url: var("E2E_CONSOLE_URL").trim_end_matches('/').to_owned(),
            admin_password: var("E2E_ADMIN_PASSWORD"),
        }
    }

    async fn admin(&self) -> Result<ApiSession> {
        ApiSession::sign_in(&self.console_url, "admin", &self.admin_password).await
    }
}

fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos())
        .unwrap_or_default();
    format!("{prefix}{}", nanos % 1_000_000_000)
}

/// Runs `steps` in a new Chromium session with no faults in force, saving a screenshot and
/// the console log under target/e2e-artifacts/faults when they fail.
async fn with_browser<F>(settings: &Settings, name: &str, steps: F) -> Result
where
    F: AsyncFnOnce(&Browser) -> Result,
{
    clear_faults(&settings.console_url).await?;
    let browser =
        Browser::start(&settings.webdriver_url, &settings.console_url, WINDOW, &[]).await?;
    let result = steps(&browser).await;
    if let Err(error) = &result {
        let dir = artifact_dir().join("faults");
        let _ = std::fs::create_dir_all(&dir);
        let saved = browser.save_artifacts(&dir, name).await;
        eprintln!("{name} failed: {error}; saved {}", saved.join(", "));
    }
    let _ = browser.close().await;
    clear_faults(&settings.console_url).await?;
    result
}

/// Signs in on the sign-in page that is open now.
async fn submit_sign_in(browser: &Browser, username: &str, password: &str) -> Result {
    browser.fill("#field-username", username).await?;
    browser.fill("#field-password", password).await?;
    browser.click(SUBMIT).await?;
    Ok(())
}

async fn sign_in(browser: &Browser, password: &str) -> Result {
    browser.open("/sign-in").await?;
    submit_sign_in(browser, "admin", password).await?;
    browser.wait_for_path("/users").await?;
    browser.find(".results").await?;
    Ok(())
}

async fn form_state(browser: &Browser) -> Result<serde_json::Value> {
    Ok(browser.client.execute(FORM_STATE, vec![]).await?)
}

async fn stored_draft(browser: &Browser) -> Result<serde_json::Value> {
    let script = format!("return sessionStorage.getItem('{DRAFT_KEY}');");
    Ok(browser.client.execute(&script, vec![]).await?)
}

/// Opens the add-user form and fills every field, changing the administration level, the
/// default roles and the accounts.
async fn fill_add_form(browser: &Browser, username: &str) -> Result {
    browser.open("/users/new").await?;
    browser.find("#field-roles").await?;
    browser.find("#field-account_ids").await?;
    browser.click("#admin-level-account_admin").await?;
    browser.fill("#field-username", username).await?;
    browser.fill("#field-first_name", "Robin").await?;
    browser.fill("#field-last_name", "Fault").await?;
    browser
        .fill("#field-email", &format!("{username}@example.com"))
        .await?;
    browser.fill("#field-work_phone", "+14155550123").await?;
    browser.click("#field-roles").await?;
    browser.pick_account(1).await?;
    Ok(())
}

/// Changes the open edit form: a new first name, the administration level and the first role.
async fn change_edit_form(browser: &Browser, first_name: &str) -> Result {
    browser.find("#field-roles").await?;
    browser.fill("#field-first_name", first_name).await?;
    browser.click("#admin-level-account_admin").await?;
    browser.click("#field-roles").await?;
    Ok(())
}

/// How many requests a fault of `kind` applies to, 0 meaning all until cleared. Chromium
/// sends a request again when a reused connection closes before any response, on each idle
/// connection it holds, so a dropped connection reaches the app only when every repeat is
/// dropped too.
fn times(kind: &str) -> u32 {
    if kind == "drop" { 0 } else { 1 }
}

async fn assert_user_count(admin: &ApiSession, username: &str, expected: usize) -> Result {
    let users = admin.users_matching(username).await?;
    assert_eq!(
        users.len(),
        expected,
        "users stored with username {username}: {users:?}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_form_recovers_from_failed_saves() -> Result {
    let settings = Settings::from_env();
    let admin = settings.admin().await?;
    with_browser(&settings, "add-failed-saves", async |browser| {
        sign_in(browser, &settings.admin_password).await?;
        let cases = [
            ("error", "The server failed to handle the request"),
            ("drop", "Can't reach the server"),
        ];
        for (kind, message) in cases {
            let username = unique(&format!("fault{kind}"));
            fill_add_form(browser, &username).await?;
            let before = form_state(browser).await?;
            let fault =
                json!({ "method": "POST", "path": "/users", "kind": kind, "times": times(kind) });
            add_fault(&settings.console_url, &fault).await?;
            browser.click(SUBMIT).await?;

            browser.wait_for_element_text(SUBMIT_ERROR, message).await?;
            assert_eq!(
                form_state(browser).await?,
                before,
                "{kind}: the form keeps every value"
            );
            assert_user_count(&admin, &username, 0).await?;
            if kind == "drop" {
                browser
                    .wait_for_element_text(BANNER, "Can't reach the server")
                    .await?;
            }

            clear_faults(&settings.console_url).await?;
            browser.click(TRY_AGAIN).await?;
            browser.wait_for_path("/users").await?;
            browser
                .wait_for_text(&format!("User {username} added"))
                .await?;
            assert_user_count(&admin, &username, 1).await?;
            browser.wait_for_absence(BANNER).await?;
        }
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_form_reports_slow_save() -> Result {
    let settings = Settings::from_env();
    let admin = settings.admin().await?;
    with_browser(&settings, "add-slow-save", async |browser| {
        sign_in(browser, &settings.admin_password).await?;
        let username = unique("faultdelay");
        fill_add_form(browser, &username).await?;
        let fault = json!({
            "method": "POST", "path": "/users", "kind": "delay", "delay_ms": 7000, "times": 1
        });
        add_fault(&settings.console_url, &fault).await?;
        browser.click(SUBMIT).await?;

        browser
            .wait_for_element_text(".slow-save", "Still saving")
            .await?;
        browser.wait_for_path("/users").await?;
        browser
            .wait_for_text(&format!("User {username} added"))
            .await?;
        assert_user_count(&admin, &username, 1).await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_form_recovers_from_failed_saves() -> Result {
    let settings = Settings::from_env();
    let admin = settings.admin().await?;
    let username = unique("editfault");
    let user = admin
        .create_user(&username, &format!("{username}@example.com"))
        .await?;
    let id = user["id"].as_i64().ok_or("the created user has an id")?;

    with_browser(&settings, "edit-failed-saves", async |browser| {
        sign_in(browser, &settings.admin_password).await?;
        for kind in ["error", "drop"] {
            browser.open(&format!("/users/{id}")).await?;
            let first_name = format!("Changed{kind}");
            change_edit_form(browser, &first_name).await?;
            let before = form_state(browser).await?;
            let fault = json!({
                "method": "PATCH", "path": "/users/{id}", "kind": kind, "times": times(kind)
            });
            add_fault(&settings.console_url, &fault).await?;
            browser.click(SUBMIT).await?;

            browser.find(SUBMIT_ERROR).await?;
            assert_eq!(
                form_state(browser).await?,
                before,
                "{kind}: the form keeps every value"
            );
            let stored = admin.user(id).await?;
            assert_ne!(
                stored["first_name"], first_name,
                "{kind}: nothing was saved yet"
            );

            clear_faults(&settings.console_url).await?;
            browser.click(TRY_AGAIN).await?;
            browser
                .wait_for_element_text("#save-status", "Changes saved.")
                .await?;
            let stored = admin.user(id).await?;
            assert_eq!(stored["first_name"], first_name, "{kind}: Try again saved");
            assert_eq!(
                stored["admin_level"], "account_admin",
                "{kind}: level saved"
            );
            // Back to a basic user, so the next case changes the level again.
            browser.click("#field-admin_level").await?;
            browser.click("#field-roles").await?;
            browser.click(SUBMIT).await?;
            browser
                .wait_for_element_text("#save-status", "Changes saved.")
                .await?;
        }
        assert_user_count(&admin, &username, 1).await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_session_keeps_add_draft() -> Result {
    let settings = Settings::from_env();
    let admin = settings.admin().await?;
    with_browser(&settings, "add-expired-session", async |browser| {
        sign_in(browser, &settings.admin_password).await?;
        let username = unique("faultexpired");
        fill_add_form(browser, &username).await?;
        let before = form_state(browser).await?;
        let fault =
            json!({ "method": "POST", "path": "/users", "kind": "expire_session", "times": 1 });
        add_fault(&settings.console_url, &fault).await?;
        browser.click(SUBMIT).await?;

        browser
            .wait_for_path("/sign-in?next=%2Fusers%2Fnew")
            .await?;
        browser.wait_for_text("Your session has ended").await?;
        let draft = stored_draft(browser).await?;
        let draft = draft.as_str().ok_or("a draft is stored")?;
        assert!(
            draft.contains(&username),
            "the draft has the username: {draft}"
        );
        assert!(
            !draft.to_lowercase().contains("password"),
            "the draft has no password: {draft}"
        );
        assert_user_count(&admin, &username, 0).await?;

        submit_sign_in(browser, "admin", &settings.admin_password).await?;
        browser.wait_for_path("/users/new").await?;
        browser
            .wait_for_element_text(".draft-notice", "is back in the form")
            .await?;
        assert_eq!(form_state(browser).await?, before, "the draft is restored");

        browser.click(SUBMIT).await?;
        browser.wait_for_path("/users").await?;
        browser
            .wait_for_text(&format!("User {username} added"))
            .await?;
        assert_user_count(&admin, &username, 1).await?;
        assert_eq!(
            stored_draft(browser).await?,
            serde_json::Value::Null,
            "saving deletes it"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_session_keeps_edit_draft_for_its_admin() -> Result {
    let settings = Settings::from_env();
    let admin = settings.admin().await?;
    let username = unique("editexpired");
    let user = admin
        .create_user(&username, &format!("{username}@example.com"))
        .await?;
    let id = user["id"].as_i64().ok_or("the created user has an id")?;
    let second_admin = unique("secondadmin");
    admin
        .create_admin(&second_admin, SECOND_ADMIN_PASSWORD)
        .await?;
    let sign_in_again = format!("/sign-in?next=%2Fusers%2F{id}");
    let fault =
        json!({ "method": "PATCH", "path": "/users/{id}", "kind": "expire_session", "times": 1 });

    with_browser(&settings, "edit-expired-session", async |browser| {
        sign_in(browser, &settings.admin_password).await?;
        browser.open(&format!("/users/{id}")).await?;
        change_edit_form(browser, "Kept").await?;
        let before = form_state(browser).await?;
        add_fault(&settings.console_url, &fault).await?;
        browser.click(SUBMIT).await?;

        browser.wait_for_path(&sign_in_again).await?;
        submit_sign_in(browser, "admin", &settings.admin_password).await?;
        browser.wait_for_path(&format!("/users/{id}")).await?;
        browser
            .wait_for_element_text(".draft-notice", "is back in the form")
            .await?;
        assert_eq!(form_state(browser).await?, before, "the draft is restored");

        // Another save while the admin signs in again: the restored draft shows it as a
        // conflict instead of saving over it.
        let loaded_again = format!("/users/{id}");
        admin.set_last_name(id, "Changed-Meanwhile").await?;
        change_edit_form(browser, "Kept").await?;
        add_fault(&settings.console_url, &fault).await?;
        browser.click(SUBMIT).await?;
        browser.wait_for_path(&sign_in_again).await?;
        submit_sign_in(browser, "admin", &settings.admin_password).await?;
        browser.wait_for_path(&loaded_again).await?;
        browser
            .wait_for_element_text(".edit-conflict", "Changed-Meanwhile")
            .await?;
        assert_eq!(
            admin.user(id).await?["last_name"],
            "Changed-Meanwhile",
            "the other save stays until the admin chooses"
        );
        browser.click("#edit-conflict-take-theirs").await?;
        browser.wait_for_absence(".edit-conflict").await?;
        assert_eq!(
            browser.value("#field-last_name").await?,
            "Changed-Meanwhile",
            "their value is in the form"
        );
        assert_eq!(
            browser.value("#field-first_name").await?,
            "Kept",
            "the admin's own change is kept"
        );

        // Cancel, then Leave without saving, discards the draft.
        browser.click("form.form a[href='/users']").await?;
        browser.click("dialog[open] .dialog-actions button").await?;
        browser.wait_for_path("/users").await?;
        assert_eq!(
            stored_draft(browser).await?,
            serde_json::Value::Null,
            "discard deletes it"
        );
        assert_ne!(
            admin.user(id).await?["first_name"],
            "Kept",
            "nothing was saved"
        );

        // Another admin signing in on the same tab does not get the draft.
        browser.open(&format!("/users/{id}")).await?;
        change_edit_form(browser, "Private").await?;
        add_fault(&settings.console_url, &fault).await?;
        browser.click(SUBMIT).await?;
        browser.wait_for_path(&sign_in_again).await?;
        assert!(
            stored_draft(browser).await?.is_string(),
            "the draft is kept"
        );
        submit_sign_in(browser, &second_admin, SECOND_ADMIN_PASSWORD).await?;
        browser.wait_for_path(&format!("/users/{id}")).await?;
        let first_name = browser.value("#field-first_name").await?;
        assert_eq!(first_name, "Morgan", "the other admin sees the stored user");
        assert_eq!(
            browser.find(".draft-notice").await?.text().await?,
            "",
            "no restore notice for the other admin"
        );
        assert_eq!(
            stored_draft(browser).await?,
            serde_json::Value::Null,
            "the other admin's sign-in deletes the draft"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_save_keeps_draft_and_retries() -> Result {
    let settings = Settings::from_env();
    let admin = settings.admin().await?;
    with_browser(&settings, "offline", async |browser| {
        sign_in(browser, &settings.admin_password).await?;
        let username = unique("offline");
        fill_add_form(browser, &username).await?;
        let before = form_state(browser).await?;

        set_offline(&browser.client, true).await?;
        browser
            .wait_for_element_text(BANNER, "You are offline")
            .await?;
        let role = browser
            .find(".connection-region")
            .await?
            .attr("role")
            .await?;
        assert_eq!(
            role.as_deref(),
            Some("status"),
            "the banner is in a live region"
        );
        browser.click(SUBMIT).await?;
        browser
            .wait_for_element_text(SUBMIT_ERROR, "Can't reach the server")
            .await?;
        assert_eq!(
            form_state(browser).await?,
            before,
            "the form keeps every value"
        );

        set_offline(&browser.client, false).await?;
        browser.wait_for_absence(BANNER).await?;
        assert_user_count(&admin, &username, 0).await?;
        browser.click(TRY_AGAIN).await?;
        browser.wait_for_path("/users").await?;
        assert_user_count(&admin, &username, 1).await?;
        Ok(())
    })
    .await
}
