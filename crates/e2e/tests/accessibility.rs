//! Checks every page and state of the console with axe-core's WCAG 2.x level A and AA rules,
//! in the light and the dark theme. The states are sign-in with and without errors, the users
//! list (empty, with the Account menu, with a message, as a basic user), the deactivate
//! dialog, the add and edit forms with and without errors, the add form with the account
//! picker's options open, the set-password page for a valid
//! and an expired link, and the not-found page. Every state must have zero violations. Each state also gets
//! the checks that axe-core leaves out: form control borders and, where listed, focus rings
//! must contrast 3:1 with their surroundings (WCAG 1.4.11), and placeholders 4.5:1 with their
//! inputs (WCAG 1.4.3). Another test reads the accessible names that Chromium computes on the
//! users list, which must leave out decoration and the status switches' state.
//!
//! It needs the servers that `cargo xtask test` starts, passed in E2E_WEBDRIVER_URL,
//! E2E_CONSOLE_URL, E2E_EXPIRING_CONSOLE_URL (a second backend whose invitations expire after
//! seconds), E2E_ADMIN_PASSWORD, E2E_VIEWER_PASSWORD and E2E_AXE_SCRIPT (the path of
//! axe-core's axe.min.js). A state with violations gets a screenshot and the console log in
//! target/e2e-artifacts/accessibility-<theme>, and the failure lists every violation.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::{SystemTime, UNIX_EPOCH};

use e2e::api::{self, ApiSession};
use e2e::axe::Axe;
use e2e::keyboard::Key;
use e2e::{Browser, Result, artifact_dir};

const WINDOW: (u32, u32) = (1280, 800);

const SUBMIT: &str = "form.form button[type=submit]";
const DIALOG: &str = "dialog.dialog";
const STATUS_MESSAGE: &str = "p.status-message";
/// The live region under the edit form's buttons, which reports a save.
const SAVE_STATUS: &str = "#save-status";
/// A seeded user, stored as "Helena.Sousa", whose switch opens the deactivate dialog.
const SEEDED_USERNAME: &str = "helena.sousa";
/// A password that meets every rule for the users this suite creates.
const GOOD_PASSWORD: &str = "Lantern-Quarry-Oboe-48";
/// Minimum contrast of borders and focus rings against their surroundings in WCAG 1.4.11.
const MIN_NON_TEXT_CONTRAST: f64 = 3.0;
/// Minimum contrast of normal-size text, placeholders included, in WCAG 1.4.3.
const MIN_TEXT_CONTRAST: f64 = 4.5;
/// Elements whose focus ring is measured, by the name of the state that shows them: the
/// header, text inputs, buttons, links, checkboxes and radio buttons, on light surfaces and
/// on the dark header.
const FOCUS_RINGS: [(&str, &[&str]); 3] = [
    (
        "sign-in page",
        &[".product-name", "#field-username", SUBMIT],
    ),
    (
        "users list",
        &[
            ".account-menu-button",
            ".app-header-user button",
            "#user-search",
            ".page-heading a",
            "tr.user-row a",
            "button[role=switch]",
            "#status-filter",
            "#sort-username",
        ],
    ),
    (
        "add-user form",
        &[
            "#field-admin_level",
            "#field-roles",
            "#field-account_ids",
            ".form-actions a",
        ],
    ),
];

struct Settings {
    webdriver_url: String,
    console_url: String,
    expiring_console_url: String,
    admin_password: String,
    viewer_password: String,
    axe_script: PathBuf,
}

