//! Guards the users list's settings in the address bar against the real backend. A link sets
//! every control and the request, and each control writes the URL. A filter or search change
//! returns to page 1, back and forward restore a view, and settled searches share one history
//! entry. Also covered: the sort headers with `aria-sort`, a rejected role filter at the role
//! select, and the created and last sign-in columns.

mod support;

use console::api;
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Records the URL of every users list request in `window.userListRequests`.
const RECORD_LIST_REQUESTS: &str = "window.userListRequests = [];
     return function (input, init) {
         const url = typeof input === 'string' ? input : input.url;
         if (url.includes('/users?') || url.endsWith('/users')) {
             window.userListRequests.push(url);
         }
         return realFetch(input, init);
     };";

/// Returns, for a list request whose role is `gone`, the 422 response the backend sends for a
/// role that no longer exists, and passes every other request on.
const REJECT_GONE_ROLE: &str = "return function (input, init) {
         const url = typeof input === 'string' ? input : input.url;
         if (url.includes('/users?') && url.includes('role=gone')) {
             const body = JSON.stringify({
                 message: 'The role filter is invalid.',
                 fields: { role: 'No role has the id \"gone\".' },
             });
             return Promise.resolve(new Response(body, {
                 status: 422,
                 headers: { 'Content-Type': 'application/json' },
             }));
         }
         return realFetch(input, init);
     };";

/// Returns the value of the query parameter `name` of the page's URL, decoded.
fn url_param(name: &str) -> Option<String> {
    let search = web_sys::window()
        .expect("window")
        .location()
        .search()
        .expect("search");
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| decode(value))
}

fn decode(value: &str) -> String {
    js_sys::decode_uri_component(&value.replace('+', " "))
        .map(String::from)
        .unwrap_or_else(|error| panic!("{value:?} is not URI-encoded: {error:?}"))
}

/// Returns the users list requests recorded by [`RECORD_LIST_REQUESTS`].
fn list_requests() -> Vec<String> {
    let window = web_sys::window().expect("window");
    let requests = js_sys::Reflect::get(&window, &JsValue::from_str("userListRequests"))
        .expect("the recorded requests can be read");
    js_sys::Array::from(&requests)
        .iter()
        .filter_map(|url| url.as_string())
        .collect()
}

fn select_value(selector: &str) -> String {
    use wasm_bindgen::JsCast;
    find(selector)
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .dyn_into::<web_sys::HtmlSelectElement>()
        .unwrap_or_else(|_| panic!("{selector} is not a select"))
        .value()
}

fn aria_sort(column: &str) -> Option<String> {
    let header = find(&format!("#sort-{column}"))
        .and_then(|button| button.parent_element())
        .unwrap_or_else(|| panic!("the {column} column has a sort button in its header"));
    header.get_attribute("aria-sort")
}

fn history_back() {
    web_sys::window()
        .expect("window")
        .history()
        .expect("history")
        .back()
        .expect("history.back() runs");
}

fn history_forward() {
    web_sys::window()
        .expect("window")
        .history()
        .expect("history")
        .forward()
        .expect("history.forward() runs");
}

async fn wait_for_param(name: &str, expected: Option<&str>) {
    let what = format!("the URL has {name}={expected:?}");
    let mut waited = 0;
    while url_param(name).as_deref() != expected {
        assert!(
            waited < 400,
            "timed out waiting until {what}; the URL is {}",
            current_path()
        );
        gloo_timers::future::sleep(std::time::Duration::from_millis(25)).await;
        waited += 1;
    }
}

/// Waits until the list shows its first page, after a change that returned to it.
async fn wait_for_first_page() {
    wait_until("the first page is shown", || {
        text_of(".pagination-page").starts_with("Page 1 ")
    })
    .await;
}

/// Returns the id of the first role of `GET /roles`.
async fn some_role_id() -> String {
    let roles = api::roles().await.expect("the roles load");
    roles.first().expect("the backend seeds roles").id.clone()
}

