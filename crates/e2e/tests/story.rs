//! The end-to-end story of the console, through the release build in Chromium: an account
//! admin adds a user after making every kind of form mistake, the user sets a password from
//! the invitation email and sees the list read-only, and deactivation locks them out until the
//! admin reactivates them. It asserts only what a person sees: text, focus and the address.
//!
//! The story runs twice: with the pointer, and with the keyboard alone. In keyboard mode every
//! control is reached with Tab or Shift+Tab and must show a visible focus indicator. That run
//! also checks the skip link, the Account menu's keys, the tab order of the add-user form
//! (which flags no field on the way), and that dialogs keep focus inside and return it after
//! Escape. Both runs check that the unsaved-changes dialog returns focus to the Account button
//! when the Account menu's link opened it.
//!
//! It needs the servers that `cargo xtask test` starts, passed in E2E_WEBDRIVER_URL,
//! E2E_CONSOLE_URL and E2E_ADMIN_PASSWORD. On a failure it saves a screenshot and the console
//! log of each browser into target/e2e-artifacts and prints their paths.

use std::cell::{Cell, OnceCell};
use std::future::Future;
use std::pin::Pin;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use e2e::input::{Activation, InputMode, Person, TAB_LIMIT};
use e2e::keyboard::Key;
use e2e::{Browser, Result, artifact_dir, poll};

const WINDOW: (u32, u32) = (1280, 800);

/// The seeded account admin, and the name the header shows for them.
const ADMIN_USERNAME: &str = "admin";
const ADMIN_NAME: &str = "Avery Lindqvist";
/// A seeded username stored as "Helena.Sousa", typed in another case.
const TAKEN_USERNAME: &str = "helena.sousa";
/// The seeded email of `viewer`, typed in another case.
const TAKEN_EMAIL: &str = "Noah.Okafor@meridianhealth.example";
/// A password that breaks none of the rules for the new user.
const GOOD_PASSWORD: &str = "Maple-Orbit-Tuesday-93";

const SUBMIT: &str = "form.form button[type=submit]";
const SUMMARY: &str = ".error-summary";
const SUMMARY_LIST: &str = ".error-summary-list";
const STATUS_MESSAGE: &str = "p.status-message";
const DIALOG: &str = "dialog.dialog";
/// The dialog's Cancel button, which has focus when the dialog opens.
const DIALOG_CANCEL: &str = "dialog.dialog .dialog-actions button:last-child";
const MAIN: &str = "main#main";
const MENU_BUTTON: &str = ".account-menu-button";
const MENU_LIST: &str = "#account-menu-list";
const MENU_USERS_LINK: &str = "#account-menu-list a[href=\"/users\"]";
const ADD_USER_LINK: &str = ".page-heading a[href=\"/users/new\"]";
/// The add-user form's Cancel link, its last tab stop.
const FORM_CANCEL: &str = "form.form .form-actions a";
const PREVIOUS_PAGE: &str = "#pagination-previous";
const NEXT_PAGE: &str = "#pagination-next";

/// Maximum presses of Tab across a page of the users list, which has 25 rows with a link and a
/// status switch each, between the controls above the list and its pagination below.
const LIST_TAB_LIMIT: u32 = 60;

/// Seeded role names and account labels, in the order the add-user form shows them.
const ROLE_NAMES: [&str; 11] = [
    "Address Management",
    "Billing Reports",
    "Configuration",
    "Disconnect",
    "Line Features",
    "Ordering",
    "Porting",
    "Reporting",
    "Requirements Package Manager",
    "Requirements Package Viewer",
    "Voice Configuration Package Management",
];
const ACCOUNT_LABELS: [&str; 4] = [
    "7100-4482-01 – Meridian Health Partners - Head Office",
    "7100-4482-02 – Meridian Health Partners - Northgate Clinic",
    "7100-4482-03 – Meridian Health Partners - Patient Contact Centre",
    "7100-5530-01 – Meridian Labs",
];
/// Tab stops whose tops differ by at most this many CSS pixels count as one row.
const ROW_TOLERANCE: f64 = 4.0;

struct Settings {
    webdriver_url: String,
    console_url: String,
    admin_password: String,
}

impl Settings {
    /// Reads the E2E_* variables and panics when one is missing, so that a run without the
    /// servers fails instead of passing without testing anything.
    fn from_env() -> Settings {
        let names = ["E2E_WEBDRIVER_URL", "E2E_CONSOLE_URL", "E2E_ADMIN_PASSWORD"];
        let missing: Vec<&str> = names
            .into_iter()
            .filter(|name| std::env::var(name).is_err())
            .collect();
        assert!(
            missing.is_empty(),
            "the end-to-end story needs {} set. Run it with `cargo xtask test`, which starts \
             the backend (serving dist/ with --expose-outbox) and ChromeDriver and sets them.",
            missing.join(", ")
        );
        let var = |name: &str| std::env::var(name).unwrap_or_default();
        Settings {
            webdriver_url: var("E2E_WEBDRIVER_URL"),
            console_url: var("E2E_CONSOLE_URL").trim_end_matches('/').to_owned(),
            admin_password: var("E2E_ADMIN_PASSWORD"),
        }
    }
}

