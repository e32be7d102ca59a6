//! Guards Export CSV on the users list: the file contains every user of the current search with
//! role names and account numbers, formula-like values get an apostrophe, the progress shows
//! each page of a long export, and a failure or Cancel downloads nothing. The export's file
//! is read through `DownloadCapture` instead of a downloads folder.

mod support;

use std::time::Duration;

use console::api;
use console::components::csv_export::DownloadCapture;
use domain::NewUser;
use support::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Search that matches only the seeded `admin`, by the last name, so the list has one row.
const ADMIN_SEARCH: &str = "lindqvist";

/// Users in the stubbed list of the progress tests: three pages of 100.
const STUBBED_TOTAL: u32 = 250;

/// Opens the list filtered by `search` and waits for `rows` rows.
async fn open_list_searching(search: &str, rows: usize) -> MountedApp {
    let app = mount_app_at("/users");
    wait_for("tr.user-row").await;
    type_into("#user-search", search);
    wait_until("the search is applied", || {
        find_all("tr.user-row").len() == rows
    })
    .await;
    app
}

/// Waits until the capture contains a file and returns it.
async fn captured_file(capture: &DownloadCapture) -> (String, String) {
    let files = std::cell::RefCell::new(Vec::new());
    wait_until("the export is downloaded", || {
        files.borrow_mut().extend(capture.take());
        !files.borrow().is_empty()
    })
    .await;
    let mut files = files.into_inner();
    assert_eq!(files.len(), 1, "one file is downloaded");
    files.remove(0)
}

fn today_file_name() -> String {
    let date = js_sys::Date::new_0();
    format!(
        "users-{:04}-{:02}-{:02}.csv",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date()
    )
}

#[wasm_bindgen_test]
async fn export_contains_the_search_results() {
    sign_in_as_admin().await;
    let token = unique_name("csv");
    let roles = api::roles().await.expect("roles load");
    let role = roles.first().expect("the backend has roles").clone();
    let accounts = api::accounts_by_id(&[1]).await.expect("account 1 loads");
    let formula = NewUser {
        first_name: "=SUM(A1)".to_owned(),
        roles: vec![role.id.clone()],
        ..valid_new_user(&format!("{token}.a"))
    };
    let quoted = NewUser {
        last_name: "Lee, \"Jr\"".to_owned(),
        ..valid_new_user(&format!("{token}.b"))
    };
    let first = create_user(&formula).await;
    let second = create_user(&quoted).await;
    let _app = open_list_searching(&token, 2).await;
    let capture = DownloadCapture::start();

    click_button("Export CSV");
    let (name, text) = captured_file(&capture).await;

    assert_eq!(name, today_file_name(), "the file is named after today");
    assert!(text.starts_with('\u{feff}'), "the file starts with the BOM");
    let lines: Vec<&str> = text['\u{feff}'.len_utf8()..].split("\r\n").collect();
    assert_eq!(lines.len(), 4, "header, two users, empty end: {lines:?}");
    assert!(
        lines[0].starts_with("Username,First name,Last name,Email,"),
        "header row, got {:?}",
        lines[0]
    );
    let number = &accounts[0].number;
    assert_eq!(
        lines[1],
        format!(
            "{},'=SUM(A1),Person,{},,Basic User,Invited,{},{number},{},",
            first.username, first.email, role.name, first.created_at
        ),
        "the first user, with the formula guarded and the role and account named"
    );
    assert!(
        lines[2].starts_with(&format!("{},Test,\"Lee, \"\"Jr\"\"\",", second.username)),
        "the second user's last name is quoted, got {:?}",
        lines[2]
    );
    wait_until("the export is announced", || {
        text_of(".csv-export-status") == format!("Exported 2 users to {name}.")
    })
    .await;
}

/// Replaces the export's list requests (`per_page=100`) with pages of [`STUBBED_TOTAL`]
/// generated users, each returned after 300 ms. Page `fail_page` fails once with a 500, and
/// page `slow_page` takes 3 seconds. Requests are recorded in `window.exportRequests`.
fn stub_export_pages(fail_page: u32, slow_page: u32) -> FetchStub {
    FetchStub::install(&format!(
        "window.exportRequests = [];
         let failed = false;
         return function (input, init) {{
             const url = typeof input === 'string' ? input : input.url;
             if (!url.includes('/users?') || !url.includes('per_page=100')) {{
                 return realFetch(input, init);
             }}
             window.exportRequests.push(url);
             const page = Number(new URL(url).searchParams.get('page') || '1');
             const headers = {{ 'Content-Type': 'application/json' }};
             let response;
             if (page === {fail_page} && !failed) {{
                 failed = true;
                 const error = {{ message: 'The server failed.', fields: {{}} }};
                 response = new Response(JSON.stringify(error), {{ status: 500, headers }});
             }} else {{
                 const users = [];
                 for (let i = (page - 1) * 100; i < Math.min(page * 100, {STUBBED_TOTAL}); i++) {{
                     users.push({{
                         id: 900000 + i, username: 'export.' + i, first_name: 'Ex',
                         last_name: 'Port', email: 'export.' + i + '@example.com',
                         work_phone: null, admin_level: 'basic_user', status: 'active',
                         roles: [], account_ids: [], created_at: '2026-01-01T00:00:00Z',
                         last_sign_in_at: null, version: 1
                     }});
                 }}
                 const body = {{ users, total: {STUBBED_TOTAL}, page, per_page: 100 }};
                 response = new Response(JSON.stringify(body), {{ status: 200, headers }});
             }}
             const delay = page === {slow_page} ? 3000 : 300;
             return new Promise(function (resolve) {{
                 setTimeout(function () {{ resolve(response); }}, delay);
             }});
         }};"
    ))
}

