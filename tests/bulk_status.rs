//! Guards the bulk status change of the users list against the real backend. The selection is
//! kept across pages and cleared by a new search, and can name every user matching the view.
//! The preview lists who changes and who is skipped (already deactivated, yourself), the
//! report has a line per user, the list shows the change, and errors stay inside the dialog.
//! A reactivation preview lists the users who get a new invitation email.
//! Basic users get no selection.

mod support;

use console::api;
use domain::UserStatus;
use support::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Users per page of the list, the default page size.
const PAGE_SIZE: usize = 25;

fn row_selector(username: &str) -> String {
    format!("tr[data-username='{username}']")
}

fn checkbox_of(username: &str) -> String {
    format!("{} input.select-checkbox", row_selector(username))
}

fn row_count() -> usize {
    find_all("tr.user-row").len()
}

fn selected_count() -> String {
    text_of(".selection-count")
}

/// Creates `count` users named `<token>.<nn>` and returns their usernames in list order.
async fn create_users(token: &str, count: usize) -> Vec<String> {
    let mut usernames = Vec::with_capacity(count);
    for index in 0..count {
        let username = format!("{token}.{index:02}");
        create_user(&valid_new_user(&username)).await;
        usernames.push(username);
    }
    usernames
}

/// Opens the list, searches for `token` and waits until the list shows `total` matches.
async fn open_list_searching(token: &str, total: usize) -> MountedApp {
    let app = mount_app_at("/users");
    wait_for("tr.user-row").await;
    type_into("#user-search", token);
    let summary = format!("Showing 1–{} of {total}", total.min(PAGE_SIZE));
    wait_until(&format!("the list shows {summary:?}"), || {
        text_of(".pagination-summary") == summary
    })
    .await;
    app
}

/// Presses Next until the list shows `username`'s row, keeping the selection.
async fn page_forward_to(username: &str) {
    for _ in 0..20 {
        if find(&row_selector(username)).is_some() {
            return;
        }
        let summary = text_of(".pagination-summary");
        click("#pagination-next");
        wait_until("the next page shows", || {
            text_of(".pagination-summary") != summary
        })
        .await;
    }
    panic!("{username} is not within the first 20 pages");
}

/// Clicks the selection bar's `label` button and waits for the preview.
async fn open_preview(label: &str) {
    click_button(label);
    wait_for("dialog[open]").await;
    wait_until("the preview has loaded", || {
        find("dialog[open] .bulk-lists").is_some() || find("dialog[open] .alert-error").is_some()
    })
    .await;
}

#[wasm_bindgen_test]
async fn selection_persists_across_pages() {
    sign_in_as_admin().await;
    let token = unique_name("bulkpage");
    let users = create_users(&token, PAGE_SIZE + 2).await;
    let _app = open_list_searching(&token, users.len()).await;

    click(&checkbox_of(&users[0]));
    click(&checkbox_of(&users[1]));
    wait_until("two are selected", || selected_count() == "2 selected").await;
    assert!(
        attribute("#select-page", "aria-label").is_some(),
        "the page checkbox is named"
    );

    click("#pagination-next");
    wait_until("the second page shows", || row_count() == 2).await;
    assert!(
        !is_checked(&checkbox_of(&users[PAGE_SIZE])),
        "users of the next page start unticked"
    );
    click(&checkbox_of(&users[PAGE_SIZE]));
    wait_until("three are selected", || selected_count() == "3 selected").await;

    click("#pagination-previous");
    wait_until("the first page shows again", || row_count() == PAGE_SIZE).await;
    assert!(
        is_checked(&checkbox_of(&users[0])),
        "the first tick is kept"
    );
    assert!(
        is_checked(&checkbox_of(&users[1])),
        "the second tick is kept"
    );
    assert!(!is_checked("#select-page"), "the page is not all selected");
    let page_box: web_sys::HtmlInputElement = wasm_bindgen::JsCast::unchecked_into(
        find("#select-page").expect("the page checkbox exists"),
    );
    assert!(page_box.indeterminate(), "the page checkbox shows mixed");

    type_into("#user-search", &users[0]);
    wait_until("the new search shows one row", || row_count() == 1).await;
    wait_until("a new search clears the selection", || {
        selected_count().is_empty()
    })
    .await;
    assert!(
        !is_checked(&checkbox_of(&users[0])),
        "the row is unticked after the new search"
    );
}