/// The user the admin adds.
struct NewUser {
    username: String,
    first_name: &'static str,
    last_name: &'static str,
    email: String,
}

impl NewUser {
    /// Makes a user whose username and email end in a letter for the input mode and a number
    /// taken from the clock. So the story can run again, in either mode, against a backend
    /// that already has the users of earlier runs.
    fn unique(mode: InputMode) -> NewUser {
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        let number = seconds % 1_000_000;
        let letter = match mode {
            InputMode::Pointer => 'p',
            InputMode::Keyboard => 'k',
        };
        NewUser {
            username: format!("robin.c{letter}{number}"),
            first_name: "Robin",
            last_name: "Castellanos",
            email: format!("r.castellanos{letter}{number}@meridianhealth.example"),
        }
    }

    fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// Selector of the new user's row in the users list.
    fn row(&self) -> String {
        format!("tr.user-row[data-username=\"{}\"]", self.username)
    }

    fn switch(&self) -> String {
        format!("{} button[role=switch]", self.row())
    }
}

/// A step of the story, not yet started.
type StepFuture<'a> = Pin<Box<dyn Future<Output = Result> + 'a>>;

/// Both browser sessions of the story, driven in the same input mode, and the steps run so
/// far.
struct Story {
    settings: Settings,
    mode: InputMode,
    admin: Person,
    user: Person,
    new_user: NewUser,
    /// The set-password link emailed to the new user, once a step has read it.
    invitation_link: OnceCell<String>,
    steps_run: Cell<u32>,
}

#[tokio::test(flavor = "current_thread")]
async fn new_user_lifecycle_with_pointer() {
    run_story(InputMode::Pointer).await;
}

#[tokio::test(flavor = "current_thread")]
async fn new_user_lifecycle_with_keyboard_only() {
    run_story(InputMode::Keyboard).await;
}

/// Runs every step in two fresh browser sessions driven in `mode`, and panics with the
/// failing step.
async fn run_story(mode: InputMode) {
    let settings = Settings::from_env();
    let start = |purpose: &'static str| {
        let (webdriver_url, console_url) = (&settings.webdriver_url, &settings.console_url);
        async move {
            let browser = Browser::start(webdriver_url, console_url, WINDOW, &[])
                .await
                .unwrap_or_else(|error| panic!("starting the {purpose} browser failed: {error}"));
            Person::new(browser, mode)
        }
    };
    let admin = start("admin's").await;
    let user = start("new user's").await;
    let story = Story {
        settings,
        mode,
        admin,
        user,
        new_user: NewUser::unique(mode),
        invitation_link: OnceCell::new(),
        steps_run: Cell::new(0),
    };

    let started = Instant::now();
    let result = story.run().await;
    println!(
        "the story with the {} took {:.1} s",
        mode.name(),
        started.elapsed().as_secs_f64()
    );
    for person in [story.admin, story.user] {
        if let Err(error) = person.into_browser().close().await {
            eprintln!("closing a browser session failed: {error}");
        }
    }
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

impl Story {
    async fn run(&self) -> std::result::Result<(), String> {
        let steps: Vec<(&str, StepFuture<'_>)> = vec![
            ("admin signs in", Box::pin(self.admin_signs_in())),
            (
                "admin opens Account > Users in the header menu",
                Box::pin(self.admin_opens_users_from_menu()),
            ),
            (
                "admin pages through the users list",
                Box::pin(self.admin_pages_through_users()),
            ),
            // Adding a user, one kind of mistake at a time.
            (
                "admin submits the empty add-user form",
                Box::pin(self.admin_submits_empty_form()),
            ),
            (
                "admin submits a short username, bad email and bad phone",
                Box::pin(self.admin_submits_invalid_values()),
            ),
            (
                "admin submits a taken username",
                Box::pin(self.admin_submits_taken_username()),
            ),
            (
                "admin submits a taken email",
                Box::pin(self.admin_submits_taken_email()),
            ),
            (
                "admin starts to leave the form and stays",
                Box::pin(self.admin_starts_to_leave_and_stays()),
            ),
            (
                "admin fixes the email, picks roles and accounts, and saves",
                Box::pin(self.admin_saves_new_user()),
            ),
            (
                "admin finds the new user in the list",
                Box::pin(self.admin_finds_new_user()),
            ),
            // The new user joins through the invitation email.
            (
                "the outbox has the invitation link",
                Box::pin(self.read_invitation_link()),
            ),
            (
                "new user opens the invitation link",
                Box::pin(self.user_opens_invitation()),
            ),
            (
                "new user tries a password containing their username",
                Box::pin(self.user_tries_password_with_username()),
            ),
            (
                "new user sets a good password",
                Box::pin(self.user_sets_good_password()),
            ),
            (
                "new user signs in and sees the list read-only",
                Box::pin(self.user_signs_in_read_only()),
            ),
            // Deactivation locks the user out until reactivation.
            (
                "admin deactivates the new user",
                Box::pin(self.admin_deactivates()),
            ),
            (
                "deactivated user's next search sends them to sign-in",
                Box::pin(self.deactivated_user_is_sent_to_sign_in()),
            ),
            (
                "deactivated user can't sign in",
                Box::pin(self.deactivated_user_cannot_sign_in()),
            ),
            (
                "admin reactivates the new user",
                Box::pin(self.admin_reactivates()),
            ),
            (
                "reactivated user signs in again",
                Box::pin(self.reactivated_user_signs_in()),
            ),
        ];

        if let Err(error) = std::fs::remove_dir_all(self.artifact_dir())
            && error.kind() != std::io::ErrorKind::NotFound
        {
            eprintln!("could not remove the artifacts of an earlier run: {error}");
        }
        println!("the story with the {}:", self.mode.name());
        for (name, action) in steps {
            self.step(name, action).await?;
        }
        Ok(())
    }

