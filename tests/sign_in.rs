//! Guards signing in: pages that need a session send people to sign-in and back afterwards,
//! an empty field moves focus to itself on submit, and a wrong password gets one generic
//! message.

mod support;

use support::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn signed_out_visit_goes_to_sign_in_and_back() {
    sign_out().await;
    let _app = mount_app_at("/users/new");

    wait_until("the app moves to sign-in", || {
        current_path().starts_with("/sign-in")
    })
    .await;
    assert_eq!(
        current_path(),
        "/sign-in?next=%2Fusers%2Fnew",
        "sign-in remembers the page"
    );

    type_into("#field-username", "admin");
    type_into(
        "#field-password",
        option_env!("CONSOLE_TEST_ADMIN_PASSWORD").unwrap_or_default(),
    );
    click("button[type=submit]");
    wait_until("the app returns to the form", || {
        current_path() == "/users/new"
    })
    .await;
    wait_for("#field-username").await;
    let header = text_of(".app-header-name");
    assert_eq!(
        header, "Avery Lindqvist",
        "the header shows the signed-in user"
    );
}

#[wasm_bindgen_test]
async fn wrong_password_shows_generic_error() {
    sign_out().await;
    let _app = mount_app_at("/sign-in");
    wait_for("#field-username").await;

    type_into("#field-username", "admin");
    type_into("#field-password", "not-the-password");
    click("button[type=submit]");
    wait_until("the error is shown", || find(".alert-error").is_some()).await;

    let message = text_of(".alert-error");
    assert_eq!(
        message, "The username or password is incorrect.",
        "one generic message"
    );
    assert!(
        current_path().starts_with("/sign-in"),
        "the page stays on sign-in"
    );
}

#[wasm_bindgen_test]
async fn empty_submit_focuses_first_missing_field() {
    sign_out().await;
    let _app = mount_app_at("/sign-in");
    wait_for("#field-username").await;

    // Focused first, as a keyboard press or a click in most browsers leaves it.
    focus("button[type=submit]");
    click("button[type=submit]");
    wait_until("focus moves to the username", || {
        focused_id() == "field-username"
    })
    .await;
    let description = description_of("#field-username");
    assert!(
        description.contains("Enter your username."),
        "the focused field reads its error, got {description:?}"
    );

    type_into("#field-username", "admin");
    focus("button[type=submit]");
    click("button[type=submit]");
    wait_until("focus moves to the password", || {
        focused_id() == "field-password"
    })
    .await;
}

#[wasm_bindgen_test]
async fn unknown_path_shows_not_found_page() {
    let _app = mount_app_at("/no/such/page");

    wait_until("the not-found page is shown", || {
        text_of("h1") == "Page not found"
    })
    .await;
    let title = web_sys::window()
        .and_then(|window| window.document())
        .map(|document| document.title())
        .unwrap_or_default();
    assert!(
        title.starts_with("Page not found"),
        "the document title names the page, got {title:?}"
    );
}

#[wasm_bindgen_test]
async fn sign_out_ends_session_and_shows_sign_in() {
    sign_in_as_admin().await;
    let _app = mount_app_at("/users");
    wait_for("tr.user-row").await;

    assert_eq!(
        text_of(".app-header-user button"),
        "Sign out",
        "the header offers Sign out"
    );
    click(".app-header-user button");
    wait_until("the app moves to sign-in", || current_path() == "/sign-in").await;

    let session = console::api::current_user().await;
    assert!(
        matches!(session, Ok(None)),
        "the backend should name no user for the ended session, got {session:?}"
    );
    assert!(
        find(".app-header-name").is_none(),
        "the header no longer names a user"
    );
}

#[wasm_bindgen_test]
fn return_path_accepts_only_app_paths() {
    use console::app_path::is_app_path;

    for path in ["/users", "/users/42", "/users?q=ann&status=active", "/"] {
        assert!(is_app_path(path), "{path:?} is a path of the app");
    }
    let other_sites = [
        "//evil.example",
        "/\\evil.example",
        "/users\\..\\x",
        "https://evil.example/",
        "users",
        "",
        " /users",
        "/\tevil",
        "javascript:alert(1)",
    ];
    for path in other_sites {
        assert!(
            !is_app_path(path),
            "{path:?} must not be followed after sign-in"
        );
    }
}
