//! Guards the account picker of the user forms against the real backend: the combobox keys
//! and ARIA state, chips and their remove buttons, searches sent to the backend with earlier
//! ones aborted and late responses dropped, a failed search shown with a retry that keeps what
//! was typed and selected, the "at least one account" error, and the chips of the accounts
//! a user already has on the edit form.

mod support;

use std::time::Duration;

use gloo_timers::future::sleep;
use support::account_picker::{
    INPUT, chip_remove, is_open, option, option_ids, pick_account, search_accounts, selected_ids,
};
use support::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Demo account 1, as its option and chip name it.
const HEAD_OFFICE: &str = "7100-4482-01 – Meridian Health Partners - Head Office";

async fn open_add_form() -> MountedApp {
    sign_in_as_admin().await;
    let app = mount_app_at("/users/new");
    wait_for(INPUT).await;
    app
}

/// Opens the popup with the Down key and waits for the options of the empty search.
async fn open_with_keyboard() {
    focus(INPUT);
    press_key(INPUT, "ArrowDown");
    wait_until("the first page of options loads", || {
        option_ids().len() >= 4
    })
    .await;
}

fn active_descendant() -> Option<String> {
    attribute(INPUT, "aria-activedescendant")
}

/// Waits until `aria-activedescendant` names the option of the account `id`.
async fn expect_active(id: i64, what: &str) {
    let expected = Some(format!("account-option-{id}"));
    wait_until(what, || active_descendant() == expected).await;
}

/// Waits until the selected accounts are `expected`, in order.
async fn expect_selected(expected: &[i64], what: &str) {
    wait_until(what, || selected_ids() == expected).await;
}

#[wasm_bindgen_test]
async fn arrow_keys_move_the_active_option() {
    let _app = open_add_form().await;
    assert!(!is_open(), "the popup starts closed");
    assert_eq!(
        attribute(INPUT, "role").as_deref(),
        Some("combobox"),
        "role"
    );
    assert_eq!(
        attribute(INPUT, "aria-controls").as_deref(),
        Some("account-listbox"),
        "the input controls the listbox"
    );

    open_with_keyboard().await;
    let ids = option_ids();
    assert!(is_open(), "ArrowDown opens the popup");
    expect_active(ids[0], "ArrowDown activates the first option once loaded").await;
    press_key(INPUT, "ArrowDown");
    expect_active(ids[1], "ArrowDown moves to the second option").await;
    press_key(INPUT, "End");
    expect_active(ids[ids.len() - 1], "End moves to the last loaded option").await;
    press_key(INPUT, "Home");
    expect_active(ids[0], "Home moves to the first option").await;
    press_key(INPUT, "ArrowUp");
    sleep(Duration::from_millis(100)).await;
    expect_active(ids[0], "ArrowUp stays on the first option").await;
    assert!(
        find(&option(ids[0])).is_some_and(|o| o.class_list().contains("is-active")),
        "the active option is marked for sight"
    );

    press_key(INPUT, "Escape");
    wait_until("Escape closes the popup", || !is_open()).await;
    assert_eq!(active_descendant(), None, "no active option once closed");
}

#[wasm_bindgen_test]
async fn enter_toggles_and_backspace_removes_last() {
    let _app = open_add_form().await;
    open_with_keyboard().await;
    wait_until("an option is active", || active_descendant().is_some()).await;

    press_key(INPUT, "Enter");
    expect_selected(&[1], "Enter selects the active option").await;
    assert_eq!(
        attribute(&option(1), "aria-selected").as_deref(),
        Some("true"),
        "the option is marked selected"
    );
    assert!(is_open(), "the popup stays open for more choices");
    assert_eq!(
        attribute(&chip_remove(1), "aria-label"),
        Some(format!("Remove {HEAD_OFFICE}")),
        "the chip's button names the account"
    );
    wait_until("the selection is announced", || {
        text_of("#account-picker-status").contains(&format!("Added {HEAD_OFFICE}"))
    })
    .await;
    press_key(INPUT, "ArrowDown");
    expect_active(2, "ArrowDown moves to account 2").await;
    press_key(INPUT, "Enter");
    expect_selected(&[1, 2], "a second account is added").await;
    press_key(INPUT, "Enter");
    expect_selected(&[1], "Enter on a selected option removes it").await;

    type_into(INPUT, "x");
    press_key(INPUT, "Backspace");
    sleep(Duration::from_millis(100)).await;
    assert_eq!(
        selected_ids(),
        [1],
        "Backspace in typed text removes no chip"
    );
    type_into(INPUT, "");
    press_key(INPUT, "Backspace");
    expect_selected(&[], "Backspace in the empty input removes the last chip").await;
}

#[wasm_bindgen_test]
async fn chip_buttons_remove_and_move_focus() {
    let _app = open_add_form().await;
    pick_account("head office", 1).await;
    pick_account("labs", 4).await;
    pick_account("northgate", 2).await;
    assert_eq!(selected_ids(), [1, 4, 2], "chips in the order selected");

    click(&chip_remove(4));
    expect_selected(&[1, 2], "the chip's button removes it").await;
    wait_until("focus moves to the next chip", || {
        focused_id() == "account-chip-remove-2"
    })
    .await;
    click(&chip_remove(2));
    wait_until("focus moves to the previous chip", || {
        focused_id() == "account-chip-remove-1"
    })
    .await;
    click(&chip_remove(1));
    wait_until("focus returns to the input", || {
        focused_id() == "field-account_ids"
    })
    .await;
    expect_selected(&[], "every chip is removed").await;
}