#[wasm_bindgen_test]
async fn link_sets_every_control_and_request() {
    sign_in_as_admin().await;
    let role = some_role_id().await;
    let path = format!(
        "/users?q=adm%20in&status=active&level=account_admin&role={role}&account=1\
         &sort=created&dir=desc&page=2&per_page=50"
    );
    let _app = mount_app_at(&path);
    // Mounting puts the real fetch back, and the list request follows in a later task.
    let _stub = FetchStub::install(RECORD_LIST_REQUESTS);

    wait_until("the list request is sent", || !list_requests().is_empty()).await;
    wait_for("#user-search").await;
    let request = list_requests()
        .last()
        .cloned()
        .expect("a request was recorded");
    for expected in [
        "q=adm+in",
        "status=active",
        "level=account_admin",
        &format!("role={role}"),
        "account=1",
        "sort=created",
        "dir=desc",
        "page=2",
        "per_page=50",
    ] {
        assert!(
            request.contains(expected),
            "the list request carries {expected}, got {request}"
        );
    }
    assert_eq!(
        input_value("#user-search"),
        "adm in",
        "the search box shows q"
    );
    assert_eq!(select_value("#status-filter"), "active", "status select");
    assert_eq!(
        select_value("#level-filter"),
        "account_admin",
        "level select"
    );
    assert_eq!(select_value("#page-size"), "50", "page size select");
    assert_eq!(
        select_value("#sort-select"),
        "created:desc",
        "narrow sort select"
    );
    wait_until("the role select shows the role", || {
        select_value("#role-filter") == role
    })
    .await;
    wait_until("the account chip names account 1", || {
        text_of(".field-account-filter .chip-label").contains('–')
    })
    .await;
}

#[wasm_bindgen_test]
async fn controls_write_the_url() {
    sign_in_as_admin().await;
    let role = some_role_id().await;
    let _app = mount_app_at("/users");
    wait_for("tr.user-row").await;

    select_option("#level-filter", "account_admin");
    wait_for_param("level", Some("account_admin")).await;
    select_option("#status-filter", "active");
    wait_for_param("status", Some("active")).await;
    wait_until("the role options load", || {
        find(&format!("#role-filter option[value='{role}']")).is_some()
    })
    .await;
    select_option("#role-filter", &role);
    wait_for_param("role", Some(&role)).await;
    select_option("#page-size", "100");
    wait_for_param("per_page", Some("100")).await;
    select_option("#sort-select", "email:desc");
    wait_for_param("sort", Some("email")).await;
    assert_eq!(
        url_param("dir").as_deref(),
        Some("desc"),
        "the direction is written"
    );

    wait_until("Clear filters is enabled", || {
        attribute("#clear-filters", "disabled").is_none()
    })
    .await;
    click("#clear-filters");
    wait_for_param("role", None).await;
    for name in ["level", "status", "q", "account"] {
        assert_eq!(url_param(name), None, "Clear filters removes {name}");
    }
    assert_eq!(
        url_param("sort").as_deref(),
        Some("email"),
        "Clear filters keeps the sort"
    );
    assert_eq!(
        url_param("per_page").as_deref(),
        Some("100"),
        "and the page size, in {}",
        current_path()
    );
}

#[wasm_bindgen_test]
async fn account_filter_writes_chosen_account() {
    sign_in_as_admin().await;
    let _app = mount_app_at("/users?page=2");
    wait_for(".results").await;

    type_into("#account-filter", "meridian");
    wait_for("#account-filter-option-1").await;
    click("#account-filter-option-1");
    wait_for_param("account", Some("1")).await;
    assert_eq!(
        url_param("page"),
        None,
        "choosing an account returns to page 1"
    );
    let chip = wait_for(".field-account-filter .chip-label").await;
    assert!(
        chip.text_content().unwrap_or_default().contains("Meridian"),
        "the chip names the chosen account"
    );

    click("#account-filter-remove");
    wait_for_param("account", None).await;
    wait_until("focus returns to the account search", || {
        focused_id() == "account-filter"
    })
    .await;
}

#[wasm_bindgen_test]
async fn filter_and_search_return_to_page_one() {
    sign_in_as_admin().await;
    let app = mount_app_at("/users?page=2");
    wait_for("tr.user-row").await;
    wait_until("page 2 is shown", || {
        text_of(".pagination-page").starts_with("Page 2 ")
    })
    .await;
    select_option("#level-filter", "basic_user");
    wait_for_param("level", Some("basic_user")).await;
    assert_eq!(url_param("page"), None, "a filter change returns to page 1");
    wait_for_first_page().await;
    drop(app);

    let app = mount_app_at("/users?page=2");
    wait_for("tr.user-row").await;
    type_into("#user-search", "te");
    wait_for_param("q", Some("te")).await;
    assert_eq!(url_param("page"), None, "a search returns to page 1");
    drop(app);

    let _app = mount_app_at("/users?page=2");
    wait_for("tr.user-row").await;
    select_option("#page-size", "50");
    wait_for_param("per_page", Some("50")).await;
    assert_eq!(
        url_param("page"),
        None,
        "a page size change returns to page 1"
    );
}

