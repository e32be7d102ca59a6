//! The app's side of the render bench: the users table of `console` (the same component as the
//! users list) mounted into `#app-table`, with functions that `harness.js` calls through
//! `window.wasmBindings` to show every loaded user or only those matching a term.

use std::cell::RefCell;

use console::components::user_table::UserTable;
use domain::User;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

thread_local! {
    /// Every user that `load_users` received.
    static LOADED: RefCell<Vec<User>> = const { RefCell::new(Vec::new()) };
    /// The users the table shows; `None` until `mount_table` runs.
    static SHOWN: RefCell<Option<RwSignal<Vec<User>>>> = const { RefCell::new(None) };
}

fn main() {
    console_error_panic_hook::set_once();
}

/// Mounts an empty users table into `container`, as an account admin sees it: every row
/// other than the admin's own (id 0 here, so none) gets a status switch.
#[wasm_bindgen]
pub fn mount_table(container: web_sys::HtmlElement) {
    let shown = RwSignal::new(Vec::<User>::new());
    SHOWN.with(|cell| *cell.borrow_mut() = Some(shown));
    let on_toggle = Some(Callback::new(|user: User| {
        leptos::logging::log!("status switch of {} pressed", user.username);
    }));
    // Like the users page, the table is built again whenever the list changes, and shows
    // nothing while the list is empty.
    let handle = leptos::mount::mount_to(container, move || {
        move || {
            let users = shown.get();
            (!users.is_empty()).then(|| view! { <UserTable users current_user_id=0 on_toggle /> })
        }
    });
    handle.forget();
}

/// Stores the users that `show_all` and `show_matching` draw from, given as the JSON objects
/// of the API's `User`.
#[wasm_bindgen]
pub fn load_users(users: JsValue) -> Result<usize, JsError> {
    let users: Vec<User> = serde_wasm_bindgen::from_value(users)
        .map_err(|error| JsError::new(&format!("the users are not valid: {error}")))?;
    let count = users.len();
    LOADED.with(|cell| *cell.borrow_mut() = users);
    Ok(count)
}

/// Shows every loaded user; the promise resolves once the table is in the DOM.
#[wasm_bindgen]
pub async fn show_all() -> Result<usize, JsError> {
    let users = LOADED.with(|cell| cell.borrow().clone());
    show(users).await
}

/// Shows the loaded users whose username, name or email contains `term`, ignoring case; the
/// promise resolves once the table is in the DOM.
#[wasm_bindgen]
pub async fn show_matching(term: String) -> Result<usize, JsError> {
    let term = term.to_lowercase();
    let users = LOADED.with(|cell| {
        cell.borrow()
            .iter()
            .filter(|user| matches_term(user, &term))
            .cloned()
            .collect()
    });
    show(users).await
}

/// Empties the table; the promise resolves once it is gone from the DOM.
#[wasm_bindgen]
pub async fn clear() -> Result<usize, JsError> {
    show(Vec::new()).await
}

fn matches_term(user: &User, term: &str) -> bool {
    [&user.username, &user.full_name(), &user.email]
        .iter()
        .any(|text| text.to_lowercase().contains(term))
}

async fn show(users: Vec<User>) -> Result<usize, JsError> {
    let shown = SHOWN
        .with(|cell| *cell.borrow())
        .ok_or_else(|| JsError::new("call mount_table first"))?;
    let count = users.len();
    shown.set(users);
    // The table's render effect runs on the next turn of Leptos's executor.
    leptos::task::tick().await;
    Ok(count)
}