    /// Folder for the artifacts of this input mode, so one mode's run keeps the other's.
    fn artifact_dir(&self) -> std::path::PathBuf {
        artifact_dir().join(self.mode.name())
    }

    /// Runs one step. On failure it saves the artifacts of both browsers and returns a
    /// message naming the step, its error and the files.
    async fn step<T>(
        &self,
        name: &str,
        action: impl Future<Output = Result<T>>,
    ) -> std::result::Result<T, String> {
        let number = self.steps_run.get() + 1;
        self.steps_run.set(number);
        let started = Instant::now();
        let result = action.await;
        let seconds = started.elapsed().as_secs_f64();
        let mode = self.mode.name();
        match result {
            Ok(value) => {
                println!("step {number} passed in {seconds:.1} s: {name}");
                Ok(value)
            }
            Err(error) => {
                let files = self.save_artifacts(number, name).await;
                Err(format!(
                    "step {number} ({mode}) failed after {seconds:.1} s: {name}\n{error}\n\
                     screenshots and browser console logs:\n  {}",
                    files.join("\n  ")
                ))
            }
        }
    }

    async fn save_artifacts(&self, number: u32, name: &str) -> Vec<String> {
        let dir = self.artifact_dir();
        if let Err(error) = std::fs::create_dir_all(&dir) {
            return vec![format!("(could not create {}: {error})", dir.display())];
        }
        let slug: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        let mut files = Vec::new();
        for (browser, who) in [(&self.admin, "admin"), (&self.user, "new-user")] {
            let stem = format!("{number:02}-{slug}-{who}");
            files.extend(browser.save_artifacts(&dir, &stem).await);
        }
        files
    }

    async fn admin_signs_in(&self) -> Result {
        let admin = &self.admin;
        admin.open("/sign-in").await?;
        admin.wait_for_element_text("h1", "Sign in").await?;
        if admin.is_keyboard() {
            check_skip_link(admin, "/sign-in").await?;
        }
        admin.enter_text("#field-username", ADMIN_USERNAME).await?;
        admin
            .enter_text("#field-password", &self.settings.admin_password)
            .await?;
        admin.activate(SUBMIT).await?;
        admin.wait_for_path("/users").await?;
        admin
            .wait_for_element_text(".app-header-name", ADMIN_NAME)
            .await?;
        // The new page's content is where the keyboard continues.
        admin.wait_for_focus(MAIN).await
    }

    async fn admin_opens_users_from_menu(&self) -> Result {
        let admin = &self.admin;
        admin.activate(MENU_BUTTON).await?;
        wait_for_display(admin, MENU_LIST, true, "the Account menu opens").await?;
        if admin.is_keyboard() {
            admin.press(Key::Down).await?;
            admin.wait_for_focus(MENU_USERS_LINK).await?;
            admin.press(Key::Escape).await?;
            wait_for_display(admin, MENU_LIST, false, "Escape closes the Account menu").await?;
            admin.wait_for_focus(MENU_BUTTON).await?;
            admin
                .activate_with(MENU_BUTTON, Activation::Space, TAB_LIMIT)
                .await?;
            wait_for_display(admin, MENU_LIST, true, "Space opens the Account menu").await?;
        }
        admin.activate(MENU_USERS_LINK).await?;
        admin.wait_for_path("/users").await?;
        wait_for_display(
            admin,
            MENU_LIST,
            false,
            "the Account menu closes after following Users",
        )
        .await?;
        admin.wait_for_element_text("h1", "Users").await?;
        admin
            .wait_for_element_text(".results", "Showing 1–25 of")
            .await?;
        admin.wait_for_focus(MAIN).await
    }

