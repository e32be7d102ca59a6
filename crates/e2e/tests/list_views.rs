//! An admin's whole way through a large list in Chromium, against the release build served by
//! the backend: build a filtered and sorted view, page it, move back and forward between
//! views, share it by link with a second browser that has to sign in first, deactivate every
//! user of the view after a preview, and export the view as a CSV file, whose downloaded
//! content is checked row by row.
//!
//! It needs the servers that `cargo xtask test` starts, passed in E2E_WEBDRIVER_URL,
//! E2E_CONSOLE_URL and E2E_ADMIN_PASSWORD.

use std::time::{SystemTime, UNIX_EPOCH};

use e2e::api::ApiSession;
use e2e::downloads::{save_downloads_in, wait_for_download};
use e2e::{Browser, Result, artifact_dir, poll};
use fantoccini::Locator;

const WINDOW: (u32, u32) = (1280, 900);
const SUBMIT: &str = "form.form button[type=submit]";
const DIALOG: &str = "dialog.dialog";
const NEXT_PAGE: &str = "#pagination-next";
/// Users of the view: basic users with the Reporting role whose username starts with the
/// run's prefix. More than one page of 25.
const VIEW_SIZE: usize = 30;
const ROLE: &str = "reporting";
/// Index, in creation order, of the user whose last name looks like a spreadsheet formula.
const FORMULA_USER: usize = 4;
const FORMULA_LAST_NAME: &str = "=SUM(A1:A9)";
/// Index of the user with a work phone, which starts with a plus sign.
const PHONE_USER: usize = 7;
const PHONE: &str = "+14155550123";
/// Index of the user deactivated before the bulk change, whom the preview skips.
const DEACTIVATED_USER: usize = 11;

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
                    "the list views suite needs {name} set. Run it with `cargo xtask test`, \
                     which starts the backend and ChromeDriver and sets it."
                )
            })
        };
        Settings {
            webdriver_url: var("E2E_WEBDRIVER_URL"),
            console_url: var("E2E_CONSOLE_URL").trim_end_matches('/').to_owned(),
            admin_password: var("E2E_ADMIN_PASSWORD"),
        }
    }
}

/// A user the test created, as the list and the export show them.
#[derive(Clone, Debug)]
struct Created {
    id: i64,
    username: String,
    last_name: String,
    email: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_view_bulk_change_and_export() {
    let settings = Settings::from_env();
    let browser = Browser::start(&settings.webdriver_url, &settings.console_url, WINDOW, &[])
        .await
        .expect("Chromium starts");
    let result = run(&settings, &browser).await;
    if let Err(error) = &result {
        let dir = artifact_dir().join("list-views");
        let _ = std::fs::create_dir_all(&dir);
        let saved = browser.save_artifacts(&dir, "admin").await;
        eprintln!(
            "the list views test failed: {error}; saved {}",
            saved.join(", ")
        );
    }
    let _ = browser.close().await;
    if let Err(error) = result {
        panic!("{error}");
    }
}

async fn run(settings: &Settings, browser: &Browser) -> Result {
    let api = ApiSession::sign_in(&settings.console_url, "admin", &settings.admin_password).await?;
    let prefix = unique_prefix();
    let view_users = create_users(&api, &prefix).await?;
    // The view sorts by email, descending; emails are unique, so no tie decides the order.
    let mut expected = view_users.clone();
    expected.sort_by(|a, b| b.email.cmp(&a.email));
    let expected_names: Vec<String> = expected.iter().map(|user| user.username.clone()).collect();

    sign_in(browser, &settings.admin_password).await?;
    let shared_path = build_view(browser, &prefix).await?;
    expect_rows(browser, &expected_names[..25]).await?;

    // Page 2 contains the rest, and is in the address too.
    browser.click(NEXT_PAGE).await?;
    let page_two = format!("{shared_path}&page=2");
    browser.wait_for_path(&page_two).await?;
    expect_rows(browser, &expected_names[25..]).await?;

    // A filter change returns to page 1; Back restores page 2 and its controls.
    select(browser, "#status-filter", "invited").await?;
    browser
        .wait_for_path(&shared_path.replace("&level=", "&status=invited&level="))
        .await?;
    browser
        .wait_for_element_text(".results", &format!("Showing 1–25 of {}", VIEW_SIZE - 1))
        .await?;
    browser.client.back().await?;
    browser.wait_for_path(&page_two).await?;
    expect_rows(browser, &expected_names[25..]).await?;
    check_value(browser, "#status-filter", "all").await?;
    browser.client.forward().await?;
    browser
        .wait_for_path(&shared_path.replace("&level=", "&status=invited&level="))
        .await?;
    check_value(browser, "#status-filter", "invited").await?;

    open_shared_link(settings, &shared_path, &expected_names[..25]).await?;

    browser.open(&shared_path).await?;
    expect_rows(browser, &expected_names[..25]).await?;
    deactivate_view(browser, &view_users).await?;
    for user in &view_users {
        let stored = api.user(user.id).await?;
        check(
            stored["status"] == "deactivated",
            format!(
                "{} to be deactivated, but it is {}",
                user.username, stored["status"]
            ),
        )?;
    }
    for outside in api.users_matching(&prefix).await? {
        let username = outside["username"].as_str().unwrap_or_default();
        if !view_users.iter().any(|user| user.username == username) {
            check(
                outside["status"] == "invited",
                format!("{username}, outside the view, to be unchanged: {outside}"),
            )?;
        }
    }

    export_view(browser, &expected).await
}

/// Returns a username prefix of this run, such as `lv482913377`.
fn unique_prefix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos())
        .unwrap_or_default();
    format!("lv{}", nanos % 1_000_000_000)
}