#[wasm_bindgen_test]
async fn back_and_forward_restore_views() {
    sign_in_as_admin().await;
    let _app = mount_app_at("/users");
    wait_for("tr.user-row").await;

    select_option("#status-filter", "invited");
    wait_for_param("status", Some("invited")).await;
    type_into("#user-search", "test");
    wait_for_param("q", Some("test")).await;
    // Leaving the box ends the typing, so the sort below adds its own entry.
    leave("#user-search");
    select_option("#sort-select", "created:desc");
    wait_for_param("sort", Some("created")).await;

    history_back();
    wait_for_param("sort", None).await;
    assert_eq!(
        select_value("#sort-select"),
        "username:asc",
        "the sort returns"
    );
    assert_eq!(input_value("#user-search"), "test", "the search stays");

    history_back();
    wait_for_param("q", None).await;
    wait_until("the search box empties", || {
        input_value("#user-search").is_empty()
    })
    .await;
    assert_eq!(
        select_value("#status-filter"),
        "invited",
        "the status stays"
    );

    history_back();
    wait_for_param("status", None).await;
    wait_until("the status select shows all", || {
        select_value("#status-filter") == "all"
    })
    .await;

    history_forward();
    wait_for_param("status", Some("invited")).await;
    wait_until("the status select shows invited again", || {
        select_value("#status-filter") == "invited"
    })
    .await;
    wait_until("the list shows the invited view", || {
        text_of("#results-status").contains("invited user")
    })
    .await;
}

#[wasm_bindgen_test]
async fn settled_searches_share_one_entry() {
    sign_in_as_admin().await;
    let _app = mount_app_at("/users?status=active");
    wait_for("tr.user-row").await;

    type_into("#user-search", "ad");
    wait_for_param("q", Some("ad")).await;
    type_into("#user-search", "adm");
    wait_for_param("q", Some("adm")).await;
    type_into("#user-search", "admin");
    wait_for_param("q", Some("admin")).await;

    history_back();
    wait_for_param("q", None).await;
    assert_eq!(
        url_param("status").as_deref(),
        Some("active"),
        "one step back returns to the view before the search"
    );
    wait_until("the search box empties", || {
        input_value("#user-search").is_empty()
    })
    .await;
}

#[wasm_bindgen_test]
async fn sort_header_toggles_with_aria_sort() {
    sign_in_as_admin().await;
    let _app = mount_app_at("/users");
    wait_for("tr.user-row").await;

    assert_eq!(
        aria_sort("username").as_deref(),
        Some("ascending"),
        "the default sort"
    );
    assert_eq!(
        aria_sort("email"),
        None,
        "unsorted columns have no aria-sort"
    );

    click("#sort-email");
    wait_for_param("sort", Some("email")).await;
    assert_eq!(url_param("dir"), None, "a new column sorts ascending");
    wait_until("the email header is sorted ascending", || {
        aria_sort("email").as_deref() == Some("ascending")
    })
    .await;
    assert_eq!(
        aria_sort("username"),
        None,
        "the username header is unsorted"
    );
    assert_eq!(text_of("#sort-email .sort-arrow"), "▲", "an up arrow shows");
    wait_until("focus stays on the sort button", || {
        focused_id() == "sort-email"
    })
    .await;

    click("#sort-email");
    wait_for_param("dir", Some("desc")).await;
    wait_until("the email header is sorted descending", || {
        aria_sort("email").as_deref() == Some("descending")
    })
    .await;
    assert_eq!(
        text_of("#sort-email .sort-arrow"),
        "▼",
        "a down arrow shows"
    );
    assert_eq!(
        attribute("#sort-email", "aria-label"),
        None,
        "the button's name is the column's label alone"
    );
}

#[wasm_bindgen_test]
async fn rejected_role_shows_at_role_select() {
    sign_in_as_admin().await;
    let _app = mount_app_at("/users?role=gone");
    let _stub = FetchStub::install(REJECT_GONE_ROLE);

    let error = wait_for("#role-filter-error").await;
    assert!(
        error
            .text_content()
            .unwrap_or_default()
            .contains("No role has the id"),
        "the backend's message shows at the role select"
    );
    assert_eq!(
        attribute("#role-filter", "aria-invalid").as_deref(),
        Some("true"),
        "the role select is marked invalid"
    );
    assert!(
        description_of("#role-filter").contains("No role has the id"),
        "the message describes the select"
    );
    assert!(
        text_of(".results .empty").contains("a filter is invalid"),
        "the results say why no users are shown"
    );
    assert!(
        find(".results [role=alert]").is_none(),
        "no page-wide error replaces the list"
    );
    wait_until("the unknown role shows in the select", || {
        select_value("#role-filter") == "gone"
    })
    .await;

    select_option("#role-filter", "");
    wait_for("tr.user-row").await;
    assert!(
        find("#role-filter-error").is_none(),
        "the error goes with the filter"
    );
}

