//! Guards the user page against the real backend: the details, the edit form with its
//! conflicts and the result of Save under its buttons, a save after someone else changed the
//! user, the question before leaving unsaved changes, and the read-only view of basic users.

mod support;

use console::api;
use domain::{NewUser, User, UserUpdate};
use support::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Creates a user as the admin and opens their page with the edit form loaded.
async fn open_new_user(prefix: &str) -> (User, MountedApp) {
    sign_in_as_admin().await;
    let user = create_user(&valid_new_user(&unique_name(prefix))).await;
    let app = mount_app_at(&format!("/users/{}", user.id));
    wait_for("#field-first_name").await;
    wait_for("#field-account_ids").await;
    (user, app)
}

fn breadcrumb_users_link() -> String {
    ".breadcrumb a[href='/users']".to_owned()
}

#[wasm_bindgen_test]
async fn page_shows_details_and_fixed_username() {
    let (user, _app) = open_new_user("detail.").await;

    assert_eq!(text_of("h1"), "Test Person", "the heading is the full name");
    assert_eq!(text_of(".detail-username"), user.username);
    assert_eq!(text_of(".user-summary .status-badge"), "Invited");
    assert_eq!(text_of(".detail-last-sign-in"), "Never");
    let username_input = find("#field-username").expect("the username is shown");
    assert!(
        username_input.has_attribute("readonly"),
        "the username can't be edited"
    );
    assert_eq!(input_value("#field-username"), user.username);
    assert_eq!(text_of("#username-hint"), "Usernames can't be changed.");
    assert!(
        find("button.button-danger").is_some(),
        "admins can deactivate the user here"
    );
}

#[wasm_bindgen_test]
async fn list_links_usernames_to_their_page() {
    sign_in_as_admin().await;
    let user = create_user(&valid_new_user(&unique_name("link."))).await;
    let _app = mount_app_at("/users");
    wait_for("#user-search").await;
    type_into("#user-search", &user.username);
    let link = format!("a[href='/users/{}']", user.id);
    wait_for(&link).await;

    click(&link);
    wait_until("the user page opens", || {
        current_path() == format!("/users/{}", user.id)
    })
    .await;
    wait_for(".detail-username").await;
}

#[wasm_bindgen_test]
async fn edited_names_are_saved() {
    let (user, _app) = open_new_user("edit.").await;

    type_into("#field-first_name", "Renamed");
    type_into("#field-last_name", "Someone");
    click("button[type=submit]");
    wait_until("the save is announced", || {
        text_of("#save-status") == "Changes saved."
    })
    .await;

    let saved = api::user(user.id).await.expect("the user loads");
    assert_eq!(saved.first_name, "Renamed");
    assert_eq!(saved.last_name, "Someone");
    assert_eq!(saved.username, user.username, "the username is unchanged");
    assert_eq!(
        text_of("h1"),
        "Renamed Someone",
        "the heading shows the new name"
    );
}

/// Changes the last name of `user` through the API, as another admin would while the form
/// is open, and returns that last name.
async fn change_last_name_elsewhere(user: &User) -> String {
    let mut theirs = UserUpdate::from(user);
    theirs.last_name = "Elsewhere".to_owned();
    api::update_user(user.id, user.version, &theirs)
        .await
        .expect("the other admin's edit saves");
    theirs.last_name
}