/// Creates the users of the view through the API, plus users with the prefix that the view's
/// filters leave out: basic users without the role and an account admin with it. One user of
/// the view is deactivated.
async fn create_users(api: &ApiSession, prefix: &str) -> Result<Vec<Created>> {
    let mut view_users = Vec::new();
    for index in 0..VIEW_SIZE {
        let username = format!("{prefix}-{index:02}");
        // The email order differs from the username order.
        let email = format!("m{:02}.{prefix}@example.com", (index * 7) % VIEW_SIZE);
        let last_name = if index == FORMULA_USER {
            FORMULA_LAST_NAME.to_owned()
        } else {
            format!("Tester{index:02}")
        };
        let phone = (index == PHONE_USER).then_some(PHONE);
        let user = api
            .create_user_from(&serde_json::json!({
                "username": username,
                "first_name": "View",
                "last_name": last_name,
                "email": email,
                "work_phone": phone,
                "admin_level": "basic_user",
                "roles": [ROLE],
                "account_ids": [1],
            }))
            .await?;
        let id = user["id"].as_i64().ok_or("a created user has an id")?;
        view_users.push(Created {
            id,
            username,
            last_name,
            email,
        });
    }
    for (index, (level, roles)) in [
        ("basic_user", Vec::<&str>::new()),
        ("basic_user", Vec::new()),
        ("account_admin", vec![ROLE]),
    ]
    .into_iter()
    .enumerate()
    {
        api.create_user_from(&serde_json::json!({
            "username": format!("{prefix}-other{index}"),
            "first_name": "Other",
            "last_name": "Outside",
            "email": format!("other{index}.{prefix}@example.com"),
            "work_phone": null,
            "admin_level": level,
            "roles": roles,
            "account_ids": [1],
        }))
        .await?;
    }
    api.deactivate(view_users[DEACTIVATED_USER].id).await?;
    Ok(view_users)
}

async fn sign_in(browser: &Browser, password: &str) -> Result {
    browser.open("/sign-in").await?;
    fill_sign_in(browser, password).await?;
    browser.wait_for_path("/users").await?;
    Ok(())
}

async fn fill_sign_in(browser: &Browser, password: &str) -> Result {
    browser.fill("#field-username", "admin").await?;
    browser.fill("#field-password", password).await?;
    browser.click(SUBMIT).await?;
    Ok(())
}

/// Searches for the prefix, filters basic users with the role, and sorts by email,
/// descending, with the controls of the list. Returns the path of the view.
async fn build_view(browser: &Browser, prefix: &str) -> Result<String> {
    browser.find("tr.user-row").await?;
    browser.fill("#user-search", prefix).await?;
    browser.wait_for_path(&format!("/users?q={prefix}")).await?;
    select(browser, "#level-filter", "basic_user").await?;
    select(browser, "#role-filter", ROLE).await?;
    browser.click("#sort-email").await?;
    browser
        .find("th[aria-sort=\"ascending\"] #sort-email")
        .await?;
    browser.click("#sort-email").await?;
    browser
        .find("th[aria-sort=\"descending\"] #sort-email")
        .await?;
    let path = format!("/users?q={prefix}&level=basic_user&role={ROLE}&sort=email&dir=desc");
    browser.wait_for_path(&path).await?;
    browser
        .wait_for_element_text(".results", &format!("Showing 1–25 of {VIEW_SIZE}"))
        .await?;
    Ok(path)
}

