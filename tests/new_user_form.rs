//! Guards the add-user form against the real backend: rule errors at their fields and in the
//! summary, 409 conflicts on the right field with every value kept, and roles and accounts
//! saved as picked. Leaving a field flags it only after typing, the summary reads its errors
//! when focused, and a field's description contains each message once. Leaving a form with typed values asks
//! first, and a clean or saved form leaves without asking.

mod support;

use std::time::Duration;

use domain::{AdminLevel, NewUser};
use gloo_timers::future::sleep;
use support::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Waits until the form and its roles and accounts are loaded.
async fn open_form() -> MountedApp {
    let app = mount_app_at("/users/new");
    wait_for("#field-username").await;
    wait_for("#field-roles").await;
    wait_for("#field-account_ids").await;
    app
}

fn summary_text() -> String {
    text_of(".error-summary")
}

fn is_summary_shown() -> bool {
    find(".error-summary").is_some_and(|summary| !summary.has_attribute("hidden"))
}

fn assert_field_error(name: &str, expected: &str) {
    let error = text_of(&format!("#{name}-error"));
    assert!(
        error.contains(expected),
        "error of {name} should contain {expected:?}, got {error:?}"
    );
    let input = find(&format!("#field-{name}")).expect("the field's input exists");
    assert_eq!(
        input.get_attribute("aria-invalid").as_deref(),
        Some("true"),
        "{name} should be marked aria-invalid"
    );
    let described_by = input.get_attribute("aria-describedby").unwrap_or_default();
    assert!(
        described_by
            .split(' ')
            .any(|id| id == format!("{name}-error")),
        "aria-describedby of {name} should name its error, got {described_by:?}"
    );
    assert!(
        summary_text().contains(expected),
        "the summary should list {expected:?}"
    );
}

#[wasm_bindgen_test]
async fn submit_of_empty_form_shows_each_missing_field() {
    sign_in_as_admin().await;
    let _app = open_form().await;

    click("button[type=submit]");
    wait_until("the error summary is shown", is_summary_shown).await;

    assert_field_error("username", "Enter a username.");
    assert_field_error("first_name", "Enter a first name.");
    assert_field_error("last_name", "Enter a last name.");
    assert_field_error("email", "Enter an email address.");
    assert_field_error("account_ids", "Select at least one account.");
    assert!(
        find("#work_phone-error").is_none(),
        "an empty work phone is allowed"
    );
    wait_until("the error summary has focus", || {
        document_active_class().contains("error-summary")
    })
    .await;
    let links = find_all(".error-summary a");
    assert_eq!(
        links.len(),
        5,
        "the summary should link each of the 5 errors"
    );
    assert_eq!(
        links[0].get_attribute("href").as_deref(),
        Some("#field-username"),
        "the first summary link should point at the username field"
    );
}

fn document_active_class() -> String {
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.active_element())
        .map(|element| element.class_name())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn leaving_a_field_shows_its_rule_error() {
    sign_in_as_admin().await;
    let _app = open_form().await;

    type_into("#field-username", "ab");
    leave("#field-username");
    wait_until("the username error is shown", || {
        find("#username-error").is_some()
    })
    .await;
    let username_error = text_of("#username-error");
    assert!(
        username_error.contains("3 to 64 characters"),
        "a 2-character username should be too short, got {username_error:?}"
    );

    type_into("#field-email", "ann@example");
    leave("#field-email");
    wait_until("the email error is shown", || {
        find("#email-error").is_some()
    })
    .await;
    let email_error = text_of("#email-error");
    assert!(
        email_error.contains("not a valid domain"),
        "an email without a top-level domain should be rejected, got {email_error:?}"
    );

    type_into("#field-work_phone", "415 555 0123");
    leave("#field-work_phone");
    wait_until("the work phone error is shown", || {
        find("#work_phone-error").is_some()
    })
    .await;
    let phone_error = text_of("#work_phone-error");
    assert!(
        phone_error.contains("must start with +"),
        "a phone without + should be rejected, got {phone_error:?}"
    );

    assert!(
        find("#first_name-error").is_none(),
        "untouched first name should show no error"
    );
    assert!(
        !is_summary_shown(),
        "the summary appears only after a submit"
    );

    type_into("#field-work_phone", "+1 (415) 555-0123");
    wait_until("the fixed work phone loses its error", || {
        find("#work_phone-error").is_none()
    })
    .await;
}

/// Text fields of the add-user form, in the order Tab reaches them.
const TEXT_FIELDS: [&str; 5] = ["username", "first_name", "last_name", "email", "work_phone"];