#[wasm_bindgen_test]
async fn stale_save_lists_their_changes() {
    let (user, _app) = open_new_user("stale.mine.").await;
    let their_last_name = change_last_name_elsewhere(&user).await;

    type_into("#field-first_name", "Mine");
    click("button[type=submit]");
    wait_for(".edit-conflict").await;

    let table = text_of(".edit-conflict-table");
    assert!(
        table.contains("Last name"),
        "their field is listed: {table}"
    );
    assert!(
        table.contains(&their_last_name),
        "with their value: {table}"
    );
    assert!(
        table.contains(&user.last_name),
        "beside the form's value: {table}"
    );
    assert!(
        !table.contains("First name"),
        "my own change is not listed: {table}"
    );
    assert_eq!(input_value("#field-first_name"), "Mine", "my edit is kept");
    let stored = api::user(user.id).await.expect("the user loads");
    assert_eq!(
        stored.first_name, user.first_name,
        "the stale save changed nothing"
    );

    click("#edit-conflict-save-mine");
    wait_until("the save is announced", || {
        text_of("#save-status") == "Changes saved."
    })
    .await;
    let saved = api::user(user.id).await.expect("the user loads");
    assert_eq!(saved.first_name, "Mine");
    assert_eq!(
        saved.last_name, user.last_name,
        "saving over theirs stores my values"
    );
    assert!(find(".edit-conflict").is_none(), "the panel closes");
}

#[wasm_bindgen_test]
async fn stale_save_can_take_their_values() {
    let (user, _app) = open_new_user("stale.theirs.").await;
    let their_last_name = change_last_name_elsewhere(&user).await;

    type_into("#field-first_name", "Mine");
    click("button[type=submit]");
    wait_for(".edit-conflict").await;
    click("#edit-conflict-take-theirs");
    wait_until("their value is taken into the form", || {
        input_value("#field-last_name") == their_last_name
    })
    .await;

    assert!(find(".edit-conflict").is_none(), "the panel closes");
    assert_eq!(
        input_value("#field-first_name"),
        "Mine",
        "my other edit is kept"
    );
    click("button[type=submit]");
    wait_until("the save is announced", || {
        text_of("#save-status") == "Changes saved."
    })
    .await;
    let saved = api::user(user.id).await.expect("the user loads");
    assert_eq!(saved.first_name, "Mine");
    assert_eq!(saved.last_name, their_last_name);
}

/// The live region under the edit form's buttons, which reports the result of Save.
const SAVE_STATUS: &str = "#save-status";
/// The live region at the top of the page, which reports the actions above the form.
const PAGE_STATUS: &str = ".user-detail > .status-message";

#[wasm_bindgen_test]
async fn save_result_shows_beside_the_buttons() {
    let (_user, _app) = open_new_user("saved.here.").await;
    assert_eq!(
        attribute(SAVE_STATUS, "role").as_deref(),
        Some("status"),
        "the result's live region is in the page before the first save"
    );

    type_into("#field-first_name", "Tomasz");
    click("button[type=submit]");
    wait_until("the save is reported under the buttons", || {
        text_of(SAVE_STATUS) == "Changes saved."
    })
    .await;
    let follows_buttons =
        find(".form-actions")
            .zip(find(SAVE_STATUS))
            .is_some_and(|(buttons, status)| {
                buttons.compare_document_position(&status)
                    & web_sys::Node::DOCUMENT_POSITION_FOLLOWING
                    != 0
            });
    assert!(follows_buttons, "the result comes right after the buttons");
    assert_eq!(
        text_of(PAGE_STATUS),
        "",
        "the result is announced once, so the region at the top stays empty"
    );

    type_into("#field-first_name", "Tomek");
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
    assert_eq!(text_of(SAVE_STATUS), "", "the earlier success is cleared");
}

#[wasm_bindgen_test]
async fn taken_email_lands_on_email_and_keeps_values() {
    sign_in_as_admin().await;
    let other = create_user(&valid_new_user(&unique_name("taken."))).await;
    let (user, _app) = open_new_user("edit.email.").await;

    type_into("#field-first_name", "Kept");
    type_into("#field-last_name", "Values");
    type_into("#field-work_phone", "+14155550123");
    type_into("#field-email", &other.email.to_uppercase());
    click("#admin-level-account_admin");
    click("button[type=submit]");
    wait_for("#email-error").await;

    let error = text_of("#email-error");
    assert!(
        error.contains("Email already exists."),
        "the conflict is at email, got {error:?}"
    );
    assert_eq!(input_value("#field-first_name"), "Kept");
    assert_eq!(input_value("#field-last_name"), "Values");
    assert_eq!(input_value("#field-work_phone"), "+14155550123");
    assert_eq!(input_value("#field-email"), other.email.to_uppercase());
    assert!(
        is_checked("#admin-level-account_admin"),
        "the administration level is kept"
    );
    let stored = api::user(user.id).await.expect("the user loads");
    assert_eq!(stored.first_name, "Test", "nothing was changed");
}