/// Opens the view's link in a second browser that isn't signed in: after signing in, it
/// shows the same controls and rows.
async fn open_shared_link(settings: &Settings, path: &str, first_page: &[String]) -> Result {
    let other = Browser::start(&settings.webdriver_url, &settings.console_url, WINDOW, &[]).await?;
    let result = async {
        other.open(path).await?;
        other.find("#field-password").await?;
        fill_sign_in(&other, &settings.admin_password).await?;
        other.wait_for_path(path).await?;
        expect_rows(&other, first_page).await?;
        check_value(&other, "#level-filter", "basic_user").await?;
        check_value(&other, "#role-filter", ROLE).await?;
        other
            .find("th[aria-sort=\"descending\"] #sort-email")
            .await?;
        let search = other.value("#user-search").await?;
        check(
            path.contains(&format!("q={search}&")),
            format!("the search box to hold the link's search, but it holds {search:?}"),
        )
    }
    .await;
    if let Err(error) = &result {
        let dir = artifact_dir().join("list-views");
        let _ = std::fs::create_dir_all(&dir);
        let saved = other.save_artifacts(&dir, "second-browser").await;
        eprintln!(
            "the shared link failed: {error}; saved {}",
            saved.join(", ")
        );
    }
    let _ = other.close().await;
    result
}

/// Selects every user of the view across its pages, deactivates them after the preview, and
/// checks the preview and the report.
async fn deactivate_view(browser: &Browser, view_users: &[Created]) -> Result {
    browser.click("#select-page").await?;
    let offer = browser
        .wait_for_element_text(".selection-offer button", "Select all")
        .await?;
    check(
        offer.contains(&VIEW_SIZE.to_string()),
        format!("the offer to name all {VIEW_SIZE} users of the view: {offer:?}"),
    )?;
    browser.click(".selection-offer button").await?;
    browser
        .wait_for_element_text(".selection-count", &format!("{VIEW_SIZE} selected"))
        .await?;
    browser.click(".selection-actions .button-danger").await?;

    let changing = VIEW_SIZE - 1;
    let preview = browser
        .wait_for_element_text(
            &format!("{DIALOG} .bulk-lists"),
            &format!("{changing} users will be deactivated"),
        )
        .await?;
    let skipped = &view_users[DEACTIVATED_USER];
    check(
        preview.contains("Skipped") && preview.contains(&skipped.last_name),
        format!("the preview to skip {}: {preview:?}", skipped.username),
    )?;
    let confirm = format!("{DIALOG} .dialog-actions button:first-child");
    let label = browser
        .wait_for_element_text(&confirm, "Deactivate")
        .await?;
    check(
        label == format!("Deactivate {changing} users"),
        format!("the confirm button to state the count, but it says {label:?}"),
    )?;
    browser.click(&confirm).await?;

    browser.find("#bulk-status-close").await?;
    let outcomes = poll("a report line per user of the view", || async {
        let rows = browser
            .client
            .find_all(Locator::Css("tr.bulk-report-row"))
            .await
            .map_err(|error| error.to_string())?;
        let mut outcomes = Vec::new();
        for row in rows {
            outcomes.push(row.attr("data-outcome").await.map_err(|e| e.to_string())?);
        }
        if outcomes.len() == VIEW_SIZE {
            Ok(outcomes)
        } else {
            Err(format!("it has {} lines", outcomes.len()))
        }
    })
    .await?;
    let changed = outcomes
        .iter()
        .filter(|outcome| outcome.as_deref() == Some("changed"))
        .count();
    let already = outcomes
        .iter()
        .filter(|outcome| outcome.as_deref() == Some("already_in_state"))
        .count();
    check(
        changed == changing && already == 1,
        format!("{changing} changed and 1 already deactivated, but the report has {outcomes:?}"),
    )?;
    browser.click("#bulk-status-close").await?;
    browser.wait_for_absence(DIALOG).await?;
    Ok(())
}