impl Settings {
    /// Reads the E2E_* variables and panics when one is missing, so that a run without the
    /// servers fails instead of passing without testing anything.
    fn from_env() -> Settings {
        let names = [
            "E2E_WEBDRIVER_URL",
            "E2E_CONSOLE_URL",
            "E2E_EXPIRING_CONSOLE_URL",
            "E2E_ADMIN_PASSWORD",
            "E2E_VIEWER_PASSWORD",
            "E2E_AXE_SCRIPT",
        ];
        let missing: Vec<&str> = names
            .into_iter()
            .filter(|name| std::env::var(name).is_err())
            .collect();
        assert!(
            missing.is_empty(),
            "the accessibility suite needs {} set. Run it with `cargo xtask test`, which \
             installs axe-core, starts two backends (serving dist/ with --expose-outbox) and \
             ChromeDriver, and sets them.",
            missing.join(", ")
        );
        let var = |name: &str| std::env::var(name).unwrap_or_default();
        Settings {
            webdriver_url: var("E2E_WEBDRIVER_URL"),
            console_url: var("E2E_CONSOLE_URL").trim_end_matches('/').to_owned(),
            expiring_console_url: var("E2E_EXPIRING_CONSOLE_URL")
                .trim_end_matches('/')
                .to_owned(),
            admin_password: var("E2E_ADMIN_PASSWORD"),
            viewer_password: var("E2E_VIEWER_PASSWORD"),
            axe_script: PathBuf::from(var("E2E_AXE_SCRIPT")),
        }
    }
}

/// The colour scheme that the browser reports to the page through `prefers-color-scheme`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Theme {
    Light,
    Dark,
}

