//! Helpers shared by the browser tests: sign-in through the api module, mounting the app at
//! a path, unique usernames, and driving and waiting on the DOM.

#![allow(dead_code)] // Each test file uses a different subset of the helpers.

pub mod account_picker;
pub mod live_region;

use std::any::Any;
use std::time::Duration;

use console::api;
use domain::{AdminLevel, CurrentUser, NewUser, OutboxMessage, SignIn, User, UserListQuery};
use gloo_timers::future::sleep;
use leptos::prelude::Owner;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Event, EventInit, HtmlElement, HtmlInputElement};

/// How long [`wait_until`] waits before it fails the test.
const WAIT_TIMEOUT: Duration = Duration::from_secs(10);
const POLL_INTERVAL: Duration = Duration::from_millis(25);

const ADMIN_PASSWORD: Option<&str> = option_env!("CONSOLE_TEST_ADMIN_PASSWORD");
const VIEWER_PASSWORD: Option<&str> = option_env!("CONSOLE_TEST_VIEWER_PASSWORD");

/// Signs in as the seeded account admin `admin`.
pub async fn sign_in_as_admin() -> CurrentUser {
    sign_in("admin", ADMIN_PASSWORD, "CONSOLE_TEST_ADMIN_PASSWORD").await
}

/// Signs in as the seeded basic user `viewer`.
pub async fn sign_in_as_viewer() -> CurrentUser {
    sign_in("viewer", VIEWER_PASSWORD, "CONSOLE_TEST_VIEWER_PASSWORD").await
}

async fn sign_in(username: &str, password: Option<&str>, variable: &str) -> CurrentUser {
    restore_fetch();
    let password = password.unwrap_or_else(|| {
        panic!("{variable} was not set when the tests were compiled; set it and rebuild")
    });
    let credentials = SignIn {
        username: username.to_owned(),
        password: password.to_owned(),
    };
    match api::sign_in(&credentials).await {
        Ok(user) => user,
        Err(error) => panic!(
            "sign-in as {username} at {} failed: {error}; is the backend running?",
            api::API_URL
        ),
    }
}

/// Ends the session through the api module; a session that already ended is fine.
pub async fn sign_out() {
    restore_fetch();
    if let Err(error) = api::sign_out().await
        && !error.is_unauthorized()
    {
        panic!("signing out failed: {error}");
    }
}

/// Returns the emails the backend stored for `email`, newest first. The endpoint exists only
/// when the backend runs with `--expose-outbox`, so it is called here and not in `api`.
pub async fn outbox(email: &str) -> Vec<OutboxMessage> {
    let url = format!("{}/dev/outbox", api::API_URL);
    let response = gloo_net::http::Request::get(&url)
        .query([("to", email)])
        .send()
        .await
        .unwrap_or_else(|error| panic!("GET {url} failed: {error}"));
    assert!(
        response.ok(),
        "GET {url} returned HTTP {}; does the backend run with --expose-outbox?",
        response.status()
    );
    response
        .json()
        .await
        .unwrap_or_else(|error| panic!("the outbox response is not a message list: {error}"))
}

/// Returns the token of the newest invitation link emailed to `email`.
pub async fn invitation_token(email: &str) -> String {
    let messages = outbox(email).await;
    let newest = messages
        .first()
        .unwrap_or_else(|| panic!("the outbox has no email to {email}"));
    token_in(&newest.body)
}