/// Exports the view and checks the downloaded file: every user of the view over both pages,
/// in the view's order, with formula-like values made inert.
async fn export_view(browser: &Browser, expected: &[Created]) -> Result {
    let dir = artifact_dir().join("list-views-downloads");
    save_downloads_in(&browser.client, &dir).await?;
    browser.click(".csv-export button").await?;
    browser
        .wait_for_element_text(".csv-export-status", "Exported")
        .await?;

    let file = wait_for_download(&dir, ".csv").await?;
    let bytes = std::fs::read(&file)?;
    let text = String::from_utf8(bytes)?;
    let text = text
        .strip_prefix('\u{feff}')
        .ok_or("the file to start with a byte order mark")?;

    let records = parse_csv(text)?;
    let header = records.first().ok_or("the file to have a header")?;
    check(
        header.first().map(String::as_str) == Some("Username")
            && header.iter().any(|name| name == "Last name")
            && header.iter().any(|name| name == "Work phone"),
        format!("the header to name the columns: {header:?}"),
    )?;
    let column = |name: &str| {
        header
            .iter()
            .position(|heading| heading == name)
            .ok_or_else(|| format!("no {name} column in {header:?}"))
    };
    let (last_name, phone, status) = (
        column("Last name")?,
        column("Work phone")?,
        column("Status")?,
    );

    let rows = &records[1..];
    let usernames: Vec<&str> = rows.iter().map(|row| row[0].as_str()).collect();
    let expected_names: Vec<&str> = expected.iter().map(|user| user.username.as_str()).collect();
    check(
        usernames == expected_names,
        format!("the rows in the view's order {expected_names:?}, but they are {usernames:?}"),
    )?;
    for (row, user) in rows.iter().zip(expected) {
        check(
            row[status] == "Deactivated",
            format!("{} to export as Deactivated: {row:?}", user.username),
        )?;
        let formula = format!("'{FORMULA_LAST_NAME}");
        let expected_last_name = if user.last_name == FORMULA_LAST_NAME {
            formula.as_str()
        } else {
            user.last_name.as_str()
        };
        check(
            row[last_name] == expected_last_name,
            format!(
                "last name {expected_last_name:?} for {}: {row:?}",
                user.username
            ),
        )?;
    }

    let phones: Vec<&str> = rows
        .iter()
        .map(|row| row[phone].as_str())
        .filter(|phone| !phone.is_empty())
        .collect();
    check(
        phones == [format!("'{PHONE}")],
        format!("one work phone, starting with an apostrophe: {phones:?}"),
    )
}

/// Reads RFC 4180 text with CRLF line ends into records.
fn parse_csv(text: &str) -> Result<Vec<Vec<String>>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut in_quotes = false;
    while let Some(c) = chars.next() {
        match (in_quotes, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => in_quotes = false,
            (true, _) => field.push(c),
            (false, '"') if field.is_empty() => in_quotes = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                if chars.next() != Some('\n') {
                    return Err("a carriage return not followed by a line feed".into());
                }
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '\n') => return Err("a line feed without a carriage return".into()),
            (false, _) => field.push(c),
        }
    }
    if in_quotes {
        return Err("a quoted field that never ends".into());
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    Ok(records)
}

/// Chooses the option with `value` in the select `css`.
async fn select(browser: &Browser, css: &str, value: &str) -> Result {
    browser.find(css).await?.select_by_value(value).await?;
    Ok(())
}

async fn check_value(browser: &Browser, css: &str, expected: &str) -> Result {
    let value = browser.value(css).await?;
    check(
        value == expected,
        format!("{css} to show {expected:?}, but it shows {value:?}"),
    )
}

/// Waits until the list's rows are the users `usernames`, in that order.
async fn expect_rows(browser: &Browser, usernames: &[String]) -> Result {
    poll(&format!("the rows {usernames:?}"), || async {
        let rows = browser
            .client
            .find_all(Locator::Css("tr.user-row"))
            .await
            .map_err(|error| error.to_string())?;
        let mut shown = Vec::new();
        for row in rows {
            let name = row
                .attr("data-username")
                .await
                .map_err(|error| error.to_string())?;
            shown.push(name.unwrap_or_default());
        }
        if shown == usernames {
            Ok(())
        } else {
            Err(format!("they are {shown:?}"))
        }
    })
    .await
}

fn check(condition: bool, expectation: impl Into<String>) -> Result {
    if condition {
        Ok(())
    } else {
        Err(format!("expected {}", expectation.into()).into())
    }
}
