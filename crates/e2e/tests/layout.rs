//! Checks that the console suits every screen from a 320 px phone to a 1920 px desktop. These
//! pages never scroll sideways: the sign-in page, the users list, the add-user form with
//! errors and with the account picker open, the user page and the set-password page. That
//! holds even with a user whose names are as long as the rules allow and have no space. On phones and tablets the users list shows each user as a
//! card with labelled values, inside the page's panel. The two lists of a user's page line
//! up. A reduced-motion setting stops every transition and animation.
//!
//! It needs the servers that `cargo xtask test` starts, passed in E2E_WEBDRIVER_URL,
//! E2E_CONSOLE_URL, E2E_ADMIN_PASSWORD and E2E_VIEWER_PASSWORD. A failing page gets a
//! screenshot and the console log in target/e2e-artifacts/layout, and the failure names the
//! elements that stick out.

use std::cell::RefCell;
use std::time::{SystemTime, UNIX_EPOCH};

use e2e::api::{self, ApiSession};
use e2e::{Browser, Result, artifact_dir};

/// Window widths in CSS pixels: the 320 px of the WCAG 2.2 reflow criterion (1.4.10), a small
/// phone, a tablet, a laptop and a full HD desktop.
const WIDTHS: [u32; 5] = [320, 360, 768, 1280, 1920];
const HEIGHT: u32 = 800;
/// The stylesheet shows the users table as cards up to this width, in CSS pixels.
const CARD_LAYOUT_MAX_WIDTH: u32 = 900;

const SUBMIT: &str = "form.form button[type=submit]";
/// Maximum length of a first or last name, in characters, under the shared rules.
const NAME_MAX_CHARS: usize = 100;

struct Settings {
    webdriver_url: String,
    console_url: String,
    admin_password: String,
    viewer_password: String,
}

impl Settings {
    /// Reads the E2E_* variables and panics when one is missing, so that a run without the
    /// servers fails instead of passing without testing anything.
    fn from_env() -> Settings {
        let names = [
            "E2E_WEBDRIVER_URL",
            "E2E_CONSOLE_URL",
            "E2E_ADMIN_PASSWORD",
            "E2E_VIEWER_PASSWORD",
        ];
        let missing: Vec<&str> = names
            .into_iter()
            .filter(|name| std::env::var(name).is_err())
            .collect();
        assert!(
            missing.is_empty(),
            "the layout suite needs {} set. Run it with `cargo xtask test`, which starts the \
             backend (serving dist/ with --expose-outbox) and ChromeDriver and sets them.",
            missing.join(", ")
        );
        let var = |name: &str| std::env::var(name).unwrap_or_default();
        Settings {
            webdriver_url: var("E2E_WEBDRIVER_URL"),
            console_url: var("E2E_CONSOLE_URL").trim_end_matches('/').to_owned(),
            admin_password: var("E2E_ADMIN_PASSWORD"),
            viewer_password: var("E2E_VIEWER_PASSWORD"),
        }
    }

    async fn start_browser(&self, width: u32, chrome_args: &[&str]) -> Browser {
        let window = (width, HEIGHT);
        Browser::start(&self.webdriver_url, &self.console_url, window, chrome_args)
            .await
            .unwrap_or_else(|error| panic!("starting a {width} px browser failed: {error}"))
    }
}

/// A user with a long username and email, and a first and last name without a space, each
/// as long as the rules allow, created for this run, and their invitation link.
struct LongUser {
    id: i64,
    username: String,
    invitation_link: String,
}

