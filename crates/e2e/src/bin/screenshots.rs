//! Saves screenshots of the console's main pages for the README: the users list, the list with
//! filters and a sort set, a bulk deactivation (selection, preview and report), the add-user
//! form showing errors, the dark theme and a phone-sized screen.
//!
//! Run by `cargo xtask screenshots`, which starts the backend (serving the release build) and
//! ChromeDriver, and passes their addresses in E2E_* environment variables.

use std::path::{Path, PathBuf};

use e2e::{Browser, Result};

const DESKTOP: (u32, u32) = (1280, 800);
const PHONE: (u32, u32) = (390, 844);
/// Demo users of the list's first page that the bulk pictures select besides `admin`:
/// `diego.fernandez` is deactivated already, so the preview shows two reasons to skip.
const BULK_USERS: [&str; 4] = [
    "arjun.mehta",
    "chloe.dubois",
    "diego.fernandez",
    "ethan.walker",
];
/// The users of [`BULK_USERS`] that the deactivation changes, reactivated afterwards.
const BULK_CHANGED: [&str; 3] = ["arjun.mehta", "chloe.dubois", "ethan.walker"];

struct Settings {
    webdriver_url: String,
    console_url: String,
    admin_password: String,
    output_dir: PathBuf,
}

fn env(name: &str) -> Result<String> {
    std::env::var(name).map_err(|_| format!("environment variable {name} is not set").into())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result {
    let settings = Settings {
        webdriver_url: env("E2E_WEBDRIVER_URL")?,
        console_url: env("E2E_CONSOLE_URL")?,
        admin_password: env("E2E_ADMIN_PASSWORD")?,
        output_dir: PathBuf::from(env("E2E_OUTPUT_DIR")?),
    };
    std::fs::create_dir_all(&settings.output_dir)?;
    take_all(&settings, DESKTOP, &[], "").await?;
    take_all(&settings, DESKTOP, &["--force-dark-mode"], "-dark").await?;
    take_all(&settings, PHONE, &[], "-phone").await
}

/// Signs in as `admin` and saves the list, the filtered list and the form with errors, each
/// file name ending in `suffix`.
async fn take_all(
    settings: &Settings,
    window: (u32, u32),
    chrome_args: &[&str],
    suffix: &str,
) -> Result {
    let browser = Browser::start(
        &settings.webdriver_url,
        &settings.console_url,
        window,
        chrome_args,
    )
    .await?;
    let result = take_pages(&browser, settings, suffix).await;
    browser.close().await?;
    result
}

async fn take_pages(browser: &Browser, settings: &Settings, suffix: &str) -> Result {
    let shot = |name: &str| -> PathBuf { output(&settings.output_dir, name, suffix) };
    browser.open("/users").await?;
    browser.fill("#field-username", "admin").await?;
    browser
        .fill("#field-password", &settings.admin_password)
        .await?;
    browser.click("button[type=submit]").await?;
    browser.wait_for_text("Showing 1").await?;
    browser.screenshot(&shot("users-list")).await?;
    take_bulk_change(browser, &shot).await?;

    browser
        .open("/users?status=active&level=basic_user&account=1&sort=created&dir=desc")
        .await?;
    browser
        .wait_for_element_text(".field-account-filter .chip-label", "–")
        .await?;
    browser.wait_for_text("Showing 1").await?;
    browser.screenshot(&shot("users-list-filtered")).await?;

    browser.open("/users/new").await?;
    browser.fill("#field-username", "ab").await?;
    browser.fill("#field-email", "ann.lee@example").await?;
    browser.fill("#field-work_phone", "415 555 0123").await?;
    browser.click("button[type=submit]").await?;
    browser.wait_for_text("There is a problem").await?;
    browser.screenshot(&shot("add-user-errors")).await
}

/// Saves the selection bar, the preview and the report of a bulk deactivation, then
/// reactivates the changed users, so that the next run finds the same demo users.
async fn take_bulk_change(browser: &Browser, shot: &impl Fn(&str) -> PathBuf) -> Result {
    // `admin` first, because its row is at the top, where the selection bar stays once users
    // are selected; WebDriver would click that bar instead.
    for username in ["admin"].iter().chain(&BULK_USERS) {
        browser.click(&select_checkbox(username)).await?;
    }
    browser.wait_for_text("5 selected").await?;
    browser.screenshot(&shot("bulk-selection")).await?;

    browser.click(".selection-actions .button-danger").await?;
    browser
        .wait_for_text("These 3 users will be deactivated")
        .await?;
    browser.screenshot(&shot("bulk-preview")).await?;
    browser
        .click("dialog[open] .dialog-actions .button-danger")
        .await?;
    browser.wait_for_text("Deactivation report").await?;
    browser.screenshot(&shot("bulk-report")).await?;
    browser.click("dialog[open] .dialog-actions button").await?;
    browser.wait_for_absence("dialog").await?;

    for username in BULK_CHANGED {
        browser.click(&select_checkbox(username)).await?;
    }
    browser.wait_for_text("3 selected").await?;
    browser
        .click(".selection-actions .button-secondary")
        .await?;
    browser
        .wait_for_text("These 3 users will be reactivated")
        .await?;
    browser
        .click("dialog[open] .dialog-actions .button-primary")
        .await?;
    browser.wait_for_text("Reactivation report").await?;
    browser.click("dialog[open] .dialog-actions button").await?;
    browser.wait_for_absence("dialog").await
}

fn select_checkbox(username: &str) -> String {
    format!("tr[data-username='{username}'] .select-checkbox")
}

fn output(dir: &Path, name: &str, suffix: &str) -> PathBuf {
    dir.join(format!("{name}{suffix}.png"))
}