#[wasm_bindgen_test]
async fn select_all_matching_deactivates_every_page() {
    sign_in_as_admin().await;
    let token = unique_name("bulkall");
    let users = create_users(&token, PAGE_SIZE + 2).await;
    for username in &users[..2] {
        let user = find_user(username).await;
        api::deactivate_user(user.id).await.expect("deactivating");
    }
    let _app = open_list_searching(&token, users.len()).await;

    click("#select-page");
    wait_until("the page is selected", || {
        selected_count() == format!("{PAGE_SIZE} selected")
    })
    .await;
    let offer = format!("Select all {} users matching this view", users.len());
    click_button(&offer);
    wait_until("every matching user is selected", || {
        selected_count() == format!("{} selected", users.len())
    })
    .await;
    wait_until("focus moves to Clear selection", || {
        focused_id() == "selection-clear"
    })
    .await;
    let bar = text_of(".selection-bar");
    assert!(
        bar.contains(&format!(
            "All {} users matching this view are selected.",
            users.len()
        )),
        "the bar says all matching users are selected, got {bar:?}"
    );

    open_preview("Deactivate").await;
    let preview = text_of("dialog[open] .bulk-lists");
    assert!(
        preview.contains(&format!("These {PAGE_SIZE} users will be deactivated")),
        "the preview counts the users that change, got {preview:?}"
    );
    assert!(
        preview.contains("Already deactivated (2)"),
        "the preview groups the skipped users, got {preview:?}"
    );
    assert!(
        preview.contains(&users[PAGE_SIZE + 1]),
        "users of the second page are in the preview"
    );

    click_button(&format!("Deactivate {PAGE_SIZE} users"));
    wait_for("dialog[open] .bulk-report").await;
    assert_eq!(
        find_all("dialog[open] .bulk-report-row").len(),
        users.len(),
        "the report has a line per user"
    );
    assert_eq!(
        find_all("dialog[open] .bulk-report-row[data-outcome=changed]").len(),
        PAGE_SIZE,
        "the report lists the changed users"
    );
    let summary = format!("{PAGE_SIZE} users deactivated, 2 skipped.");
    assert_eq!(text_of("dialog[open] .bulk-status-summary"), summary);
    // Focus moves in the next animation frame after the report renders.
    wait_until("focus moves to Close", || focused_text() == "Close").await;

    click_button("Close");
    wait_until("the dialog closes", || find("dialog").is_none()).await;
    assert_eq!(
        text_of(".status-message"),
        summary,
        "the page says the result"
    );
    assert!(selected_count().is_empty(), "the selection is cleared");
    wait_until("the list shows every user deactivated", || {
        find_all("tr.user-row [role=switch][aria-checked=true]").is_empty() && row_count() > 0
    })
    .await;
}

#[wasm_bindgen_test]
async fn preview_skips_yourself_and_already_deactivated() {
    let admin = sign_in_as_admin().await;
    // Usernames that start with "admin." follow "admin" in the list's username order.
    let token = unique_name("admin.");
    let users = create_users(&token, 2).await;
    let (changing, deactivated) = (&users[0], &users[1]);
    let user = find_user(deactivated).await;
    api::deactivate_user(user.id).await.expect("deactivating");
    let _app = mount_app_at("/users");
    wait_for("tr.user-row").await;

    for username in [&admin.username, changing, deactivated] {
        page_forward_to(username).await;
        click(&checkbox_of(username));
    }
    wait_until("three are selected", || selected_count() == "3 selected").await;
    open_preview("Deactivate").await;

    let preview = text_of("dialog[open] .bulk-lists");
    assert!(
        preview.contains("This user will be deactivated"),
        "got {preview:?}"
    );
    assert!(
        preview.contains("Already deactivated (1)"),
        "got {preview:?}"
    );
    assert!(preview.contains("You (1)"), "got {preview:?}");
    assert!(preview.contains("Skipped: 2 users"), "got {preview:?}");

    click_button("Deactivate 1 user");
    wait_for("dialog[open] .bulk-report").await;
    let outcomes = find_all("dialog[open] .bulk-report-row")
        .into_iter()
        .map(|row| {
            (
                row.get_attribute("data-outcome").unwrap_or_default(),
                row.text_content().unwrap_or_default(),
            )
        })
        .collect::<Vec<_>>();
    assert_eq!(outcomes.len(), 3, "a line per user: {outcomes:?}");
    for (outcome, username) in [
        ("changed", changing),
        ("yourself", &admin.username),
        ("already_in_state", deactivated),
    ] {
        assert!(
            outcomes
                .iter()
                .any(|(line_outcome, text)| line_outcome == outcome
                    && text.contains(&format!("({username})"))),
            "{username} has outcome {outcome}: {outcomes:?}"
        );
    }
    assert_eq!(
        text_of("dialog[open] .bulk-status-summary"),
        "1 user deactivated, 2 skipped."
    );

    click_button("Close");
    page_forward_to(changing).await;
    wait_until("the changed user shows deactivated", || {
        attribute(
            &format!("{} [role=switch]", row_selector(changing)),
            "aria-checked",
        )
        .as_deref()
            == Some("false")
    })
    .await;
    let admin_now = find_user(&admin.username).await;
    assert_eq!(
        admin_now.status,
        UserStatus::Active,
        "the admin stays active"
    );
}