    /// Checks that Next and Previous load the pages and keep focus on the pagination: on the
    /// buttons pressed, or on the other one when the pressed one becomes disabled.
    async fn admin_pages_through_users(&self) -> Result {
        let admin = &self.admin;
        admin
            .activate_with(NEXT_PAGE, Activation::Space, LIST_TAB_LIMIT)
            .await?;
        admin
            .wait_for_element_text(".results", "Showing 26–")
            .await?;
        // With a fresh database the list has two pages, so Next is disabled on the second and
        // focus moves to Previous. A backend kept across many runs may have a third page.
        let page = admin
            .wait_for_element_text(".pagination-page", "Page 2 of")
            .await?;
        let is_last_page = page.trim() == "Page 2 of 2";
        let next_focus = if is_last_page {
            PREVIOUS_PAGE
        } else {
            NEXT_PAGE
        };
        admin.wait_for_focus(next_focus).await?;
        admin.activate(PREVIOUS_PAGE).await?;
        admin
            .wait_for_element_text(".results", "Showing 1–25 of")
            .await?;
        // Previous is disabled on the first page, so focus moves to Next.
        admin.wait_for_focus(NEXT_PAGE).await
    }

    async fn admin_submits_empty_form(&self) -> Result {
        let admin = &self.admin;
        // The Add user button is above the list, which the previous step left focus below.
        admin
            .activate_with(ADD_USER_LINK, Activation::Enter, LIST_TAB_LIMIT)
            .await?;
        admin.wait_for_path("/users/new").await?;
        admin.wait_for_element_text("h1", "Add user").await?;
        // The roles and accounts load separately; the form is complete once both show.
        admin.find("#field-roles").await?;
        admin.find("#field-account_ids").await?;
        admin.wait_for_focus(MAIN).await?;
        if admin.is_keyboard() {
            check_add_user_tab_order(admin).await?;
        }
        admin.activate(SUBMIT).await?;
        let errors = [
            ("username", "Enter a username."),
            ("first_name", "Enter a first name."),
            ("last_name", "Enter a last name."),
            ("email", "Enter an email address."),
            ("account_ids", "Select at least one account."),
        ];
        expect_errors(admin, &errors).await
    }

    async fn admin_submits_invalid_values(&self) -> Result {
        let admin = &self.admin;
        let new_user = &self.new_user;
        admin.choose_radio("admin_level", "account_admin").await?;
        admin.enter_text("#field-username", "ab").await?;
        admin
            .enter_text("#field-first_name", new_user.first_name)
            .await?;
        admin
            .enter_text("#field-last_name", new_user.last_name)
            .await?;
        admin
            .enter_text("#field-email", "robin.castellanos@example")
            .await?;
        admin
            .enter_text("#field-work_phone", "415 555 0123")
            .await?;
        admin.set_ticked("#field-account_ids", true).await?;
        admin.activate(SUBMIT).await?;
        let errors = [
            (
                "username",
                "Username must be 3 to 64 characters long (it has 2).",
            ),
            ("email", "The part after the @ is not a valid domain."),
            ("work_phone", "Work phone must start with +."),
        ];
        expect_errors(admin, &errors).await?;
        for fixed in ["first_name", "last_name", "account_ids"] {
            admin.wait_for_absence(&format!("#{fixed}-error")).await?;
        }
        // Each entry of the summary is a link that moves focus to its field.
        admin
            .activate(&format!("{SUMMARY_LIST} a[href=\"#field-email\"]"))
            .await?;
        admin.wait_for_focus("#field-email").await
    }

    /// Checks that a taken username shows at its field while the admin types, before the form
    /// is sent, because the availability check finds it.
    async fn admin_submits_taken_username(&self) -> Result {
        let admin = &self.admin;
        admin.enter_text("#field-username", TAKEN_USERNAME).await?;
        admin
            .wait_for_element_text("#username-error", "Username already exists.")
            .await?;
        admin.enter_text("#field-email", TAKEN_EMAIL).await?;
        admin
            .enter_text("#field-work_phone", "+1 (415) 555-0199")
            .await?;
        admin.activate(SUBMIT).await?;
        expect_errors(admin, &[("username", "Username already exists.")]).await?;
        for fixed in ["email", "work_phone"] {
            admin.wait_for_absence(&format!("#{fixed}-error")).await?;
        }
        Ok(())
    }

    /// Checks the backend's 409 for a taken email, which the form has no way to check before
    /// the submit.
    async fn admin_submits_taken_email(&self) -> Result {
        let admin = &self.admin;
        admin
            .enter_text("#field-username", &self.new_user.username)
            .await?;
        admin
            .wait_for_element_text("#username-availability", "Available")
            .await?;
        admin.wait_for_absence("#username-error").await?;
        admin.activate(SUBMIT).await?;
        expect_errors(admin, &[("email", "Email already exists.")]).await?;
        admin.wait_for_absence("#username-error").await
    }