#[wasm_bindgen_test]
async fn tabbing_through_empty_form_flags_nothing() {
    sign_in_as_admin().await;
    let _app = open_form().await;

    for name in TEXT_FIELDS {
        let selector = format!("#field-{name}");
        focus(&selector);
        leave(&selector);
    }
    // Lets a check that the blur started render its error, if there were one.
    sleep(Duration::from_millis(200)).await;
    let errors: Vec<String> = find_all(".field-error")
        .iter()
        .filter_map(|error| error.text_content())
        .collect();
    assert!(
        errors.is_empty(),
        "leaving fields that nobody typed into shows no errors, got {errors:?}"
    );
    assert!(
        find("[aria-invalid=true]").is_none(),
        "no field is marked invalid"
    );
    let title = document_title();
    assert!(
        !title.starts_with("Error: "),
        "the title reports no errors, it is {title:?}"
    );

    type_into("#field-first_name", "A");
    type_into("#field-first_name", "");
    leave("#field-first_name");
    wait_until("the emptied first name shows its error", || {
        text_of("#first_name-error").contains("Enter a first name.")
    })
    .await;
}

#[wasm_bindgen_test]
async fn error_summary_is_a_group_described_by_its_list() {
    sign_in_as_admin().await;
    let _app = open_form().await;

    click("button[type=submit]");
    wait_until("the error summary is shown", is_summary_shown).await;

    assert_eq!(
        attribute(".error-summary", "role").as_deref(),
        Some("group"),
        "the summary is a group, which may carry a name"
    );
    assert_eq!(
        attribute(".error-summary", "tabindex").as_deref(),
        Some("-1"),
        "the summary takes focus after a failed submit"
    );
    let title_id = attribute(".error-summary", "aria-labelledby").unwrap_or_default();
    assert_eq!(
        text_of(&format!("#{title_id}")),
        "There is a problem",
        "the summary is named by its title"
    );
    let description = description_of(".error-summary");
    for message in ["Enter a username.", "Select at least one account."] {
        assert!(
            description.contains(message),
            "the summary's description lists {message:?}, so focusing it reads the errors, \
             got {description:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn roles_note_describes_group_only_without_roles() {
    sign_in_as_admin().await;
    let _app = open_form().await;
    let group = "fieldset:has(#field-roles)";

    wait_until("the default roles are ticked", || {
        find("input[name=roles]:checked").is_some()
    })
    .await;
    assert_eq!(
        attribute(group, "aria-describedby"),
        None,
        "with roles ticked, the group is not described by the note about having none"
    );

    untick_all_roles();
    wait_until("the note describes the group", || {
        attribute(group, "aria-describedby").as_deref() == Some("roles-note")
    })
    .await;
    assert!(
        !find("#roles-note").is_some_and(|note| note.has_attribute("hidden")),
        "the note shows while no role is ticked"
    );

    set_checkbox(&role_selector("ordering"), true);
    wait_until("the description goes with the note", || {
        attribute(group, "aria-describedby").is_none()
    })
    .await;
}

/// Fills every field of the form with `user`, ticking only `roles` and selecting the accounts
/// in it.
async fn fill_form(user: &NewUser, all_role_ids: &[&str]) {
    let level = match user.admin_level {
        AdminLevel::BasicUser => "#field-admin_level",
        AdminLevel::AccountAdmin => "#admin-level-account_admin",
    };
    click(level);
    type_into("#field-username", &user.username);
    type_into("#field-first_name", &user.first_name);
    type_into("#field-last_name", &user.last_name);
    type_into("#field-email", &user.email);
    type_into(
        "#field-work_phone",
        user.work_phone.as_deref().unwrap_or_default(),
    );
    for role in all_role_ids {
        set_checkbox(
            &role_selector(role),
            user.roles.iter().any(|picked| picked == role),
        );
    }
    for &account in &user.account_ids {
        account_picker::pick_account(DEMO_ACCOUNT_SEARCHES[account as usize - 1], account).await;
    }
}

/// A search that finds each demo account, by id from 1.
const DEMO_ACCOUNT_SEARCHES: [&str; 4] = ["head office", "northgate", "contact centre", "labs"];

fn role_selector(role: &str) -> String {
    format!("input[name=roles][value={role}]")
}

const ROLE_IDS: [&str; 4] = ["billing_reports", "ordering", "porting", "reporting"];

/// Checks that the form still shows every value of `user`.
fn assert_form_keeps(user: &NewUser) {
    assert_eq!(
        input_value("#field-username"),
        user.username,
        "username is kept"
    );
    assert_eq!(
        input_value("#field-first_name"),
        user.first_name,
        "first name is kept"
    );
    assert_eq!(
        input_value("#field-last_name"),
        user.last_name,
        "last name is kept"
    );
    assert_eq!(input_value("#field-email"), user.email, "email is kept");
    assert_eq!(
        input_value("#field-work_phone"),
        user.work_phone.clone().unwrap_or_default(),
        "work phone is kept"
    );
    assert!(
        is_checked("#admin-level-account_admin"),
        "Account Admin stays selected"
    );
    for role in ROLE_IDS {
        let expected = user.roles.iter().any(|picked| picked == role);
        assert_eq!(
            is_checked(&role_selector(role)),
            expected,
            "role {role} keeps its tick"
        );
    }
    assert_eq!(
        account_picker::selected_ids(),
        user.account_ids,
        "the selected accounts are kept"
    );
}

fn admin_draft(username: &str) -> NewUser {
    NewUser {
        username: username.to_owned(),
        first_name: "Dana".to_owned(),
        last_name: "Quinn".to_owned(),
        email: format!("{username}@example.net"),
        work_phone: Some("+44 20 7946 0958".to_owned()),
        admin_level: AdminLevel::AccountAdmin,
        roles: vec!["ordering".to_owned(), "porting".to_owned()],
        account_ids: vec![2, 4],
    }
}

/// Unticks every role, so that a test ticks exactly the ones it wants.
fn untick_all_roles() {
    for role in find_all("input[name=roles]") {
        let value = role.get_attribute("value").unwrap_or_default();
        set_checkbox(&role_selector(&value), false);
    }
}

#[wasm_bindgen_test]
async fn taken_username_lands_on_username_and_keeps_values() {
    sign_in_as_admin().await;
    let existing = create_user(&valid_new_user(&unique_name("taken.user."))).await;
    let _app = open_form().await;
    let draft = NewUser {
        email: format!("{}@example.net", unique_name("free.")),
        ..admin_draft(&existing.username)
    };

    untick_all_roles();
    fill_form(&draft, &ROLE_IDS).await;
    click("button[type=submit]");
    // The availability check may flag the field while the accounts are picked, so wait for
    // the summary, which only the submit fills.
    wait_until("the summary lists the username error", || {
        summary_text().contains("Username already exists.")
    })
    .await;

    assert_field_error("username", "Username already exists.");
    assert!(
        find("#email-error").is_none(),
        "the email is free, so it shows no error"
    );
    assert_form_keeps(&draft);
    assert!(
        current_path().starts_with("/users/new"),
        "the form stays open after a 409"
    );
}

#[wasm_bindgen_test]
async fn username_found_taken_is_one_error_in_field_and_summary() {
    sign_in_as_admin().await;
    let existing = create_user(&valid_new_user(&unique_name("seen.taken."))).await;
    let _app = open_form().await;

    type_into("#field-username", &existing.username.to_uppercase());
    wait_until("the availability check marks the username taken", || {
        find("#username-error").is_some()
    })
    .await;
    let error = text_of("#username-error");
    assert!(
        error.contains("Username already exists."),
        "the field shows the backend's reason: {error:?}"
    );
    assert!(
        find("#username-availability .availability-taken").is_none(),
        "the message shows once, at the field, not again in the status"
    );
    let announced = text_of("#username-availability .visually-hidden");
    assert!(
        announced.contains("Username already exists."),
        "the live status still tells screen readers, got {announced:?}"
    );
    let review = text_of("#username-review");
    assert!(
        !review.contains("Saving creates"),
        "the review offers no taken username: {review:?}"
    );

    click("button[type=submit]");
    wait_until("the error summary is shown", is_summary_shown).await;
    let summary = summary_text();
    assert!(
        summary.contains("Username already exists."),
        "the summary lists the taken username beside the other errors: {summary:?}"
    );
    assert!(
        summary.contains("Enter a first name."),
        "the summary still lists the other errors: {summary:?}"
    );
}

#[wasm_bindgen_test]
async fn taken_username_is_described_once() {
    sign_in_as_admin().await;
    let existing = create_user(&valid_new_user(&unique_name("said.once."))).await;
    let _app = open_form().await;

    type_into("#field-username", &existing.username);
    wait_until("the availability check marks the username taken", || {
        find("#username-error").is_some()
    })
    .await;
    let description = description_of("#field-username");
    assert_eq!(
        description.matches("Username already exists.").count(),
        1,
        "the description names the taken username once, got {description:?}"
    );

    type_into("#field-username", &unique_name("said.free."));
    wait_until("the new username is available", || {
        text_of("#username-availability") == "Available"
    })
    .await;
    let description = description_of("#field-username");
    assert!(
        description.ends_with("Available"),
        "without an error the description includes the check's result, got {description:?}"
    );
}

#[wasm_bindgen_test]
async fn request_error_shows_beside_the_buttons() {
    sign_in_as_admin().await;
    let _app = open_form().await;
    let user = valid_new_user(&unique_name("offline."));
    type_into("#field-username", &user.username);
    type_into("#field-first_name", &user.first_name);
    type_into("#field-last_name", &user.last_name);
    type_into("#field-email", &user.email);
    account_picker::pick_account("head office", 1).await;

    let offline = OfflineNetwork::start();
    click("button[type=submit]");
    wait_until("the request error is shown", || {
        find("[role=alert]").is_some()
    })
    .await;
    drop(offline);
    let shown = text_of(".submit-result [role=alert]");
    assert!(
        shown.contains("Can't reach the server."),
        "the error shows under the buttons, got {shown:?}"
    );
    assert_eq!(
        find_all("[role=alert]").len(),
        1,
        "the error shows in one place only"
    );
}

#[wasm_bindgen_test]
async fn taken_email_lands_on_email_and_keeps_values() {
    sign_in_as_admin().await;
    let existing = create_user(&valid_new_user(&unique_name("taken.mail."))).await;
    let _app = open_form().await;
    let draft = NewUser {
        email: existing.email.clone(),
        ..admin_draft(&unique_name("free."))
    };

    untick_all_roles();
    fill_form(&draft, &ROLE_IDS).await;
    click("button[type=submit]");
    wait_until("the email error is shown", || {
        find("#email-error").is_some()
    })
    .await;

    assert_field_error("email", "Email already exists.");
    assert!(
        find("#username-error").is_none(),
        "the username is free, so it shows no error"
    );
    assert_form_keeps(&draft);
}

#[wasm_bindgen_test]
async fn picked_roles_and_accounts_are_saved() {
    sign_in_as_admin().await;
    let _app = open_form().await;
    let draft = admin_draft(&unique_name("picked."));

    untick_all_roles();
    wait_until("the no-role note is shown", || {
        find("#roles-note").is_some_and(|note| !note.has_attribute("hidden"))
    })
    .await;
    let note = text_of("#roles-note");
    assert!(
        note.contains("Without roles, this user can still read orders"),
        "with no role ticked the form explains what remains readable, got {note:?}"
    );
    fill_form(&draft, &ROLE_IDS).await;
    wait_until("the review line names the username", || {
        text_of("#username-review").contains(&draft.username)
    })
    .await;
    let review = text_of("#username-review");
    assert!(
        review.contains("can't be changed"),
        "the review line says it is permanent"
    );
    click("button[type=submit]");
    wait_until("the app returns to the users list", || {
        current_path() == "/users"
    })
    .await;
    assert!(
        find("dialog").is_none(),
        "a saved form leaves without asking"
    );

    let added = format!("User {} added.", draft.username);
    wait_until("the list announces the new user", || {
        text_of(".status-message").contains(&added)
    })
    .await;
    let saved = find_user(&draft.username).await;
    assert_eq!(
        saved.roles,
        vec!["ordering", "porting"],
        "the ticked roles are saved"
    );
    assert_eq!(
        saved.account_ids,
        vec![2, 4],
        "the selected accounts are saved"
    );
    assert_eq!(
        saved.admin_level,
        AdminLevel::AccountAdmin,
        "the level is saved"
    );
    assert_eq!(
        saved.work_phone.as_deref(),
        Some("+442079460958"),
        "the phone is normalised"
    );

    type_into("#user-search", &draft.username);
    let row = format!("tr[data-username='{}']", draft.username);
    wait_for(&row).await;
}

#[wasm_bindgen_test]
async fn leaving_typed_form_asks_first() {
    sign_in_as_admin().await;
    let _app = open_form().await;

    type_into("#field-first_name", "Unsaved");
    click(".breadcrumb a[href='/users']");
    wait_for("dialog[open]").await;
    assert_eq!(
        current_path(),
        "/users/new",
        "the form stays while the dialog asks"
    );
    let dialog = text_of("dialog[open]");
    assert!(
        dialog.contains("Leave without saving?"),
        "the dialog asks, got {dialog:?}"
    );

    click_button("Cancel");
    wait_until("the dialog closes", || find("dialog").is_none()).await;
    assert_eq!(
        input_value("#field-first_name"),
        "Unsaved",
        "cancel keeps the typed value"
    );

    click(".breadcrumb a[href='/users']");
    wait_for("dialog[open]").await;
    click_button("Leave without saving");
    wait_until("the app moves to the list", || current_path() == "/users").await;
}

#[wasm_bindgen_test]
async fn untouched_form_leaves_without_asking() {
    sign_in_as_admin().await;
    let _app = open_form().await;

    click(".breadcrumb a[href='/users']");
    wait_until("the app moves to the list", || current_path() == "/users").await;
    assert!(
        find("dialog").is_none(),
        "no question for an untouched form"
    );
}
