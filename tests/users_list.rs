//! Guards the users list against the real backend: rows and search, names shown as text,
//! the read-only view of basic users, deactivating and reactivating through the switch, whose
//! name states no status, focus after a page fails to load and after Try again, and the
//! performance mark of the first rows painted, which `cargo xtask bench` reads.

mod support;

use domain::{NewUser, UserStatus};
use support::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn row_selector(username: &str) -> String {
    format!("tr[data-username='{username}']")
}

fn row_count() -> usize {
    find_all("tr.user-row").len()
}

/// Opens the list and waits for its first page.
async fn open_list() -> MountedApp {
    let app = mount_app_at("/users");
    wait_for("tr.user-row").await;
    app
}

/// Types `text` into the search box and waits until the list shows `username`.
async fn search_for(text: &str, username: &str) {
    type_into("#user-search", text);
    wait_for(&row_selector(username)).await;
}

#[wasm_bindgen_test]
async fn list_renders_and_search_filters_rows() {
    sign_in_as_admin().await;
    let token = unique_name("srch");
    let alpha = create_user(&valid_new_user(&format!("{token}.alpha"))).await;
    let beta = create_user(&valid_new_user(&format!("{token}.beta"))).await;
    let _app = open_list().await;

    assert!(row_count() > 2, "the first page lists the seeded users");
    let summary = text_of(".pagination-summary");
    assert!(
        summary.starts_with("Showing 1–"),
        "the range is shown, got {summary:?}"
    );

    search_for(&alpha.username, &alpha.username).await;
    wait_until("only alpha is listed", || row_count() == 1).await;

    search_for(&token, &beta.username).await;
    wait_until("alpha and beta are listed", || row_count() == 2).await;

    let missing = unique_name("nobody");
    type_into("#user-search", &missing);
    wait_until("the empty state is shown", || find(".empty").is_some()).await;
    let empty = text_of(".empty");
    assert!(
        empty.contains(&format!("No users match “{missing}”")),
        "the empty state names the search, got {empty:?}"
    );
}

#[wasm_bindgen_test]
async fn html_looking_first_name_renders_as_text() {
    sign_in_as_admin().await;
    let markup = "<img src=x onerror=alert(1)>";
    let username = unique_name("markup.");
    let user = NewUser {
        first_name: markup.to_owned(),
        ..valid_new_user(&username)
    };
    create_user(&user).await;
    let _app = open_list().await;

    search_for(&username, &username).await;

    let row = find(&row_selector(&username)).expect("the row exists");
    let name = text_of(&format!("{} .user-name", row_selector(&username)));
    assert_eq!(
        name,
        format!("{markup} Person"),
        "the first name shows literally"
    );
    let image = row.query_selector("img").expect("the selector is valid");
    assert!(image.is_none(), "the name must not create an img element");
}

#[wasm_bindgen_test]
async fn basic_user_sees_no_add_button_or_switches() {
    sign_in_as_viewer().await;
    let _app = open_list().await;

    assert!(row_count() > 0, "basic users can read the list");
    assert!(
        find("a[href='/users/new']").is_none(),
        "basic users get no Add user button"
    );
    assert!(
        find("[role=switch]").is_none(),
        "basic users get no deactivate switches"
    );
    assert!(
        find(".status-badge").is_some(),
        "the status is shown as text instead"
    );
}

#[wasm_bindgen_test]
async fn own_row_has_no_switch() {
    sign_in_as_admin().await;
    let _app = open_list().await;

    search_for("admin", "admin").await;

    let own_row = row_selector("admin");
    assert!(
        find(&format!("{own_row} [role=switch]")).is_none(),
        "an admin can't deactivate themselves from the list"
    );
    assert!(
        find("a[href='/users/new']").is_some(),
        "account admins get the Add user button"
    );
}

/// Clicks the switch of `username`, checks that the dialog contains `expected`, and confirms.
async fn toggle_through_dialog(username: &str, expected: &str, confirm: &str) {
    click(&format!("{} [role=switch]", row_selector(username)));
    wait_for("dialog[open]").await;
    let focused = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.active_element())
        .and_then(|element| element.text_content());
    assert_eq!(
        focused.as_deref(),
        Some("Cancel"),
        "the dialog opens with focus on Cancel"
    );
    let dialog = text_of("dialog[open]");
    assert!(
        dialog.contains(expected),
        "the dialog should say {expected:?}, got {dialog:?}"
    );
    let confirm_button = find_all("dialog[open] button")
        .into_iter()
        .position(|button| button.text_content().as_deref() == Some(confirm))
        .unwrap_or_else(|| panic!("the dialog has a {confirm} button"));
    let selector = format!("dialog[open] button:nth-of-type({})", confirm_button + 1);
    click(&selector);
    wait_until("the dialog closes", || find("dialog").is_none()).await;
}