#[wasm_bindgen_test]
async fn leaving_dirty_form_asks_first() {
    let (user, _app) = open_new_user("dirty.").await;
    let page = format!("/users/{}", user.id);

    type_into("#field-first_name", "Unsaved");
    click(&breadcrumb_users_link());
    wait_for("dialog[open]").await;
    assert_eq!(current_path(), page, "the page stays while the dialog asks");
    let dialog = text_of("dialog[open]");
    assert!(
        dialog.contains("Leave without saving?"),
        "the dialog asks, got {dialog:?}"
    );

    click_button("Cancel");
    wait_until("the dialog closes", || find("dialog").is_none()).await;
    assert_eq!(current_path(), page, "cancel stays on the page");
    assert_eq!(
        input_value("#field-first_name"),
        "Unsaved",
        "the edit is kept"
    );

    click(".form-actions a");
    wait_for("dialog[open]").await;
    click_button("Leave without saving");
    wait_until("the app moves to the list", || current_path() == "/users").await;
}

#[wasm_bindgen_test]
async fn sign_out_with_unsaved_edit_asks_first() {
    let (user, _app) = open_new_user("signout.dirty.").await;
    let page = format!("/users/{}", user.id);

    type_into("#field-first_name", "Unsaved");
    // Focused first, as a keyboard press or a click in most browsers leaves it.
    let sign_out = button_labelled("Sign out");
    sign_out.focus().expect("the Sign out button takes focus");
    sign_out.click();
    wait_for("dialog[open]").await;
    let dialog = text_of("dialog[open]");
    assert!(
        dialog.contains("Sign out without saving?"),
        "the dialog asks, got {dialog:?}"
    );

    click_button("Cancel");
    wait_until("the dialog closes", || find("dialog").is_none()).await;
    assert_eq!(current_path(), page, "cancel stays on the page");
    wait_until("focus returns to the Sign out button", || {
        focused_text() == "Sign out"
    })
    .await;
    assert!(
        api::current_user().await.is_ok_and(|user| user.is_some()),
        "cancel keeps the session"
    );

    click_button("Sign out");
    wait_for("dialog[open]").await;
    click_button("Sign out without saving");
    wait_until("the app moves to sign-in", || {
        current_path().starts_with("/sign-in")
    })
    .await;
}

#[wasm_bindgen_test]
async fn clean_form_leaves_without_asking() {
    let (_user, _app) = open_new_user("clean.").await;

    click(&breadcrumb_users_link());
    wait_until("the app moves to the list", || current_path() == "/users").await;
    assert!(find("dialog").is_none(), "no question for a clean form");
}

#[wasm_bindgen_test]
async fn basic_user_sees_details_read_only() {
    sign_in_as_admin().await;
    let user = create_user(&NewUser {
        first_name: "Read".to_owned(),
        last_name: "Only".to_owned(),
        ..valid_new_user(&unique_name("viewed."))
    })
    .await;
    sign_in_as_viewer().await;
    let _app = mount_app_at(&format!("/users/{}", user.id));
    wait_for(".user-profile").await;

    assert!(
        find(".user-detail form").is_none(),
        "basic users get no form"
    );
    assert!(
        find(".user-actions").is_none(),
        "basic users get no actions"
    );
    let profile = text_of(".user-profile");
    assert!(
        profile.contains(&user.email),
        "the email is shown, got {profile:?}"
    );
    wait_until("the account names load", || {
        !text_of(".detail-accounts").is_empty() && !text_of(".detail-accounts").contains("Loading")
    })
    .await;
}