/// Returns the hex token after `#token=` in an email body.
pub fn token_in(body: &str) -> String {
    let marker = "#token=";
    let start = body
        .find(marker)
        .unwrap_or_else(|| panic!("no invitation link in the email: {body:?}"))
        + marker.len();
    body[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

/// Returns the first button whose text is `label`.
pub fn button_labelled(label: &str) -> HtmlElement {
    find_all("button")
        .into_iter()
        .find(|button| button.text_content().as_deref() == Some(label))
        .unwrap_or_else(|| panic!("no button is labelled {label:?}"))
        .dyn_into()
        .expect("a button is an HTML element")
}

/// Clicks the first button whose text is `label`.
pub fn click_button(label: &str) {
    button_labelled(label).click();
}

/// Returns `prefix` followed by a random suffix, unique across test runs on one backend.
pub fn unique_name(prefix: &str) -> String {
    let random = (js_sys::Math::random() * 1e12) as u64;
    format!("{prefix}{random:x}")
}

/// Builds a valid new user with every required field, granted account 1 and no roles.
pub fn valid_new_user(username: &str) -> NewUser {
    NewUser {
        username: username.to_owned(),
        first_name: "Test".to_owned(),
        last_name: "Person".to_owned(),
        email: format!("{username}@example.com"),
        work_phone: None,
        admin_level: AdminLevel::BasicUser,
        roles: Vec::new(),
        account_ids: vec![1],
    }
}

/// Creates a user through the api module, failing the test on any error.
pub async fn create_user(new_user: &NewUser) -> User {
    let key = api::new_idempotency_key().expect("the browser makes a random key");
    match api::create_user(new_user, &key, |_| {}).await {
        Ok(user) => user,
        Err(error) => panic!("creating user {} failed: {error}", new_user.username),
    }
}

/// Returns the only user whose username matches `username`.
pub async fn find_user(username: &str) -> User {
    let mut query = UserListQuery::default();
    query.filter.q = username.to_owned();
    let page = match api::users(&query, None).await {
        Ok(page) => page,
        Err(error) => panic!("listing users matching {username} failed: {error}"),
    };
    match page
        .users
        .into_iter()
        .find(|user| user.username == username)
    {
        Some(user) => user,
        None => panic!("no user named {username} in the list"),
    }
}

/// The app mounted into its own element; dropping it unmounts the app, disposes its reactive
/// owner and removes the element.
///
/// Unmounting alone leaves the app's owner alive, and with it the router's window listeners,
/// which would then also handle link clicks in the apps of later tests.
pub struct MountedApp {
    handle: Option<Box<dyn Any>>,
    owner: Owner,
    container: HtmlElement,
}

impl Drop for MountedApp {
    fn drop(&mut self) {
        drop(self.handle.take());
        self.owner.cleanup();
        self.container.remove();
        MOUNTED_OWNER.with(|mounted| mounted.borrow_mut().take());
    }
}

thread_local! {
    /// Owner of the app mounted last, until its [`MountedApp`] is dropped. A failing test
    /// aborts without dropping it, so the next mount cleans it up instead: otherwise one
    /// failure would leave an app behind that breaks every later test of the file.
    static MOUNTED_OWNER: std::cell::RefCell<Option<Owner>> = const { std::cell::RefCell::new(None) };
}

/// Removes what a failed test left mounted: its owner and its container element.
fn clean_up_leftover_app(document: &web_sys::Document) {
    if let Some(owner) = MOUNTED_OWNER.with(|mounted| mounted.borrow_mut().take()) {
        owner.cleanup();
    }
    let leftovers = document
        .query_selector_all("[data-test-app]")
        .expect("the selector is valid");
    for index in 0..leftovers.length() {
        if let Some(element) = leftovers
            .item(index)
            .and_then(|node| node.dyn_into::<web_sys::Element>().ok())
        {
            element.remove();
        }
    }
}

thread_local! {
    /// The browser's own `fetch` while [`OfflineNetwork`] replaces it.
    static REAL_FETCH: std::cell::RefCell<Option<JsValue>> = const { std::cell::RefCell::new(None) };
}

/// Makes every request of the page fail as if the network were down, until dropped: the
/// app's requests then end in the error that a lost connection gives.
///
/// A failing test aborts without dropping it, so the next test's sign-in, sign-out or
/// [`mount_app_at`] puts the real `fetch` back instead.
pub struct OfflineNetwork;

impl OfflineNetwork {
    pub fn start() -> OfflineNetwork {
        let window = web_sys::window().expect("tests run in a browser window");
        let real = js_sys::Reflect::get(&window, &"fetch".into()).expect("window.fetch exists");
        REAL_FETCH.with(|stored| {
            stored.borrow_mut().get_or_insert(real);
        });
        let failing = js_sys::Function::new_no_args(
            "return Promise.reject(new TypeError('Failed to fetch (offline in this test)'));",
        );
        js_sys::Reflect::set(&window, &"fetch".into(), &failing).expect("window.fetch is writable");
        OfflineNetwork
    }
}

impl Drop for OfflineNetwork {
    fn drop(&mut self) {
        restore_fetch();
    }
}

/// Replaces the page's `fetch` until dropped. `factory_body` is the body of a JavaScript
/// function that receives the real fetch as `realFetch` and returns the replacement.
pub struct FetchStub;

impl FetchStub {
    pub fn install(factory_body: &str) -> FetchStub {
        let window = web_sys::window().expect("tests run in a browser window");
        let current = js_sys::Reflect::get(&window, &"fetch".into()).expect("window.fetch exists");
        let real = REAL_FETCH.with(|stored| stored.borrow_mut().get_or_insert(current).clone());
        let factory = js_sys::Function::new_with_args("realFetch", factory_body);
        let replacement = factory
            .call1(&JsValue::NULL, &real)
            .unwrap_or_else(|error| panic!("the fetch stub could not be built: {error:?}"));
        js_sys::Reflect::set(&window, &"fetch".into(), &replacement)
            .expect("window.fetch is writable");
        FetchStub
    }
}

impl Drop for FetchStub {
    fn drop(&mut self) {
        restore_fetch();
    }
}

/// Puts back the `fetch` that [`OfflineNetwork`] replaced, if any.
fn restore_fetch() {
    if let Some(real) = REAL_FETCH.with(|stored| stored.borrow_mut().take()) {
        let window = web_sys::window().expect("tests run in a browser window");
        js_sys::Reflect::set(&window, &"fetch".into(), &real).expect("window.fetch is writable");
    }
}

/// Moves the page to `path` and mounts the whole app there.
pub fn mount_app_at(path: &str) -> MountedApp {
    restore_fetch();
    let window = web_sys::window().expect("tests run in a browser window");
    let history = window.history().expect("the window has a history");
    history
        .push_state_with_url(&JsValue::NULL, "", Some(path))
        .expect("pushState to a same-origin path succeeds");
    let document = window.document().expect("the window has a document");
    clean_up_leftover_app(&document);
    let container: HtmlElement = document
        .create_element("div")
        .expect("a div can be created")
        .unchecked_into();
    container
        .set_attribute("data-test-app", "")
        .expect("an attribute can be set");
    document
        .body()
        .expect("the document has a body")
        .append_child(&container)
        .expect("append");
    let owner = Owner::new();
    let handle = owner.with(|| leptos::mount::mount_to(container.clone(), console::app::App));
    MOUNTED_OWNER.with(|mounted| *mounted.borrow_mut() = Some(owner.clone()));
    MountedApp {
        handle: Some(Box::new(handle)),
        owner,
        container,
    }
}

/// Path and query of the page, e.g. `/users?x=1`.
pub fn current_path() -> String {
    let location = web_sys::window().expect("window").location();
    let path = location.pathname().expect("pathname");
    let search = location.search().expect("search");
    format!("{path}{search}")
}

/// Waits until `condition` holds, polling; fails the test with `what` after the timeout.
pub async fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let mut waited = Duration::ZERO;
    while !condition() {
        if waited >= WAIT_TIMEOUT {
            panic!("timed out after {WAIT_TIMEOUT:?} waiting until {what}");
        }
        sleep(POLL_INTERVAL).await;
        waited += POLL_INTERVAL;
    }
}

/// Waits until an element matches `selector` and returns it.
pub async fn wait_for(selector: &str) -> Element {
    wait_until(&format!("{selector} exists"), || find(selector).is_some()).await;
    find(selector).expect("the element was just found")
}

pub fn find(selector: &str) -> Option<Element> {
    document()
        .query_selector(selector)
        .expect("the selector is valid")
}

pub fn find_all(selector: &str) -> Vec<Element> {
    let list = document()
        .query_selector_all(selector)
        .expect("the selector is valid");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into().ok())
        .collect()
}