    /// Checks that the form's Cancel link opens the unsaved-changes dialog instead of dropping
    /// the typed values, and that closing the dialog returns focus to the link and keeps the
    /// form.
    async fn admin_starts_to_leave_and_stays(&self) -> Result {
        let admin = &self.admin;
        admin.activate(FORM_CANCEL).await?;
        admin
            .wait_for_element_text(&format!("{DIALOG} .dialog-title"), "Leave without saving?")
            .await?;
        admin.wait_for_focus(DIALOG_CANCEL).await?;
        if admin.is_keyboard() {
            check_focus_stays_in_dialog(admin).await?;
        }
        admin.dismiss_dialog(DIALOG_CANCEL).await?;
        admin.wait_for_absence(DIALOG).await?;
        admin.wait_for_focus(FORM_CANCEL).await?;
        admin.wait_for_path("/users/new").await?;
        let username = admin.value("#field-username").await?;
        check(
            username == self.new_user.username,
            format!(
                "the form keeps the username {} (it has {username:?})",
                self.new_user.username
            ),
        )?;
        self.admin_starts_to_leave_from_menu_and_stays().await
    }

    /// Checks that the Account menu's Users link opens the unsaved-changes dialog too, and
    /// that closing the dialog returns focus to the Account button, because the menu closed
    /// and hid the link.
    async fn admin_starts_to_leave_from_menu_and_stays(&self) -> Result {
        let admin = &self.admin;
        admin.activate(MENU_BUTTON).await?;
        wait_for_display(admin, MENU_LIST, true, "the Account menu opens").await?;
        if admin.is_keyboard() {
            admin.press(Key::Down).await?;
            admin.wait_for_focus(MENU_USERS_LINK).await?;
            admin.press(Key::Enter).await?;
        } else {
            admin.click(MENU_USERS_LINK).await?;
        }
        admin
            .wait_for_element_text(&format!("{DIALOG} .dialog-title"), "Leave without saving?")
            .await?;
        admin.wait_for_focus(DIALOG_CANCEL).await?;
        admin.dismiss_dialog(DIALOG_CANCEL).await?;
        admin.wait_for_absence(DIALOG).await?;
        wait_for_display(admin, MENU_LIST, false, "the Account menu stays closed").await?;
        admin.wait_for_focus(MENU_BUTTON).await?;
        admin.wait_for_path("/users/new").await
    }

    async fn admin_saves_new_user(&self) -> Result {
        let admin = &self.admin;
        let new_user = &self.new_user;
        admin.enter_text("#field-email", &new_user.email).await?;
        admin
            .wait_for_element_text(
                "#username-review",
                &format!("Saving creates the username {}.", new_user.username),
            )
            .await?;
        admin.choose_radio("admin_level", "basic_user").await?;
        // Every role starts ticked, and the new user keeps two of them.
        let kept_roles = ["billing_reports", "reporting"];
        for role in role_ids(admin).await? {
            let checkbox = format!("input[name=roles][value=\"{role}\"]");
            let is_kept = kept_roles.contains(&role.as_str());
            admin.set_ticked(&checkbox, is_kept).await?;
        }
        admin.set_ticked("#field-account_ids", true).await?;
        admin.set_ticked("#account-3", true).await?;
        admin.activate(SUBMIT).await?;
        admin.wait_for_path("/users").await?;
        let added = format!(
            "User {} added. They will receive an email with their username and a link to \
             create a password.",
            new_user.username
        );
        admin.wait_for_element_text(STATUS_MESSAGE, &added).await?;
        admin.wait_for_focus(MAIN).await
    }

    async fn admin_finds_new_user(&self) -> Result {
        let admin = &self.admin;
        let new_user = &self.new_user;
        admin.enter_text("#user-search", &new_user.username).await?;
        admin
            .wait_for_element_text(".results", "Showing 1–1 of 1")
            .await?;
        // The status filter narrows the search: the new user is invited, not deactivated.
        admin.choose_option("#status-filter", "deactivated").await?;
        admin
            .wait_for_element_text(
                ".results",
                &format!("No deactivated users match “{}”.", new_user.username),
            )
            .await?;
        admin.choose_option("#status-filter", "invited").await?;
        admin
            .wait_for_element_text(".results", "Showing 1–1 of 1")
            .await?;
        let row = admin
            .wait_for_element_text(&new_user.row(), &new_user.full_name())
            .await?;
        for value in [new_user.email.as_str(), "Basic User", "Invited"] {
            check(
                row.contains(value),
                format!("the new user's row shows {value:?} (it shows {row:?})"),
            )?;
        }
        Ok(())
    }

