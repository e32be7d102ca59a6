//! Guards the live regions that announce status messages to screen readers: the result count
//! after a search, filter or page change, the username availability, the message after adding
//! a user, and the message after setting a password. Each region must be in the page before
//! its text changes, because screen readers may skip a region that arrives with its text.

mod support;

use support::live_region::RegionInsertions;
use support::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const SUBMIT: &str = "form.form button[type=submit]";
const RESULTS_STATUS: &str = "#results-status";
const AVAILABILITY: &str = "#username-availability";
/// The live region under the edit form's buttons.
const SAVE_STATUS: &str = "#save-status";

/// Returns the element matching `selector`, after checking that it is a polite live region.
fn live_region(selector: &str) -> web_sys::Element {
    let region = find(selector).unwrap_or_else(|| panic!("no element matches {selector}"));
    assert_eq!(
        region.get_attribute("role").as_deref(),
        Some("status"),
        "{selector} is a status region, which screen readers announce politely"
    );
    region
}

/// Waits until the text of the element matching `selector` is `expected`.
async fn wait_for_text(selector: &str, expected: &str) {
    wait_until(&format!("{selector} reads {expected:?}"), || {
        text_of(selector) == expected
    })
    .await;
}

/// Asserts that `insertions` saw the region enter the page, and always empty.
fn assert_inserted_empty(insertions: &RegionInsertions, region: &str) {
    let texts = insertions.texts();
    assert!(!texts.is_empty(), "{region} entered the page");
    assert!(
        texts.iter().all(String::is_empty),
        "{region} entered the page empty and got its text later, but it had {texts:?}"
    );
}

#[wasm_bindgen_test]
async fn list_changes_are_announced() {
    sign_in_as_admin().await;
    let user = create_user(&valid_new_user(&unique_name("counted."))).await;
    let _app = mount_app_at("/users");
    wait_for("tr.user-row").await;
    let region = live_region(RESULTS_STATUS);
    assert_eq!(
        text_of(RESULTS_STATUS),
        "",
        "the first load is not announced"
    );

    type_into("#user-search", &user.username);
    let found = format!("1 user found matching “{}”.", user.username);
    wait_for_text(RESULTS_STATUS, &found).await;
    select_option("#status-filter", "deactivated");
    let no_match = format!("No deactivated users match “{}”.", user.username);
    wait_for_text(RESULTS_STATUS, &no_match).await;

    select_option("#status-filter", "all");
    type_into("#user-search", "");
    wait_until("the whole list is announced", || {
        text_of(RESULTS_STATUS).ends_with("users found, showing 1–25.")
    })
    .await;
    click_button("Next");
    wait_until("the second page is announced", || {
        text_of(RESULTS_STATUS).contains("users found, showing 26–")
    })
    .await;
    let same = find(RESULTS_STATUS).is_some_and(|now| now.is_same_node(Some(&region)));
    assert!(same, "one region announces every change, never a new one");
}

#[wasm_bindgen_test]
async fn username_availability_is_announced() {
    sign_in_as_admin().await;
    let existing = create_user(&valid_new_user(&unique_name("heard.taken."))).await;
    let _app = mount_app_at("/users/new");
    wait_for("#field-username").await;
    let region = live_region(AVAILABILITY);
    assert_eq!(text_of(AVAILABILITY), "", "nothing is announced yet");

    type_into("#field-username", &unique_name("heard.free."));
    wait_for_text(AVAILABILITY, "Available").await;
    type_into("#field-username", &existing.username);
    wait_until("the taken username is announced", || {
        text_of(AVAILABILITY).contains("Username already exists.")
    })
    .await;
    let same = find(AVAILABILITY).is_some_and(|now| now.is_same_node(Some(&region)));
    assert!(same, "the region stays in place while the person types");
}

#[wasm_bindgen_test]
async fn added_user_message_is_announced() {
    sign_in_as_admin().await;
    let _app = mount_app_at("/users/new");
    wait_for("#field-account_ids").await;
    let user = valid_new_user(&unique_name("heard.added."));
    type_into("#field-username", &user.username);
    type_into("#field-first_name", &user.first_name);
    type_into("#field-last_name", &user.last_name);
    type_into("#field-email", &user.email);
    account_picker::pick_account("head office", 1).await;

    let insertions = RegionInsertions::watch(".status-message");
    click(SUBMIT);
    wait_until("the app returns to the users list", || {
        current_path() == "/users"
    })
    .await;
    let added = format!(
        "User {} added. They will receive an email with their username and a link to create \
         a password.",
        user.username
    );
    wait_for_text(".status-message", &added).await;
    live_region(".status-message");
    assert_inserted_empty(&insertions, ".status-message");
}

#[wasm_bindgen_test]
async fn password_set_message_is_announced() {
    sign_in_as_admin().await;
    let user = create_user(&valid_new_user(&unique_name("heard.set."))).await;
    let token = invitation_token(&user.email).await;
    sign_out().await;
    let _app = mount_app_at(&format!("/set-password#token={token}"));
    wait_for("#field-password").await;
    type_into("#field-password", "Amber-Kettle-Orchard-57");

    let insertions = RegionInsertions::watch(".flash-region");
    click(SUBMIT);
    wait_until("the app moves to sign-in", || {
        current_path().starts_with("/sign-in")
    })
    .await;
    let message = format!(
        "Your password is set. Sign in with username {}.",
        user.username
    );
    wait_for_text(".flash-region", &message).await;
    live_region(".flash-region");
    assert_inserted_empty(&insertions, ".flash-region");
}

#[wasm_bindgen_test]
async fn saved_changes_are_announced() {
    sign_in_as_admin().await;
    let user = create_user(&valid_new_user(&unique_name("heard.saved."))).await;
    let _app = mount_app_at(&format!("/users/{}", user.id));
    wait_for("#field-first_name").await;
    let region = live_region(SAVE_STATUS);
    assert_eq!(text_of(SAVE_STATUS), "", "nothing is announced yet");

    type_into("#field-first_name", "Tomasz");
    click(SUBMIT);
    wait_for_text(SAVE_STATUS, "Changes saved.").await;
    let same = find(SAVE_STATUS).is_some_and(|now| now.is_same_node(Some(&region)));
    assert!(
        same,
        "the message goes into the region that was there before"
    );
}