/// Text content of the element matching `selector`, or "" when there is none.
pub fn text_of(selector: &str) -> String {
    find(selector)
        .and_then(|element| element.text_content())
        .unwrap_or_default()
}

pub fn input_value(selector: &str) -> String {
    input(selector).value()
}

pub fn is_checked(selector: &str) -> bool {
    input(selector).checked()
}

fn input(selector: &str) -> HtmlInputElement {
    find(selector)
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .dyn_into()
        .unwrap_or_else(|_| panic!("{selector} is not an input"))
}

/// Replaces the text of an input and fires `input`, as a keystroke would.
pub fn type_into(selector: &str, text: &str) {
    let input = input(selector);
    input.set_value(text);
    dispatch(&input, "input", true);
}

/// Picks the option with `value` in the select matching `selector` and fires `change`, as
/// choosing it would.
pub fn select_option(selector: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = find(selector)
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .dyn_into()
        .unwrap_or_else(|_| panic!("{selector} is not a select"));
    select.set_value(value);
    dispatch(&select, "change", true);
}

/// Fires `blur` and `focusout` on an element, as leaving the field would.
pub fn leave(selector: &str) {
    let element = find(selector).unwrap_or_else(|| panic!("no element matches {selector}"));
    dispatch(&element, "blur", false);
    dispatch(&element, "focusout", true);
}