    /// Reads the set-password link of the newest email to the new user from the backend's
    /// test-only outbox, for the next step.
    async fn read_invitation_link(&self) -> Result {
        let outbox = url::Url::parse_with_params(
            &format!("{}/api/v1/dev/outbox", self.settings.console_url),
            [("to", &self.new_user.email)],
        )?;
        let expectation = format!("an email to {} in the outbox", self.new_user.email);
        let email = poll(&expectation, || {
            let outbox = outbox.clone();
            async move {
                let messages = e2e::http::get_json(outbox.as_str())
                    .await
                    .map_err(|error| error.to_string())?;
                messages
                    .get(0)
                    .cloned()
                    .ok_or_else(|| format!("it has {messages}"))
            }
        })
        .await?;
        let subject = email["subject"].as_str().unwrap_or_default();
        check(
            subject == "Your Customer Portal account",
            format!("the invitation's subject is the account one (it is {subject:?})"),
        )?;
        let body = email["body"].as_str().unwrap_or_default();
        check(
            body.contains(&self.new_user.username),
            format!("the invitation names the username (it reads {body:?})"),
        )?;
        let link_start = format!("{}/set-password#token=", self.settings.console_url);
        let link = body
            .split_whitespace()
            .find(|word| word.starts_with(&link_start))
            .ok_or_else(|| format!("the invitation has no link starting {link_start}: {body:?}"))?;
        self.invitation_link
            .set(link.to_owned())
            .map_err(|_| "the link was read twice")?;
        Ok(())
    }

    /// Opens the emailed link by its address, as a person following it from their mail does.
    async fn user_opens_invitation(&self) -> Result {
        let user = &self.user;
        let username = &self.new_user.username;
        let link = self
            .invitation_link
            .get()
            .ok_or("no invitation link was read from the outbox")?;
        user.open_url(link).await?;
        user.wait_for_element_text("h1", &format!("Create a password for {username}"))
            .await?;
        user.wait_for_element_text(".page-intro", &format!("Your username is {username}."))
            .await?;
        // The page removes the token from the address, so it stays out of the history.
        user.wait_for_path("/set-password").await
    }

    async fn user_tries_password_with_username(&self) -> Result {
        let user = &self.user;
        let password = format!("{}-Harbour-77", self.new_user.username.to_uppercase());
        user.enter_text("#field-password", &password).await?;
        let rule = "li[data-rule=\"no-username\"]";
        let rule_text = user
            .wait_for_element_text(rule, "Doesn't contain your username")
            .await?;
        check(
            rule_text.contains('✗'),
            format!("the username rule is marked unmet with ✗ (it shows {rule_text:?})"),
        )?;
        let length = user
            .wait_for_element_text("li[data-rule=\"min-length\"]", "At least 12 characters")
            .await?;
        check(
            length.contains('✓'),
            format!("the length rule is marked met with ✓ (it shows {length:?})"),
        )?;
        user.activate_with(".password-toggle", Activation::Space, TAB_LIMIT)
            .await?;
        user.find("#field-password[type=text]").await?;
        user.wait_for_element_text(".password-toggle[aria-pressed=true]", "Show password")
            .await?;
        user.activate(SUBMIT).await?;
        user.wait_for_element_text(
            "#password-error",
            "Choose a password that meets every rule: Doesn't contain your username",
        )
        .await?;
        user.wait_for_focus("#field-password").await?;
        user.wait_for_path("/set-password").await
    }

    async fn user_sets_good_password(&self) -> Result {
        let user = &self.user;
        let username = &self.new_user.username;
        user.enter_text("#field-password", GOOD_PASSWORD).await?;
        let expectation = "every password rule is marked met with ✓";
        poll(expectation, || async move {
            let rules = user
                .find("#password-rules")
                .await
                .map_err(|e| e.to_string())?;
            let text = rules.text().await.map_err(|e| e.to_string())?;
            if text.contains('✗') {
                Err(format!("the checklist shows {text:?}"))
            } else {
                Ok(())
            }
        })
        .await?;
        user.activate(SUBMIT).await?;
        user.wait_for_path(&format!("/sign-in?username={username}"))
            .await?;
        user.wait_for_element_text(
            ".alert-success",
            &format!("Your password is set. Sign in with username {username}."),
        )
        .await?;
        let filled = user.value("#field-username").await?;
        check(
            &filled == username,
            format!("the username field is filled in with {username} (it has {filled:?})"),
        )?;
        user.wait_for_focus("#field-password").await
    }