fn export_requests() -> Vec<String> {
    let window = web_sys::window().expect("window");
    let requests = js_sys::Reflect::get(&window, &"exportRequests".into()).expect("recorded");
    js_sys::Array::from(&requests)
        .iter()
        .filter_map(|url| url.as_string())
        .collect()
}

#[wasm_bindgen_test]
async fn progress_counts_each_page() {
    sign_in_as_admin().await;
    let _app = open_list_searching(ADMIN_SEARCH, 1).await;
    let capture = DownloadCapture::start();
    let _stub = stub_export_pages(0, 0);

    click_button("Export CSV");
    let seen = std::cell::RefCell::new(Vec::<(String, Option<String>)>::new());
    wait_until("the export ends", || {
        if let Some(label) = find(".csv-export-progress label") {
            let text = label.text_content().unwrap_or_default();
            let value = find("#csv-export-progress").and_then(|bar| bar.get_attribute("value"));
            let mut seen = seen.borrow_mut();
            if seen.last().map(|(last, _)| last) != Some(&text) {
                seen.push((text, value));
            }
        }
        text_of(".csv-export-status").starts_with("Exported")
    })
    .await;

    let seen = seen.into_inner();
    let texts: Vec<&str> = seen.iter().map(|(text, _)| text.as_str()).collect();
    assert_eq!(
        texts[..3],
        [
            "Exporting users…",
            "Exporting 100 of 250 users",
            "Exporting 200 of 250 users"
        ],
        "each page advances the progress"
    );
    // The last page's count shows only while the role names and accounts load, which the
    // polling may miss.
    assert!(
        texts[3..]
            .iter()
            .all(|text| *text == "Exporting 250 of 250 users"),
        "nothing else is shown: {texts:?}"
    );
    assert_eq!(
        seen[1].1.as_deref(),
        Some("100"),
        "the bar's value follows the users fetched"
    );
    assert_eq!(
        attribute_or_none("#csv-export-progress", "max"),
        None,
        "the bar is gone once the export ends"
    );
    let requests = export_requests();
    assert_eq!(requests.len(), 3, "three pages are requested: {requests:?}");
    for (index, url) in requests.iter().enumerate() {
        assert!(
            url.contains(&format!("q={ADMIN_SEARCH}")),
            "the search is kept: {url}"
        );
        let page = format!("page={}", index + 1);
        assert!(
            index == 0 || url.contains(&page),
            "request {index} asks for {page}: {url}"
        );
    }
    let (_, text) = captured_file(&capture).await;
    assert_eq!(
        text.split("\r\n").count(),
        1 + STUBBED_TOTAL as usize + 1,
        "the header, every user and the empty end"
    );
}

fn attribute_or_none(selector: &str, name: &str) -> Option<String> {
    find(selector).and_then(|element| element.get_attribute(name))
}

#[wasm_bindgen_test]
async fn failed_page_downloads_nothing_until_retry() {
    sign_in_as_admin().await;
    let _app = open_list_searching(ADMIN_SEARCH, 1).await;
    let capture = DownloadCapture::start();
    let _stub = stub_export_pages(2, 0);

    click_button("Export CSV");
    wait_for(".csv-export .alert-error").await;

    let alert = text_of(".csv-export .alert-error");
    assert!(
        alert.contains("The server failed."),
        "the error is shown, got {alert:?}"
    );
    assert!(capture.take().is_empty(), "nothing partial is downloaded");

    click_button("Try again");
    let (_, text) = captured_file(&capture).await;
    assert_eq!(
        text.split("\r\n").count(),
        1 + STUBBED_TOTAL as usize + 1,
        "the retry exports every user"
    );
    assert!(
        find(".csv-export .alert-error").is_none(),
        "the error is gone after the retry"
    );
}

#[wasm_bindgen_test]
async fn cancel_downloads_nothing() {
    sign_in_as_admin().await;
    let _app = open_list_searching(ADMIN_SEARCH, 1).await;
    let capture = DownloadCapture::start();
    let _stub = stub_export_pages(0, 2);

    click_button("Export CSV");
    wait_until("the first page arrived", || {
        text_of(".csv-export-progress label") == "Exporting 100 of 250 users"
    })
    .await;
    click_button("Cancel");

    wait_until("the cancel is announced", || {
        text_of(".csv-export-status") == "Export cancelled. Nothing was downloaded."
    })
    .await;
    // Cancel is gone, so focus returns to the button that started the export.
    wait_until("focus returns to Export CSV", || {
        focused_id() == "csv-export-button"
    })
    .await;
    gloo_timers::future::sleep(Duration::from_secs(4)).await;
    assert!(
        capture.take().is_empty(),
        "a cancelled export downloads nothing"
    );
    assert!(
        find(".csv-export-progress").is_none(),
        "the progress is gone after Cancel"
    );
}