pub fn click(selector: &str) {
    let element: HtmlElement = find(selector)
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .dyn_into()
        .unwrap_or_else(|_| panic!("{selector} is not an HTML element"));
    element.click();
}

/// Sets a checkbox to `is_ticked` by clicking it when it differs.
pub fn set_checkbox(selector: &str, is_ticked: bool) {
    if is_checked(selector) != is_ticked {
        click(selector);
    }
}

/// Returns the document's title, as the browser tab shows it.
pub fn document_title() -> String {
    document().title()
}

/// Text of the element that has focus, or "" when there is none.
pub fn focused_text() -> String {
    document()
        .active_element()
        .and_then(|element| element.text_content())
        .unwrap_or_default()
}

/// Id of the element that has focus, or "" when there is none.
pub fn focused_id() -> String {
    document()
        .active_element()
        .map(|element| element.id())
        .unwrap_or_default()
}

/// Moves focus to the element matching `selector`, as a Tab to it would.
pub fn focus(selector: &str) {
    let element: HtmlElement = find(selector)
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .dyn_into()
        .unwrap_or_else(|_| panic!("{selector} is not an HTML element"));
    element
        .focus()
        .unwrap_or_else(|error| panic!("{selector} could not take focus: {error:?}"));
}

/// Value of the attribute `name` of the element matching `selector`, or `None` when the
/// element has no such attribute.
pub fn attribute(selector: &str, name: &str) -> Option<String> {
    find(selector)
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .get_attribute(name)
}

/// Text of the elements that the `aria-describedby` of the element matching `selector`
/// names, joined by spaces: the accessible description, before whitespace is tidied.
pub fn description_of(selector: &str) -> String {
    let ids = attribute(selector, "aria-describedby").unwrap_or_default();
    ids.split_whitespace()
        .map(|id| text_of(&format!("#{id}")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Fires a `keydown` of `key` (a KeyboardEvent key value such as "ArrowDown") at the element
/// matching `selector`, as pressing the key while it has focus would.
pub fn press_key(selector: &str, key: &str) {
    let element = find(selector).unwrap_or_else(|| panic!("no element matches {selector}"));
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
        .expect("a keyboard event can be created");
    element
        .dispatch_event(&event)
        .expect("dispatching an event succeeds");
}

fn dispatch(target: &web_sys::EventTarget, name: &str, bubbles: bool) {
    let init = EventInit::new();
    init.set_bubbles(bubbles);
    let event = Event::new_with_event_init_dict(name, &init).expect("an event can be created");
    target
        .dispatch_event(&event)
        .expect("dispatching an event succeeds");
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|window| window.document())
        .expect("a document")
}