impl LongUser {
    async fn create(settings: &Settings) -> Result<LongUser> {
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        let username = format!("morgan.achterberg-vandenbroucke.{}", seconds % 1_000_000);
        let email = format!("{username}@meridianhealth-partners-northgate.example");
        let first_name = "Wolfeschlegelsteinhausenbergerdorff".repeat(3);
        let last_name = "Achterbergvandenbrouckedemeulenaere".repeat(3);
        let names = (&first_name[..NAME_MAX_CHARS], &last_name[..NAME_MAX_CHARS]);
        let console_url = &settings.console_url;
        let admin = ApiSession::sign_in(console_url, "admin", &settings.admin_password).await?;
        let user = admin.create_named_user(&username, &email, names).await?;
        let id = user["id"]
            .as_i64()
            .ok_or_else(|| format!("the created user has no id: {user}"))?;
        let invitation_link = api::invitation_link(console_url, &email).await?;
        Ok(LongUser {
            id,
            username,
            invitation_link,
        })
    }
}

#[tokio::test(flavor = "current_thread")]
async fn pages_never_scroll_sideways() {
    let settings = Settings::from_env();
    let user = LongUser::create(&settings)
        .await
        .unwrap_or_else(|error| panic!("preparing a user failed: {error}"));
    let failures = RefCell::new(Vec::new());

    for width in WIDTHS {
        let browser = settings.start_browser(width, &[]).await;
        let pages = FitCheck {
            browser: &browser,
            width,
            failures: &failures,
        };
        if let Err(error) = pages.check_all(&settings, &user).await {
            let failure = format!("could not reach a page: {error}");
            pages.record("unreachable", failure).await;
        }
        if let Err(error) = browser.close().await {
            eprintln!("closing the {width} px browser failed: {error}");
        }
    }
    let failures = failures.take();
    assert!(
        failures.is_empty(),
        "{} pages scroll sideways or could not be checked:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Opens each page at one width and records those wider than the window.
struct FitCheck<'a> {
    browser: &'a Browser,
    width: u32,
    failures: &'a RefCell<Vec<String>>,
}

impl FitCheck<'_> {
    async fn check_all(&self, settings: &Settings, user: &LongUser) -> Result {
        let browser = self.browser;
        browser.open("/sign-in").await?;
        browser.wait_for_element_text("h1", "Sign in").await?;
        self.check_fit("sign-in page").await?;

        browser.fill("#field-username", "admin").await?;
        browser
            .fill("#field-password", &settings.admin_password)
            .await?;
        browser.click(SUBMIT).await?;
        browser
            .wait_for_element_text(".results", "Showing 1–")
            .await?;
        self.check_fit("users list").await?;

        browser.fill("#user-search", &user.username).await?;
        browser
            .wait_for_element_text(".results", "Showing 1–1 of 1")
            .await?;
        self.check_fit("users list showing a long name and email")
            .await?;

        browser
            .open("/users?status=active&role=address_management&account=1&sort=created&dir=desc")
            .await?;
        browser
            .wait_for_element_text(".field-account-filter .chip-label", "–")
            .await?;
        browser
            .find("#role-filter option[value=\"address_management\"]")
            .await?;
        self.check_fit("users list with filters set").await?;

        browser.open("/users/new").await?;
        browser.find("#field-account_ids").await?;
        browser.click(SUBMIT).await?;
        browser
            .wait_for_element_text(".error-summary", "There is a problem")
            .await?;
        self.check_fit("add-user form showing errors").await?;

        browser.fill("#field-account_ids", "meridian").await?;
        browser.click("#account-option-1").await?;
        browser.find("#account-chip-remove-1").await?;
        browser
            .wait_for_element_text(".combobox-summary", "matching")
            .await?;
        self.check_fit("add-user form with the account picker open")
            .await?;

        browser.open(&format!("/users/{}", user.id)).await?;
        browser.find("#field-first_name").await?;
        self.check_fit("user page").await?;

        browser.open_url(&user.invitation_link).await?;
        browser
            .wait_for_element_text("h1", "Create a password for")
            .await?;
        self.check_fit("set-password page").await
    }

    /// Records a failure when the page open now is wider than the window.
    async fn check_fit(&self, page: &str) -> Result {
        let overflow = self.browser.overflow().await?;
        if overflow.scrolls() {
            let failure = format!(
                "the page is {} px wide in a {} px window; sticking out: {}",
                overflow.scroll_width,
                overflow.client_width,
                overflow.wide_elements.join(", ")
            );
            self.record(page, failure).await;
        } else {
            println!("{page} fits {} px", self.width);
        }
        Ok(())
    }

    async fn record(&self, page: &str, failure: String) {
        let dir = artifact_dir().join("layout");
        let stem = format!("{}px-{}", self.width, page.replace(' ', "-"));
        let files = match std::fs::create_dir_all(&dir) {
            Ok(()) => self.browser.save_artifacts(&dir, &stem).await,
            Err(error) => vec![format!("(could not create {}: {error})", dir.display())],
        };
        self.failures.borrow_mut().push(format!(
            "{page} at {} px: {failure}\n  screenshot and console log: {}\n",
            self.width,
            files.join(", ")
        ));
    }
}