#[wasm_bindgen_test]
async fn typing_searches_and_reports_the_count() {
    let _app = open_add_form().await;

    search_accounts("NORTHGATE").await;

    wait_until("only the matching account is an option", || {
        option_ids() == [2]
    })
    .await;
    assert!(is_open(), "typing opens the popup");
    wait_until("the count is announced", || {
        text_of("#account-picker-status")
            == "Showing 1 of 1 account matching \u{201c}NORTHGATE\u{201d}."
    })
    .await;
    search_accounts("no such account").await;
    wait_until("no options for no match", || option_ids().is_empty()).await;
    assert!(
        text_of(".combobox-summary").contains("No accounts match"),
        "the popup says nothing matches"
    );
}

/// Installs a fetch that records every accounts request and holds back the response of a
/// search for "meridian" for a second, whether or not the app aborts it.
fn slow_meridian_network() -> FetchStub {
    FetchStub::install(
        "window.accountRequests = [];
         return function (input, init) {
             const url = typeof input === 'string' ? input : input.url;
             const signal = (init && init.signal) || (input && input.signal);
             if (!url.includes('/accounts?')) { return realFetch(input, init); }
             window.accountRequests.push({ url: url, signal: signal });
             if (!url.includes('q=meridian')) { return realFetch(input, init); }
             return realFetch(url, { credentials: 'include' }).then(function (response) {
                 return new Promise(function (resolve) {
                     setTimeout(function () { resolve(response); }, 1000);
                 });
             });
         };",
    )
}

fn recorded(expression: &str) -> wasm_bindgen::JsValue {
    js_sys::eval(expression).unwrap_or_else(|error| panic!("{expression} failed: {error:?}"))
}

#[wasm_bindgen_test]
async fn earlier_search_aborted_late_response_dropped() {
    let _app = open_add_form().await;
    let _network = slow_meridian_network();

    type_into(INPUT, "meridian");
    wait_until("the slow search is sent", || {
        recorded("window.accountRequests.length").as_f64() == Some(1.0)
    })
    .await;
    search_accounts("labs").await;

    wait_until("the newer search is shown", || option_ids() == [4]).await;
    assert_eq!(
        recorded("window.accountRequests[0].signal.aborted").as_bool(),
        Some(true),
        "the newer search aborted the earlier one"
    );
    sleep(Duration::from_millis(1300)).await;
    assert_eq!(
        option_ids(),
        [4],
        "the late response of the earlier search is not shown"
    );
    assert!(
        text_of(".combobox-summary").contains("\u{201c}labs\u{201d}"),
        "the count still describes the newer search"
    );
}

#[wasm_bindgen_test]
async fn typing_fast_sends_one_search() {
    let _app = open_add_form().await;
    let _network = slow_meridian_network();

    for text in ["l", "la", "lab", "labs"] {
        type_into(INPUT, text);
    }
    search_accounts("labs").await;

    assert_eq!(
        recorded("window.accountRequests.length").as_f64(),
        Some(1.0),
        "keystrokes within the pause send one request"
    );
}

#[wasm_bindgen_test]
async fn failed_search_keeps_input_and_retries() {
    let _app = open_add_form().await;
    pick_account("head office", 1).await;

    let offline = OfflineNetwork::start();
    type_into(INPUT, "labs");
    wait_until("the search error is shown", || {
        find(".account-picker [role=alert]").is_some()
    })
    .await;
    assert!(
        text_of(".account-picker [role=alert]").contains("Can't reach the server."),
        "the error says what failed"
    );
    assert_eq!(input_value(INPUT), "labs", "the typed search is kept");
    assert_eq!(selected_ids(), [1], "the selection is kept");

    drop(offline);
    click(".account-picker [role=alert] button");
    wait_until("the retried search shows its options", || {
        option_ids() == [4]
    })
    .await;
    assert!(
        find(".account-picker [role=alert]").is_none(),
        "the error goes once the retry succeeds"
    );
    assert_eq!(
        focused_id(),
        "field-account_ids",
        "focus returns to the input"
    );
}

#[wasm_bindgen_test]
async fn empty_selection_error_points_at_the_input() {
    let _app = open_add_form().await;

    click("button[type=submit]");
    wait_for("#account_ids-error").await;

    assert_eq!(
        attribute(INPUT, "aria-invalid").as_deref(),
        Some("true"),
        "the input is marked invalid"
    );
    let described_by = attribute(INPUT, "aria-describedby").unwrap_or_default();
    assert!(
        described_by.split(' ').any(|id| id == "account_ids-error"),
        "the input is described by its error, got {described_by:?}"
    );
    click(".error-summary a[href='#field-account_ids']");
    sleep(Duration::from_millis(50)).await;
    assert_eq!(
        focused_id(),
        "field-account_ids",
        "the summary link focuses the input"
    );

    pick_account("labs", 4).await;
    wait_until("the error goes once an account is selected", || {
        find("#account_ids-error").is_none()
    })
    .await;
    wait_until("the input is no longer invalid", || {
        attribute(INPUT, "aria-invalid").is_none()
    })
    .await;
}

#[wasm_bindgen_test]
async fn edit_form_shows_the_user_accounts_as_chips() {
    sign_in_as_admin().await;
    let new_user = domain::NewUser {
        account_ids: vec![4, 1],
        ..valid_new_user(&unique_name("chips."))
    };
    let user = create_user(&new_user).await;
    let _app = mount_app_at(&format!("/users/{}", user.id));
    wait_for(INPUT).await;

    wait_until("the chips name the accounts", || {
        attribute(&chip_remove(1), "aria-label").as_deref()
            == Some(&format!("Remove {HEAD_OFFICE}")[..])
    })
    .await;
    let chips = text_of(".chip-list");
    assert!(
        chips.contains("Meridian Labs"),
        "account 4 is named: {chips:?}"
    );
    assert_eq!(selected_ids().len(), 2, "one chip per account");
}