fn switch_state(username: &str) -> Option<String> {
    find(&format!("{} [role=switch]", row_selector(username)))
        .and_then(|switch| switch.get_attribute("aria-checked"))
}

/// Checks that the switch of `username` is named without a status, which its state gives,
/// and that its description is the status it shows.
fn assert_switch_reads(username: &str, name: &str, status: &str) {
    let switch = format!("{} [role=switch]", row_selector(username));
    assert_eq!(
        attribute(&switch, "aria-label").as_deref(),
        Some(name),
        "the switch's name states no status, which would contradict its on or off state"
    );
    assert_eq!(
        description_of(&switch),
        status,
        "the switch's description is the status it shows"
    );
}

#[wasm_bindgen_test]
async fn switch_deactivates_then_reactivates_user() {
    sign_in_as_admin().await;
    let username = unique_name("switch.");
    let user = NewUser {
        first_name: "Ann".to_owned(),
        last_name: "Lee".to_owned(),
        ..valid_new_user(&username)
    };
    create_user(&user).await;
    let _app = open_list().await;
    search_for(&username, &username).await;
    assert_eq!(
        switch_state(&username).as_deref(),
        Some("true"),
        "a new user starts invited, which is not deactivated"
    );
    let switch_selector = format!("{} [role=switch]", row_selector(&username));
    assert_eq!(
        text_of(&format!("{switch_selector} .switch-text")),
        "Invited",
        "the switch reads Invited"
    );
    assert!(
        find(&format!("{switch_selector}.switch-invited")).is_some(),
        "the invited switch has its own look"
    );
    assert_switch_reads(&username, "Active: Ann Lee", "Invited");

    toggle_through_dialog(
        &username,
        "Deactivate Ann Lee?Their invitation link stops working, and they can't set a password \
         until they are reactivated.",
        "Deactivate",
    )
    .await;
    wait_until("the switch shows deactivated", || {
        switch_state(&username).as_deref() == Some("false")
    })
    .await;
    assert_eq!(
        find_user(&username).await.status,
        UserStatus::Deactivated,
        "saved as deactivated"
    );
    let message = text_of(".status-message");
    assert!(
        message.contains("Ann Lee was deactivated"),
        "the change is announced, got {message:?}"
    );
    assert_switch_reads(&username, "Active: Ann Lee", "Deactivated");

    toggle_through_dialog(
        &username,
        &format!(
            "If they never set a password, a new invitation is sent to {}.",
            user.email
        ),
        "Reactivate",
    )
    .await;
    wait_until("the switch is on again", || {
        switch_state(&username).as_deref() == Some("true")
    })
    .await;
    // The user never set a password, so reactivation returns them to invited.
    assert_eq!(
        find_user(&username).await.status,
        UserStatus::Invited,
        "saved as invited again"
    );
    let message = text_of(".status-message");
    assert!(
        message.contains("A new invitation was sent to"),
        "the reactivation names the new invitation, got {message:?}"
    );
}

#[wasm_bindgen_test]
async fn failed_page_focuses_try_again_then_page_button() {
    sign_in_as_admin().await;
    let _app = open_list().await;
    wait_for("#pagination-next:not([disabled])").await;

    // Focused first, as a keyboard press or a click in most browsers leaves it.
    focus("#pagination-next");
    let offline = OfflineNetwork::start();
    click("#pagination-next");
    wait_until("the error is shown", || {
        find(".results [role=alert]").is_some()
    })
    .await;
    wait_until("focus moves to Try again", || focused_text() == "Try again").await;

    drop(offline);
    click_button("Try again");
    wait_until("the second page is shown", || {
        text_of(".pagination-summary").starts_with("Showing 26–")
    })
    .await;
    wait_until("focus returns to a page button", || {
        ["pagination-next", "pagination-previous"].contains(&focused_id().as_str())
    })
    .await;
}

/// Returns how many performance marks named `name` the page has.
fn mark_count(name: &str) -> u32 {
    let performance = web_sys::window()
        .and_then(|window| window.performance())
        .expect("the browser has the User Timing API");
    performance.get_entries_by_name(name).length()
}

#[wasm_bindgen_test]
async fn first_rows_set_paint_mark_once() {
    use console::performance_marks::FIRST_USER_ROW_PAINTED;

    sign_in_as_admin().await;
    let first = open_list().await;
    wait_until("the first rows are marked as painted", || {
        mark_count(FIRST_USER_ROW_PAINTED) > 0
    })
    .await;
    drop(first);
    let _second = open_list().await;
    // A second mark would follow within a frame or two; 200 ms spans about a dozen frames.
    gloo_timers::future::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        mark_count(FIRST_USER_ROW_PAINTED),
        1,
        "the mark is set once per page load, however often the list shows rows"
    );
}