    async fn user_signs_in_read_only(&self) -> Result {
        let user = &self.user;
        user.enter_text("#field-password", GOOD_PASSWORD).await?;
        user.activate(SUBMIT).await?;
        user.wait_for_path("/users").await?;
        user.wait_for_element_text(".app-header-name", &self.new_user.full_name())
            .await?;
        user.wait_for_element_text(".results", "Showing 1–25 of")
            .await?;
        user.wait_for_focus(MAIN).await?;
        check(
            !user.exists("a[href=\"/users/new\"]").await?,
            "a basic user sees no Add user button",
        )?;
        check(
            !user.exists("[role=switch]").await?,
            "a basic user sees no status switches",
        )?;
        check(
            user.exists(".status-badge").await?,
            "a basic user sees each status as a badge",
        )
    }

    /// Opens the deactivation question, closes it without confirming, then opens it again
    /// and confirms.
    async fn admin_deactivates(&self) -> Result {
        let admin = &self.admin;
        let new_user = &self.new_user;
        let title = format!("Deactivate {}?", new_user.full_name());
        admin
            .activate_with(&new_user.switch(), Activation::Space, TAB_LIMIT)
            .await?;
        admin
            .wait_for_element_text(&format!("{DIALOG} .dialog-title"), &title)
            .await?;
        admin.wait_for_focus(DIALOG_CANCEL).await?;
        if admin.is_keyboard() {
            check_focus_stays_in_dialog(admin).await?;
        }
        admin.dismiss_dialog(DIALOG_CANCEL).await?;
        admin.wait_for_absence(DIALOG).await?;
        admin.wait_for_focus(&new_user.switch()).await?;
        admin
            .wait_for_element_text(&new_user.switch(), "Invited")
            .await?;

        admin
            .activate_with(&new_user.switch(), Activation::Space, TAB_LIMIT)
            .await?;
        admin
            .wait_for_element_text(&format!("{DIALOG} .dialog-title"), &title)
            .await?;
        self.confirm_dialog("Deactivate").await?;
        admin
            .wait_for_element_text(
                STATUS_MESSAGE,
                &format!(
                    "{} was deactivated. They can't sign in or use an invitation link until \
                     they are reactivated.",
                    new_user.full_name()
                ),
            )
            .await?;
        admin
            .wait_for_element_text(&new_user.switch(), "Deactivated")
            .await?;
        admin.wait_for_focus(&new_user.switch()).await
    }

    async fn deactivated_user_is_sent_to_sign_in(&self) -> Result {
        let user = &self.user;
        user.enter_text("#user-search", &self.new_user.username)
            .await?;
        user.wait_for_element_text(".results [role=alert]", "Sign in to continue.")
            .await?;
        user.activate(".results [role=alert] a").await?;
        user.wait_for_path("/sign-in?next=%2Fusers").await?;
        user.wait_for_element_text("h1", "Sign in").await?;
        // The ended session's user is gone from the header.
        user.wait_for_absence(".app-header-name").await?;
        user.wait_for_focus(MAIN).await
    }

    async fn deactivated_user_cannot_sign_in(&self) -> Result {
        let user = &self.user;
        user.enter_text("#field-username", &self.new_user.username)
            .await?;
        user.enter_text("#field-password", GOOD_PASSWORD).await?;
        user.activate(SUBMIT).await?;
        user.wait_for_element_text("[role=alert]", "The username or password is incorrect.")
            .await?;
        user.wait_for_path("/sign-in?next=%2Fusers").await
    }

    async fn admin_reactivates(&self) -> Result {
        let admin = &self.admin;
        let new_user = &self.new_user;
        admin
            .activate_with(&new_user.switch(), Activation::Space, TAB_LIMIT)
            .await?;
        admin
            .wait_for_element_text(
                &format!("{DIALOG} .dialog-title"),
                &format!("Reactivate {}?", new_user.full_name()),
            )
            .await?;
        self.confirm_dialog("Reactivate").await?;
        admin
            .wait_for_element_text(
                STATUS_MESSAGE,
                &format!(
                    "{} was reactivated and can sign in again.",
                    new_user.full_name()
                ),
            )
            .await?;
        admin
            .wait_for_element_text(&new_user.switch(), "Active")
            .await?;
        admin.wait_for_focus(&new_user.switch()).await
    }

    async fn reactivated_user_signs_in(&self) -> Result {
        let user = &self.user;
        user.enter_text("#field-username", &self.new_user.username)
            .await?;
        user.enter_text("#field-password", GOOD_PASSWORD).await?;
        user.activate(SUBMIT).await?;
        user.wait_for_path("/users").await?;
        user.wait_for_element_text(".results", "Showing 1–25 of")
            .await?;
        Ok(())
    }

    /// Presses the confirm button of the open dialog, which must read `label`, and waits
    /// until the dialog closes.
    async fn confirm_dialog(&self, label: &str) -> Result {
        let admin = &self.admin;
        let button = format!("{DIALOG} .dialog-actions button:first-child");
        admin.wait_for_element_text(&button, label).await?;
        admin.activate(&button).await?;
        admin.wait_for_absence(DIALOG).await
    }
}