#[wasm_bindgen_test]
async fn time_columns_show_created_and_never() {
    sign_in_as_admin().await;
    let user = create_user(&valid_new_user(&unique_name("times."))).await;
    let _app = mount_app_at(&format!("/users?q={}", user.username));
    let row = format!("tr[data-username='{}']", user.username);
    wait_for(&row).await;

    let created = format!("{row} td[data-label='Created'] time");
    assert_eq!(
        attribute(&created, "datetime").as_deref(),
        Some(user.created_at.as_str()),
        "the created time carries the timestamp"
    );
    let shown = text_of(&created);
    assert!(
        !shown.is_empty() && shown != user.created_at,
        "the created time is shown for people, got {shown:?}"
    );
    assert_eq!(
        text_of(&format!("{row} td[data-label='Last sign-in']")),
        "Never",
        "a user who never signed in reads Never"
    );

    drop(_app);
    let _app = mount_app_at("/users?q=admin");
    wait_for("tr[data-username='admin']").await;
    assert!(
        find("tr[data-username='admin'] td[data-label='Last sign-in'] time[datetime]").is_some(),
        "the signed-in admin has a last sign-in time"
    );
}

#[wasm_bindgen_test]
async fn removed_role_link_shows_backend_error() {
    sign_in_as_admin().await;
    let _app = mount_app_at("/users?role=no-such-role&status=active");

    let error = wait_for("#role-filter-error").await;
    let message = error.text_content().unwrap_or_default();
    assert!(
        message.len() > "Error: ".len(),
        "the backend's message about the role shows at the role select, got {message:?}"
    );
    assert!(
        find(".results [role=alert]").is_none(),
        "no page-wide error replaces the list"
    );

    select_option("#status-filter", "all");
    wait_for_param("status", None).await;
    assert!(
        find("#role-filter-error").is_some(),
        "the role error stays while the role is in the address bar"
    );
    click("#clear-filters");
    wait_for("tr.user-row").await;
    assert!(
        find("#role-filter-error").is_none(),
        "clearing the filters clears the error"
    );
}

/// Returns the text of the cells labelled `label`, in row order.
fn column(label: &str) -> Vec<String> {
    find_all(&format!("tr.user-row td[data-label='{label}']"))
        .into_iter()
        .map(|cell| cell.text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn filters_and_sort_reach_backend() {
    sign_in_as_admin().await;
    let app = mount_app_at("/users?level=account_admin");
    wait_for("tr.user-row").await;
    let levels = column("Administration level");
    assert!(!levels.is_empty(), "the seeded admin is listed");
    assert!(
        levels.iter().all(|level| level == "Account Admin"),
        "only account admins are listed, got {levels:?}"
    );
    drop(app);

    let _app = mount_app_at("/users?sort=email&dir=desc");
    wait_for("tr.user-row").await;
    let emails: Vec<String> = column("Email")
        .iter()
        .map(|email| email.to_lowercase())
        .collect();
    let mut sorted = emails.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(emails, sorted, "the rows are in descending email order");
}

#[wasm_bindgen_test]
async fn missing_account_link_shows_error_at_filter() {
    sign_in_as_admin().await;
    let _app = mount_app_at("/users?account=999999");

    let error = wait_for("#account-filter-error").await;
    assert!(
        error.text_content().unwrap_or_default().len() > "Error: ".len(),
        "the backend's message about the account shows at the account filter"
    );
    assert_eq!(
        attribute("#account-filter", "aria-invalid").as_deref(),
        Some("true"),
        "the account search is marked invalid"
    );
    wait_until("the chip says the account was not found", || {
        text_of(".field-account-filter .chip-label") == "Account 999999 (not found)"
    })
    .await;

    click("#account-filter-remove");
    wait_for_param("account", None).await;
    wait_for("tr.user-row").await;
    assert!(
        find("#account-filter-error").is_none(),
        "removing the account clears the error"
    );
}