impl Theme {
    fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Chromium flags: `--force-dark-mode` makes `prefers-color-scheme` match `dark`.
    fn chrome_args(self) -> &'static [&'static str] {
        match self {
            Theme::Light => &[],
            Theme::Dark => &["--force-dark-mode"],
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn light_theme_passes_wcag_rules() {
    audit_theme(Theme::Light).await;
}

#[tokio::test(flavor = "current_thread")]
async fn dark_theme_passes_wcag_rules() {
    audit_theme(Theme::Dark).await;
}

/// Walks through every state in `theme`, checks each with axe-core, and fails with a report
/// of every violation and of the step that could not be reached, if any.
async fn audit_theme(theme: Theme) {
    let settings = Settings::from_env();
    let axe = Axe::load(&settings.axe_script).unwrap_or_else(|error| panic!("{error}"));
    let browser = Browser::start(
        &settings.webdriver_url,
        &settings.console_url,
        WINDOW,
        theme.chrome_args(),
    )
    .await
    .unwrap_or_else(|error| panic!("starting the {} browser failed: {error}", theme.name()));
    let audit = Audit {
        names: Names::unique(theme),
        settings,
        axe,
        browser,
        theme,
        states_checked: Cell::new(0),
        failures: RefCell::new(Vec::new()),
    };

    audit.run().await;
    let failures = audit.failures.take();
    let checked = audit.states_checked.get();
    if let Err(error) = audit.browser.close().await {
        eprintln!("closing the browser session failed: {error}");
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} states in the {} theme failed:\n\n{}",
        failures.len(),
        theme.name(),
        failures.join("\n")
    );
}

/// Usernames and emails of the users this run creates, unique per run and theme.
struct Names {
    new_user: String,
    expiring_user: String,
    unknown_user: String,
}

impl Names {
    fn unique(theme: Theme) -> Names {
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        let suffix = format!("{}{}", &theme.name()[..1], seconds % 1_000_000);
        Names {
            new_user: format!("ally.rivera.{suffix}"),
            expiring_user: format!("late.joiner.{suffix}"),
            unknown_user: format!("nobody.{suffix}"),
        }
    }

    fn email(username: &str) -> String {
        format!("{username}@meridianhealth.example")
    }
}

/// A step that brings the page into the next state, not yet started.
type StepFuture<'a> = Pin<Box<dyn Future<Output = Result> + 'a>>;

struct Audit {
    settings: Settings,
    names: Names,
    axe: Axe,
    browser: Browser,
    theme: Theme,
    states_checked: Cell<u32>,
    /// One entry per state with violations, and one for a state that could not be reached.
    failures: RefCell<Vec<String>>,
}

impl Audit {
    /// Reaches each state in turn and checks it. A state that can't be reached ends the run,
    /// because the later states build on it.
    async fn run(&self) {
        let states: Vec<(&str, StepFuture<'_>)> = vec![
            ("sign-in page", Box::pin(self.open_sign_in())),
            (
                "sign-in showing field errors",
                Box::pin(self.submit_empty_sign_in()),
            ),
            (
                "sign-in showing a rejected password",
                Box::pin(self.submit_wrong_password()),
            ),
            ("users list", Box::pin(self.sign_in_as_admin())),
            (
                "users list with the Account menu open",
                Box::pin(self.open_account_menu()),
            ),
            (
                "users list with filters and the account filter open",
                Box::pin(self.open_filtered_list()),
            ),
            ("empty search result", Box::pin(self.search_for_nobody())),
            (
                "deactivate confirmation dialog",
                Box::pin(self.open_deactivate_dialog()),
            ),
            (
                "users list with the whole page selected",
                Box::pin(self.select_whole_page()),
            ),
            (
                "bulk deactivation preview",
                Box::pin(self.open_bulk_preview()),
            ),
            ("add-user form", Box::pin(self.open_add_user_form())),
            (
                "add-user form showing errors",
                Box::pin(self.submit_empty_add_user_form()),
            ),
            (
                "add-user form with an available username",
                Box::pin(self.enter_available_username()),
            ),
            (
                "add-user form with the account picker open",
                Box::pin(self.open_account_picker()),
            ),
            (
                "users list announcing the added user",
                Box::pin(self.add_user()),
            ),
            (
                "user page with the edit form",
                Box::pin(self.open_new_user()),
            ),
            (
                "edit form showing errors",
                Box::pin(self.submit_invalid_email()),
            ),
            (
                "user page announcing saved changes",
                Box::pin(self.save_valid_email()),
            ),
            (
                "users list as a basic user",
                Box::pin(self.sign_in_as_viewer()),
            ),
            (
                "user page as a basic user",
                Box::pin(self.open_user_as_viewer()),
            ),
            (
                "set-password page with a valid link",
                Box::pin(self.open_invitation()),
            ),
            (
                "set-password page showing rule failures",
                Box::pin(self.submit_weak_password()),
            ),
            (
                "sign-in announcing the password is set",
                Box::pin(self.set_good_password()),
            ),
            (
                "set-password page for an expired link",
                Box::pin(self.open_expired_invitation()),
            ),
            ("not-found page", Box::pin(self.open_unknown_path())),
        ];

        self.clear_artifacts();
        for (name, reach) in states {
            let number = self.states_checked.get() + 1;
            self.states_checked.set(number);
            if let Err(error) = reach.await {
                let failure = format!("could not reach the state: {error}");
                self.record_failure(number, name, failure).await;
                return;
            }
            self.check(number, name).await;
        }
    }

    /// Runs axe-core and the non-text contrast checks on the current page, and records the
    /// violations, if any.
    async fn check(&self, number: u32, name: &str) {
        let mut violations = Vec::new();
        match self.axe.check(&self.browser).await {
            Ok(found) => violations.extend(found.iter().map(ToString::to_string)),
            Err(error) => violations.push(format!("axe-core could not check it: {error}\n")),
        }
        match self.non_text_contrast_violations(name).await {
            Ok(found) => violations.extend(found),
            Err(error) => violations.push(format!("measuring the contrast failed: {error}\n")),
        }
        match self.placeholder_contrast_violations().await {
            Ok(found) => violations.extend(found),
            Err(error) => violations.push(format!("measuring placeholders failed: {error}\n")),
        }
        if violations.is_empty() {
            println!(
                "{} theme, state {number}: {name}: no violations",
                self.theme.name()
            );
            return;
        }
        let list: String = violations.iter().map(|v| format!("  - {v}")).collect();
        let failure = format!("{} violations:\n{list}", violations.len());
        self.record_failure(number, name, failure).await;
    }

    /// Describes each form control border, and each focus ring listed for `state` in
    /// [`FOCUS_RINGS`], that contrasts less than 3:1 with its surroundings or is missing.
    async fn non_text_contrast_violations(&self, state: &str) -> Result<Vec<String>> {
        let mut violations = Vec::new();
        for border in self.browser.border_contrasts(".input").await? {
            if border.ratio < MIN_NON_TEXT_CONTRAST {
                violations.push(format!(
                    "non-text-contrast: the border of {} contrasts {:.2}:1 with its \
                     surroundings, below 3:1\n",
                    border.name, border.ratio
                ));
            }
        }
        let targets = FOCUS_RINGS
            .iter()
            .find(|(name, _)| *name == state)
            .map_or(&[][..], |(_, targets)| targets);
        for css in targets {
            let ring = self.browser.focus_ring(css).await?;
            if !ring.is_visible || ring.style == "none" || ring.width < 2.0 {
                violations.push(format!(
                    "focus-visible: {css} shows no focus ring: {ring:?}\n"
                ));
            } else if ring.ratio < MIN_NON_TEXT_CONTRAST {
                violations.push(format!(
                    "non-text-contrast: the focus ring of {css} contrasts {:.2}:1 with its \
                     surroundings, below 3:1\n",
                    ring.ratio
                ));
            }
        }
        Ok(violations)
    }

    /// Describes each placeholder that contrasts less than 4.5:1 with its input, because
    /// axe-core's colour-contrast rule does not measure placeholder text.
    async fn placeholder_contrast_violations(&self) -> Result<Vec<String>> {
        let placeholders = self.browser.placeholder_contrasts("[placeholder]").await?;
        Ok(placeholders
            .into_iter()
            .filter(|placeholder| placeholder.ratio < MIN_TEXT_CONTRAST)
            .map(|placeholder| {
                format!(
                    "color-contrast: the placeholder of {} contrasts {:.2}:1 with its input, \
                     below 4.5:1\n",
                    placeholder.name, placeholder.ratio
                )
            })
            .collect())
    }

    /// Saves the screenshot and console log of the state and adds `failure` to the report.
    async fn record_failure(&self, number: u32, name: &str, failure: String) {
        let dir = self.artifact_dir();
        let files = match std::fs::create_dir_all(&dir) {
            Ok(()) => {
                let stem = format!("{number:02}-{}", slug(name));
                self.browser.save_artifacts(&dir, &stem).await
            }
            Err(error) => vec![format!("(could not create {}: {error})", dir.display())],
        };
        println!(
            "{} theme, state {number}: {name}: FAILED",
            self.theme.name()
        );
        let entry = format!(
            "state {number}, {name} ({} theme): {failure}\n  screenshot and console log: {}\n",
            self.theme.name(),
            files.join(", ")
        );
        self.failures.borrow_mut().push(entry);
    }

    fn artifact_dir(&self) -> PathBuf {
        artifact_dir().join(format!("accessibility-{}", self.theme.name()))
    }

    fn clear_artifacts(&self) {
        if let Err(error) = std::fs::remove_dir_all(self.artifact_dir())
            && error.kind() != std::io::ErrorKind::NotFound
        {
            eprintln!("could not remove the artifacts of an earlier run: {error}");
        }
    }

    async fn open_sign_in(&self) -> Result {
        let browser = &self.browser;
        browser.open("/sign-in").await?;
        browser.wait_for_element_text("h1", "Sign in").await?;
        let is_dark = browser
            .media_matches("(prefers-color-scheme: dark)")
            .await?;
        check(
            is_dark == (self.theme == Theme::Dark),
            format!("the page to see the {} colour scheme", self.theme.name()),
        )
    }

    async fn submit_empty_sign_in(&self) -> Result {
        self.browser.click(SUBMIT).await?;
        self.browser
            .wait_for_element_text("#username-error", "Enter your username.")
            .await?;
        Ok(())
    }

    async fn submit_wrong_password(&self) -> Result {
        let browser = &self.browser;
        browser
            .fill("#field-username", &self.names.unknown_user)
            .await?;
        browser
            .fill("#field-password", "not-the-password-1")
            .await?;
        browser.click(SUBMIT).await?;
        browser
            .wait_for_element_text("[role=alert]", "The username or password is incorrect.")
            .await?;
        Ok(())
    }

    async fn sign_in_as_admin(&self) -> Result {
        let password = &self.settings.admin_password;
        self.sign_in("admin", password).await
    }

    async fn sign_in(&self, username: &str, password: &str) -> Result {
        let browser = &self.browser;
        browser.fill("#field-username", username).await?;
        browser.fill("#field-password", password).await?;
        browser.click(SUBMIT).await?;
        browser.wait_for_path("/users").await?;
        browser
            .wait_for_element_text(".results", "Showing 1–")
            .await?;
        Ok(())
    }

    async fn open_account_menu(&self) -> Result {
        self.browser.click(".account-menu-button").await?;
        let menu = self.browser.find("#account-menu-list").await?;
        check(menu.is_displayed().await?, "the Account menu to open")
    }

    async fn search_for_nobody(&self) -> Result {
        let browser = &self.browser;
        // Leaves the filtered list of the state before.
        browser.open("/users").await?;
        browser.find("tr.user-row").await?;
        browser.fill("#user-search", "no-user-matches-this").await?;
        browser
            .wait_for_element_text(".results .empty", "No users match")
            .await?;
        Ok(())
    }

    async fn open_deactivate_dialog(&self) -> Result {
        let browser = &self.browser;
        browser.fill("#user-search", SEEDED_USERNAME).await?;
        browser
            .wait_for_element_text(".results", "Showing 1–1 of 1")
            .await?;
        browser.click("tr.user-row button[role=switch]").await?;
        browser
            .wait_for_element_text(&format!("{DIALOG} .dialog-title"), "Deactivate")
            .await?;
        Ok(())
    }

    /// Opens a link that sets filters and a sort, and opens the account filter's popup.
    async fn open_filtered_list(&self) -> Result {
        let browser = &self.browser;
        browser
            .open("/users?status=active&level=basic_user&sort=created&dir=desc")
            .await?;
        browser
            .find("th[aria-sort=\"descending\"] #sort-created")
            .await?;
        browser.fill("#account-filter", "meridian").await?;
        browser.find("#account-filter-option-1").await?;
        browser.press(Key::Down).await?;
        browser
            .find("#account-filter[aria-activedescendant]")
            .await?;
        Ok(())
    }

    /// Closes the deactivate dialog, searches for more than a page of demo users and ticks
    /// the page checkbox, so the selection bar offers to select every matching user.
    async fn select_whole_page(&self) -> Result {
        let browser = &self.browser;
        browser
            .click(&format!("{DIALOG} .dialog-actions .button-secondary"))
            .await?;
        browser.wait_for_absence(DIALOG).await?;
        browser.fill("#user-search", "meridian").await?;
        browser
            .wait_for_element_text(".results", "Showing 1–25")
            .await?;
        browser.click("#select-page").await?;
        browser
            .wait_for_element_text(".selection-bar", "Select all")
            .await?;
        Ok(())
    }

    async fn open_bulk_preview(&self) -> Result {
        let browser = &self.browser;
        browser.click(".selection-actions .button-danger").await?;
        browser
            .wait_for_element_text(&format!("{DIALOG} .bulk-lists"), "will be deactivated")
            .await?;
        Ok(())
    }

    async fn open_add_user_form(&self) -> Result {
        let browser = &self.browser;
        browser
            .click(&format!("{DIALOG} .dialog-actions button:last-child"))
            .await?;
        browser.wait_for_absence(DIALOG).await?;
        browser
            .click(".page-heading a[href=\"/users/new\"]")
            .await?;
        browser.wait_for_element_text("h1", "Add user").await?;
        // The roles and accounts load separately; the form is complete once both show.
        browser.find("#field-roles").await?;
        browser.find("#field-account_ids").await?;
        Ok(())
    }

    async fn submit_empty_add_user_form(&self) -> Result {
        self.browser.click(SUBMIT).await?;
        self.browser
            .wait_for_element_text(".error-summary", "There is a problem")
            .await?;
        Ok(())
    }

    async fn enter_available_username(&self) -> Result {
        let browser = &self.browser;
        browser
            .fill("#field-username", &self.names.new_user)
            .await?;
        browser
            .wait_for_element_text("#username-availability", "Available")
            .await?;
        Ok(())
    }

    /// Selects an account, then searches for more, leaving the popup open with its options,
    /// one of them selected, and the chip of the selected account above.
    async fn open_account_picker(&self) -> Result {
        let browser = &self.browser;
        browser.fill("#field-account_ids", "meridian").await?;
        browser.click("#account-option-1").await?;
        browser
            .find("#account-option-1[aria-selected=\"true\"]")
            .await?;
        browser.find("#account-chip-remove-1").await?;
        browser.press(Key::Down).await?;
        browser
            .wait_for_element_text(".combobox-summary", "matching")
            .await?;
        browser
            .find("#field-account_ids[aria-activedescendant]")
            .await?;
        Ok(())
    }

    async fn add_user(&self) -> Result {
        let browser = &self.browser;
        browser.fill("#field-first_name", "Ally").await?;
        browser.fill("#field-last_name", "Rivera").await?;
        browser
            .fill("#field-email", &Names::email(&self.names.new_user))
            .await?;
        // The account picker's popup covers the buttons until Escape closes it.
        browser.click("#field-account_ids").await?;
        browser.press(Key::Escape).await?;
        browser
            .wait_for_absence(".combobox-popup:not([hidden])")
            .await?;
        browser.click(SUBMIT).await?;
        browser.wait_for_path("/users").await?;
        browser
            .wait_for_element_text(STATUS_MESSAGE, "added")
            .await?;
        Ok(())
    }

    async fn open_new_user(&self) -> Result {
        let browser = &self.browser;
        browser.fill("#user-search", &self.names.new_user).await?;
        browser
            .wait_for_element_text(".results", "Showing 1–1 of 1")
            .await?;
        browser.click("tr.user-row .user-username a").await?;
        browser.wait_for_element_text("h1", "Ally Rivera").await?;
        browser.find("#field-first_name").await?;
        Ok(())
    }

    async fn submit_invalid_email(&self) -> Result {
        let browser = &self.browser;
        browser.fill("#field-email", "ally.rivera@").await?;
        browser.click(SUBMIT).await?;
        browser
            .wait_for_element_text(".error-summary", "There is a problem")
            .await?;
        Ok(())
    }

    async fn save_valid_email(&self) -> Result {
        let browser = &self.browser;
        browser
            .fill("#field-email", &Names::email(&self.names.new_user))
            .await?;
        browser.click(SUBMIT).await?;
        browser
            .wait_for_element_text(SAVE_STATUS, "Changes saved.")
            .await?;
        Ok(())
    }

    async fn sign_in_as_viewer(&self) -> Result {
        let browser = &self.browser;
        browser.click(".app-header-user button").await?;
        browser.wait_for_path("/sign-in").await?;
        let password = &self.settings.viewer_password;
        self.sign_in("viewer", password).await?;
        check(
            !browser.exists("[role=switch]").await?,
            "a basic user to see no status switches",
        )
    }

    async fn open_user_as_viewer(&self) -> Result {
        let browser = &self.browser;
        browser.click("tr.user-row .user-username a").await?;
        browser.find("dl.user-profile").await?;
        Ok(())
    }

    async fn open_invitation(&self) -> Result {
        let browser = &self.browser;
        let email = Names::email(&self.names.new_user);
        let link = api::invitation_link(&self.settings.console_url, &email).await?;
        browser.open_url(&link).await?;
        browser
            .wait_for_element_text("h1", "Create a password for")
            .await?;
        Ok(())
    }

    /// Types the username as the password, which breaks the username rule, shows the password
    /// and submits.
    async fn submit_weak_password(&self) -> Result {
        let browser = &self.browser;
        browser
            .fill("#field-password", &self.names.new_user)
            .await?;
        browser.click(".password-toggle").await?;
        browser.click(SUBMIT).await?;
        browser
            .wait_for_element_text("#password-error", "Choose a password that meets every rule")
            .await?;
        Ok(())
    }

    async fn set_good_password(&self) -> Result {
        let browser = &self.browser;
        browser.fill("#field-password", GOOD_PASSWORD).await?;
        browser.click(SUBMIT).await?;
        browser
            .wait_for_element_text(".alert-success", "Your password is set.")
            .await?;
        Ok(())
    }

    /// Creates a user on the backend whose invitations expire after seconds, waits until the
    /// backend rejects the link as expired, and opens it.
    async fn open_expired_invitation(&self) -> Result {
        let console_url = &self.settings.expiring_console_url;
        let admin =
            ApiSession::sign_in(console_url, "admin", &self.settings.admin_password).await?;
        let username = &self.names.expiring_user;
        let email = Names::email(username);
        admin.create_user(username, &email).await?;
        let link = api::invitation_link(console_url, &email).await?;
        api::wait_until_expired(console_url, &link).await?;
        self.browser.open_url(&link).await?;
        self.browser
            .wait_for_element_text("h1", "This link no longer works")
            .await?;
        self.browser
            .wait_for_element_text(".invalid-link", "expired")
            .await?;
        Ok(())
    }

    async fn open_unknown_path(&self) -> Result {
        self.browser.open("/no/such/page").await?;
        self.browser
            .wait_for_element_text("h1", "Page not found")
            .await?;
        Ok(())
    }
}

/// Column headers of the users table, as written in the page. Each is a sort button whose
/// arrow is hidden from assistive technology, so the name is the label alone.
const COLUMN_HEADERS: [&str; 7] = [
    "Username",
    "Name",
    "Email",
    "Administration level",
    "Status",
    "Created",
    "Last sign-in",
];

#[tokio::test(flavor = "current_thread")]
async fn names_leave_out_status_and_decoration() {
    let settings = Settings::from_env();
    let browser = Browser::start(&settings.webdriver_url, &settings.console_url, WINDOW, &[])
        .await
        .unwrap_or_else(|error| panic!("starting the browser failed: {error}"));
    let result = check_names(&settings, &browser).await;
    if result.is_err() {
        let dir = artifact_dir().join("accessible-names");
        match std::fs::create_dir_all(&dir) {
            Ok(()) => {
                let files = browser.save_artifacts(&dir, "users-list").await;
                println!("screenshot and console log: {}", files.join(", "));
            }
            Err(error) => eprintln!("could not create {}: {error}", dir.display()),
        }
    }
    if let Err(error) = browser.close().await {
        eprintln!("closing the browser session failed: {error}");
    }
    if let Err(error) = result {
        panic!("the accessible names on the users list: {error}");
    }
}

/// Checks the names that Chromium computes for assistive technology on the users list. The
/// Account button's name leaves out its triangle, and the column headers' names the capitals
/// of their style. An email cell's name has no spaces from break points. A selection checkbox
/// and a status switch are named after their user, because their state gives the rest.
async fn check_names(settings: &Settings, browser: &Browser) -> Result {
    browser.open("/sign-in").await?;
    browser.fill("#field-username", "admin").await?;
    browser
        .fill("#field-password", &settings.admin_password)
        .await?;
    browser.click(SUBMIT).await?;
    browser
        .wait_for_element_text(".results", "Showing 1–")
        .await?;

    expect_name(browser, ".account-menu-button", "Account").await?;
    // An account admin's first column contains the selection checkboxes.
    expect_name(
        browser,
        ".user-table th:nth-child(1)",
        "Select all users on this page",
    )
    .await?;
    for (index, header) in COLUMN_HEADERS.iter().enumerate() {
        let css = format!(".user-table th:nth-child({})", index + 2);
        expect_name(browser, &css, header).await?;
    }

    browser.fill("#user-search", SEEDED_USERNAME).await?;
    browser
        .wait_for_element_text(".results", "Showing 1–1 of 1")
        .await?;
    let email = browser
        .find("tr.user-row .user-email")
        .await?
        .text()
        .await?;
    expect_name(browser, "tr.user-row .user-email", &email).await?;
    let full_name = browser.find("tr.user-row .user-name").await?.text().await?;
    let checkbox_name = format!("Select {full_name}");
    expect_name(browser, "tr.user-row .select-checkbox", &checkbox_name).await?;
    let switch_name = format!("Active: {full_name}");
    expect_name(browser, "tr.user-row button[role=switch]", &switch_name).await
}

/// Fails unless the accessible name of the element matching `css` is `expected`.
async fn expect_name(browser: &Browser, css: &str, expected: &str) -> Result {
    let name = browser.accessible_name(css).await?;
    check(
        name == expected,
        format!("the accessible name of {css:?} to be {expected:?} (it is {name:?})"),
    )
}

/// Turns a state's name into a file name: lower-case letters and digits, others as `-`.
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// Fails with `expectation` when `condition` is false.
fn check(condition: bool, expectation: impl Into<String>) -> Result {
    if condition {
        Ok(())
    } else {
        Err(format!("expected {}", expectation.into()).into())
    }
}