#[wasm_bindgen_test]
async fn preview_error_keeps_selection_and_retries() {
    sign_in_as_admin().await;
    let token = unique_name("bulkerr");
    let users = create_users(&token, 1).await;
    let user = find_user(&users[0]).await;
    api::deactivate_user(user.id).await.expect("deactivating");
    let _app = open_list_searching(&token, 1).await;
    click(&checkbox_of(&users[0]));
    wait_until("one is selected", || selected_count() == "1 selected").await;
    let _stub = FetchStub::install(
        "let failed = false;
         return function (input, init) {
             const url = typeof input === 'string' ? input : input.url;
             if (!url.includes('/users/bulk-status') || failed) { return realFetch(input, init); }
             failed = true;
             const error = { message: 'Only account admins can change users.', fields: {} };
             return Promise.resolve(new Response(JSON.stringify(error), {
                 status: 403, headers: { 'Content-Type': 'application/json' }
             }));
         };",
    );

    open_preview("Deactivate").await;
    let alert = text_of("dialog[open] .alert-error");
    assert!(
        alert.contains("Only account admins can change users."),
        "the 403 is shown in the dialog, got {alert:?}"
    );
    assert_eq!(selected_count(), "1 selected", "the selection is kept");

    click_button("Try again");
    wait_for("dialog[open] .bulk-lists").await;
    let preview = text_of("dialog[open] .bulk-lists");
    assert!(
        preview.contains("No selected user can be deactivated"),
        "a preview with nothing to change says why, got {preview:?}"
    );
    assert!(
        find_all("dialog[open] button").iter().all(|button| !button
            .text_content()
            .unwrap_or_default()
            .starts_with("Deactivate")),
        "nothing to change offers no confirm button"
    );

    click_button("Cancel");
    wait_until("the dialog closes", || find("dialog").is_none()).await;
    assert_eq!(selected_count(), "1 selected", "Cancel keeps the selection");

    click_button("Clear selection");
    wait_until("the selection is cleared", || selected_count().is_empty()).await;
    assert!(!is_checked(&checkbox_of(&users[0])), "the row is unticked");
    wait_until("focus moves to the page checkbox", || {
        focused_id() == "select-page"
    })
    .await;
}

#[wasm_bindgen_test]
async fn basic_user_gets_no_selection() {
    sign_in_as_viewer().await;
    let _app = mount_app_at("/users");
    wait_for("tr.user-row").await;

    assert!(
        find(".select-checkbox").is_none(),
        "basic users get no selection checkboxes"
    );
    assert!(
        find(".selection-bar").is_none(),
        "basic users get no selection bar"
    );
    assert!(
        button_labelled("Export CSV").is_connected(),
        "basic users can export the list they read"
    );
}