#[tokio::test(flavor = "current_thread")]
async fn users_list_becomes_cards_when_narrow() {
    let settings = Settings::from_env();
    for width in WIDTHS {
        let browser = settings.start_browser(width, &[]).await;
        let result = check_users_table(&settings, &browser, width).await;
        if result.is_err() {
            let dir = artifact_dir().join("layout");
            if let Err(error) = std::fs::create_dir_all(&dir) {
                eprintln!("could not create {}: {error}", dir.display());
            }
            let files = browser
                .save_artifacts(&dir, &format!("{width}px-users-table"))
                .await;
            println!("screenshot and console log: {}", files.join(", "));
        }
        if let Err(error) = browser.close().await {
            eprintln!("closing the {width} px browser failed: {error}");
        }
        if let Err(error) = result {
            panic!("the users list at {width} px: {error}");
        }
    }
}

/// Checks that up to [`CARD_LAYOUT_MAX_WIDTH`] each row is a card that fits the window and
/// labels every value, with the column headers hidden, and that wider windows show a table.
async fn check_users_table(settings: &Settings, browser: &Browser, width: u32) -> Result {
    sign_in_to_list(browser, "admin", &settings.admin_password).await?;
    let table = browser.table_layout().await?;
    let is_card = width <= CARD_LAYOUT_MAX_WIDTH;
    let expected_display = if is_card { "block" } else { "table-row" };
    check(!table.rows.is_empty(), "the list to show users")?;
    for (index, row) in table.rows.iter().enumerate() {
        check(
            row.display == expected_display,
            format!(
                "row {index} to have display {expected_display} (it has {})",
                row.display
            ),
        )?;
        check(
            row.right <= table.client_width,
            format!(
                "row {index} to end within the {} px window (it ends at {} px)",
                table.client_width, row.right
            ),
        )?;
        // Half a pixel allows for rounding of fractional layout widths.
        check(
            row.right <= table.results_right + 0.5,
            format!(
                "row {index} to end within the page's panel, at {} px (it ends at {} px)",
                table.results_right, row.right
            ),
        )?;
        for (label, data_label) in row.labels.iter().zip(&row.data_labels) {
            let shown = format!("\"{data_label}\"");
            let is_labelled = *label == shown;
            check(
                is_labelled == is_card,
                format!(
                    "the {data_label} cell of row {index} to {} its label (::before is {label})",
                    if is_card { "show" } else { "not show" }
                ),
            )?;
        }
    }
    // The Sort by select replaces the hidden headers' sort buttons, which must then leave the
    // tab order rather than take focus unseen.
    let takes_focus = browser
        .client
        .execute(
            "const button = document.querySelector('#sort-username');
             button.focus();
             return document.activeElement === button;",
            vec![],
        )
        .await?;
    check(
        takes_focus.as_bool() == Some(!is_card),
        format!(
            "the Username sort button to {} focus (focus() returned {takes_focus})",
            if is_card { "not take" } else { "take" }
        ),
    )?;
    let is_head_hidden = table.head_height <= 1.0;
    check(
        is_head_hidden == is_card,
        format!(
            "the column headers to be {} (their height is {} px)",
            if is_card { "hidden" } else { "shown" },
            table.head_height
        ),
    )
}