/// Checks that the first Tab on a page opened by address reaches the skip link, and that Enter
/// on it moves focus to the main region without leaving `path`.
async fn check_skip_link(person: &Person, path: &str) -> Result {
    person.tab_to(".skip-link", 1).await?;
    person
        .wait_for_element_text(".skip-link", "Skip to main content")
        .await?;
    person.press(Key::Enter).await?;
    person.wait_for_focus(MAIN).await?;
    person.wait_for_path(path).await
}

/// Walks the add-user form with Tab from the top of the page's content and checks that the
/// stops, by accessible name, follow the form as it reads on screen: top to bottom, and left
/// to right within a row.
async fn check_add_user_tab_order(admin: &Person) -> Result {
    let stops = admin.tab_stops_until(FORM_CANCEL, TAB_LIMIT).await?;
    let names: Vec<&str> = stops.iter().map(|stop| stop.name.as_str()).collect();
    let fields = [
        "Users",
        "Basic User",
        "Username",
        "First name",
        "Last name",
        "Email",
        "Work phone (optional)",
    ];
    let expected: Vec<&str> = fields
        .into_iter()
        .chain(ROLE_NAMES)
        .chain(ACCOUNT_LABELS)
        .chain(["Add user", "Cancel"])
        .collect();
    check(
        names == expected,
        format!("the add-user page's tab stops to be {expected:?} (they are {names:?})"),
    )?;
    // Leaving a field without typing into it shows no error. The submit reports empty fields.
    check(
        !admin.exists(".field-error").await?,
        "tabbing through the empty form to show no field errors",
    )?;
    let title = admin.client.title().await?;
    check(
        !title.starts_with("Error: "),
        format!("the title to report no errors after tabbing (it is {title:?})"),
    )?;
    for pair in stops.windows(2) {
        let (before, after) = (&pair[0], &pair[1]);
        let is_below = after.top > before.top + ROW_TOLERANCE;
        let is_same_row = (after.top - before.top).abs() <= ROW_TOLERANCE;
        check(
            is_below || (is_same_row && after.left > before.left),
            format!(
                "the tab stop {:?} at ({:.0}, {:.0}) to be below or right of the one before, \
                 {:?} at ({:.0}, {:.0})",
                after.name, after.left, after.top, before.name, before.left, before.top
            ),
        )?;
    }
    Ok(())
}

/// Presses Tab and then Shift+Tab more times than the open dialog has buttons, and checks that
/// focus stays inside the dialog with a visible indicator.
async fn check_focus_stays_in_dialog(person: &Person) -> Result {
    let inside = format!("{DIALOG} *");
    for is_forward in [true, true, true, false, false, false] {
        person.press_tab(is_forward).await?;
        person.expect_visible_focus(&inside).await?;
    }
    Ok(())
}

/// Waits until the element matching `css` is shown (or hidden, when `is_shown` is false).
async fn wait_for_display(
    browser: &Browser,
    css: &str,
    is_shown: bool,
    expectation: &str,
) -> Result {
    let element = browser.find(css).await?;
    poll(expectation, || {
        let element = element.clone();
        async move {
            match element.is_displayed().await {
                Ok(shown) if shown == is_shown => Ok(()),
                Ok(shown) => Err(format!("it is displayed: {shown}")),
                Err(error) => Err(error.to_string()),
            }
        }
    })
    .await
}

/// Returns the value of every role checkbox of the form, in page order.
async fn role_ids(browser: &Browser) -> Result<Vec<String>> {
    let checkboxes = browser
        .client
        .find_all(fantoccini::Locator::Css("input[name=roles]"))
        .await?;
    let mut ids = Vec::new();
    for checkbox in checkboxes {
        ids.push(checkbox.attr("value").await?.unwrap_or_default());
    }
    Ok(ids)
}

/// Waits until each `(field, message)` shows at the field's error element and in the error
/// summary, that the summary lists nothing else, and that it has focus.
async fn expect_errors(browser: &Browser, errors: &[(&str, &str)]) -> Result {
    browser
        .wait_for_element_text(SUMMARY, "There is a problem")
        .await?;
    for (field, message) in errors {
        browser
            .wait_for_element_text(&format!("#{field}-error"), message)
            .await?;
        browser.wait_for_element_text(SUMMARY_LIST, message).await?;
    }
    let entries = browser
        .client
        .find_all(fantoccini::Locator::Css(&format!("{SUMMARY_LIST} li")))
        .await?
        .len();
    check(
        entries == errors.len(),
        format!(
            "the error summary lists {} errors (it lists {entries})",
            errors.len()
        ),
    )?;
    browser.wait_for_focus(SUMMARY).await
}

/// Fails with `expectation` when `condition` is false.
fn check(condition: bool, expectation: impl Into<String>) -> Result {
    if condition {
        Ok(())
    } else {
        Err(format!("expected {}", expectation.into()).into())
    }
}