#[wasm_bindgen_test]
async fn failed_change_keeps_preview_and_retries() {
    sign_in_as_admin().await;
    let token = unique_name("bulkretry");
    let users = create_users(&token, 2).await;
    let _app = open_list_searching(&token, users.len()).await;
    click("#select-page");
    wait_until("two are selected", || selected_count() == "2 selected").await;
    // The second bulk request, the change after the preview, fails once with a 422 whose
    // cause is in `fields`, as the backend sends it; the dialog has no field to show it at.
    let _stub = FetchStub::install(
        "let calls = 0;
         return function (input, init) {
             const url = typeof input === 'string' ? input : input.url;
             if (!url.includes('/users/bulk-status')) { return realFetch(input, init); }
             calls += 1;
             if (calls !== 2) { return realFetch(input, init); }
             const error = {
                 message: 'Check the highlighted field.',
                 fields: { selection: 'Select at most 10000 users.' }
             };
             return Promise.resolve(new Response(JSON.stringify(error), {
                 status: 422, headers: { 'Content-Type': 'application/json' }
             }));
         };",
    );

    open_preview("Deactivate").await;
    click_button("Deactivate 2 users");
    wait_for("dialog[open] .alert-error").await;
    let alert = text_of("dialog[open] .alert-error");
    assert!(
        alert.contains("Select at most 10000 users."),
        "the 422 is shown in the dialog, got {alert:?}"
    );
    let preview = text_of("dialog[open] .bulk-lists");
    assert!(
        preview.contains("These 2 users will be deactivated"),
        "the preview stays, got {preview:?}"
    );
    for username in &users {
        let user = find_user(username).await;
        assert_eq!(
            user.status,
            UserStatus::Invited,
            "{username} is unchanged after the failure"
        );
    }

    click_button("Try again");
    wait_for("dialog[open] .bulk-report").await;
    assert_eq!(
        text_of("dialog[open] .bulk-status-summary"),
        "2 users deactivated, 0 skipped."
    );
}

#[wasm_bindgen_test]
async fn reactivation_preview_names_invitation_emails() {
    sign_in_as_admin().await;
    let token = unique_name("bulkre");
    let users = create_users(&token, 2).await;
    // Both never set a password, so reactivating returns them to invited with a new email.
    for username in &users {
        let user = find_user(username).await;
        api::deactivate_user(user.id).await.expect("deactivating");
    }
    let _app = open_list_searching(&token, users.len()).await;
    click("#select-page");
    wait_until("two are selected", || selected_count() == "2 selected").await;
    open_preview("Reactivate").await;

    let preview = text_of("dialog[open] .bulk-lists");
    assert!(
        preview.contains("These 2 users will be reactivated"),
        "got {preview:?}"
    );
    let notes = find_all("dialog[open] .bulk-group-note")
        .into_iter()
        .map(|note| note.text_content().unwrap_or_default())
        .collect::<Vec<_>>();
    assert_eq!(notes.len(), 1, "one note for both users: {notes:?}");
    assert!(
        notes[0].contains("new invitation email") && notes[0].ends_with("(2)"),
        "the preview says both get an invitation email: {notes:?}"
    );

    click_button("Reactivate 2 users");
    wait_for("dialog[open] .bulk-report").await;
    let report = text_of("dialog[open] .bulk-report");
    assert!(
        report.contains("Returned to invited"),
        "the report says where they went: {report:?}"
    );
    for username in &users {
        assert_eq!(find_user(username).await.status, UserStatus::Invited);
    }
}

#[wasm_bindgen_test]
async fn offer_states_limit_for_huge_views() {
    sign_in_as_admin().await;
    let token = unique_name("bulkhuge");
    create_users(&token, 2).await;
    let _app = mount_app_at("/users");
    wait_for("tr.user-row").await;
    // Installed after mounting, which puts the real fetch back.
    // The list reports more matches than one bulk change may include.
    let _stub = FetchStub::install(
        "return async function (input, init) {
             const url = typeof input === 'string' ? input : input.url;
             const response = await realFetch(input, init);
             if (!url.includes('/users?') || !response.ok) { return response; }
             const page = await response.json();
             page.total = 12048;
             return new Response(JSON.stringify(page), {
                 status: 200, headers: { 'Content-Type': 'application/json' }
             });
         };",
    );
    type_into("#user-search", &token);
    wait_until("the list shows the inflated total", || {
        text_of(".pagination-summary") == "Showing 1–2 of 12,048"
    })
    .await;

    click("#select-page");
    wait_for(".selection-offer").await;
    let offer = text_of(".selection-offer");
    assert!(
        offer.contains("a bulk change can include up to 10,000"),
        "the offer states the limit: {offer:?}"
    );
    assert!(
        find(".selection-offer button").is_none(),
        "no button selects more users than a change can include"
    );
}