#[tokio::test(flavor = "current_thread")]
async fn user_page_lists_line_up() {
    let settings = Settings::from_env();
    let browser = settings.start_browser(1280, &[]).await;
    let result = check_detail_lists(&settings, &browser).await;
    if result.is_err() {
        let dir = artifact_dir().join("layout");
        if let Err(error) = std::fs::create_dir_all(&dir) {
            eprintln!("could not create {}: {error}", dir.display());
        }
        let files = browser.save_artifacts(&dir, "1280px-user-page").await;
        println!("screenshot and console log: {}", files.join(", "));
    }
    if let Err(error) = browser.close().await {
        eprintln!("closing the browser failed: {error}");
    }
    if let Err(error) = result {
        panic!("the user page as a basic user: {error}");
    }
}

/// Opens a user's page as a basic user, which shows the summary and the profile as two
/// description lists, and checks that their values start at the same left edge.
async fn check_detail_lists(settings: &Settings, browser: &Browser) -> Result {
    sign_in_to_list(browser, "viewer", &settings.viewer_password).await?;
    browser.click("tr.user-row .user-username a").await?;
    browser.find("dl.user-profile").await?;
    let lefts = browser.left_edges("dl.detail-list > dd").await?;
    check(
        lefts.len() > 4,
        format!("the two lists to show values (found {})", lefts.len()),
    )?;
    let first = lefts[0];
    // Half a pixel allows for rounding of fractional layout widths.
    check(
        lefts.iter().all(|left| (left - first).abs() <= 0.5),
        format!("every value of both lists to start at {first} px (they start at {lefts:?})"),
    )
}

#[tokio::test(flavor = "current_thread")]
async fn reduced_motion_stops_transitions() {
    let settings = Settings::from_env();
    for is_reduced in [false, true] {
        let flags: &[&str] = if is_reduced {
            &["--force-prefers-reduced-motion"]
        } else {
            &[]
        };
        let browser = settings.start_browser(1280, flags).await;
        let result = moving_elements_on_list(&settings, &browser, is_reduced).await;
        if let Err(error) = browser.close().await {
            eprintln!("closing the browser failed: {error}");
        }
        let moving = result.unwrap_or_else(|error| panic!("checking the motion failed: {error}"));
        if is_reduced {
            assert!(
                moving.is_empty(),
                "with reduced motion, nothing moves, but these do: {}",
                moving.join(", ")
            );
        } else {
            // Shows that the check detects the switches' transition when motion is allowed.
            assert!(
                moving
                    .iter()
                    .any(|name| name.starts_with("span.switch-track")),
                "without reduced motion the status switches slide, but only these move: {moving:?}"
            );
        }
    }
}

/// Opens the users list, whose status switches slide, and lists what moves there.
async fn moving_elements_on_list(
    settings: &Settings,
    browser: &Browser,
    is_reduced: bool,
) -> Result<Vec<String>> {
    sign_in_to_list(browser, "admin", &settings.admin_password).await?;
    browser.find("button[role=switch]").await?;
    let prefers_reduced = browser
        .media_matches("(prefers-reduced-motion: reduce)")
        .await?;
    check(
        prefers_reduced == is_reduced,
        format!("prefers-reduced-motion to be {is_reduced}"),
    )?;
    browser.moving_elements().await
}

async fn sign_in_to_list(browser: &Browser, username: &str, password: &str) -> Result {
    browser.open("/sign-in").await?;
    browser.fill("#field-username", username).await?;
    browser.fill("#field-password", password).await?;
    browser.click(SUBMIT).await?;
    browser
        .wait_for_element_text(".results", "Showing 1–")
        .await?;
    Ok(())
}

/// Fails with `expectation` when `condition` is false.
fn check(condition: bool, expectation: impl Into<String>) -> Result {
    if condition {
        Ok(())
    } else {
        Err(format!("expected {}", expectation.into()).into())
    }
}
