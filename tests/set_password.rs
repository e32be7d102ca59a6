//! Guards the set-password page against the real backend: the live checklist of password
//! rules, setting the password and signing in with it, and the pages for used, unknown and
//! incomplete invitation links. It also covers a new link pasted into the same tab and a
//! reload after the token left the address. Every test runs signed out, as invited users are.

mod support;

use console::api;
use console::pages::set_password::TOKEN_STORAGE_KEY;
use domain::{InvitationAccept, NewUser, SignIn};
use support::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const GOOD_PASSWORD: &str = "Correct-Horse-Battery-42";

/// Creates an invited user as the admin, signs out, and returns the user and their token.
async fn invite_user(prefix: &str) -> (NewUser, String) {
    sign_in_as_admin().await;
    let username = unique_name(prefix);
    let user = NewUser {
        first_name: "Nadia".to_owned(),
        last_name: "Okafor".to_owned(),
        ..valid_new_user(&username)
    };
    create_user(&user).await;
    let token = invitation_token(&user.email).await;
    sign_out().await;
    (user, token)
}

fn session_storage() -> web_sys::Storage {
    web_sys::window()
        .expect("window")
        .session_storage()
        .expect("session storage is allowed")
        .expect("the window has session storage")
}

fn stored_token() -> Option<String> {
    session_storage()
        .get_item(TOKEN_STORAGE_KEY)
        .expect("session storage is readable")
}

fn rule_class(rule: &str) -> String {
    find(&format!("li[data-rule='{rule}']"))
        .and_then(|item| item.get_attribute("class"))
        .unwrap_or_else(|| panic!("the checklist has no {rule} rule"))
}

fn unmet_rules() -> Vec<String> {
    find_all("li.rule-unmet")
        .into_iter()
        .filter_map(|item| item.get_attribute("data-rule"))
        .collect()
}

#[wasm_bindgen_test]
async fn checklist_follows_typing_and_password_is_set() {
    let (user, token) = invite_user("setpw.").await;
    let _app = mount_app_at(&format!("/set-password#token={token}"));
    wait_for("#field-password").await;

    let heading = text_of("h1");
    assert_eq!(
        heading,
        format!("Create a password for {}", user.username),
        "the heading names the user"
    );
    assert_eq!(current_path(), "/set-password", "the app stays signed out");
    let hash = web_sys::window().unwrap().location().hash().unwrap();
    assert_eq!(hash, "", "the token is removed from the address");
    let username_input = find("input[autocomplete=username]").expect("a username input");
    assert_eq!(
        username_input.get_attribute("value").as_deref(),
        Some(user.username.as_str()),
        "password managers get the username"
    );
    let password_input = find("#field-password").unwrap();
    assert_eq!(
        password_input.get_attribute("autocomplete").as_deref(),
        Some("new-password")
    );

    click(".password-toggle");
    wait_until("the password is shown", || {
        find("#field-password")
            .and_then(|input| input.get_attribute("type"))
            .as_deref()
            == Some("text")
    })
    .await;
    assert_eq!(
        find(".password-toggle")
            .and_then(|b| b.get_attribute("aria-pressed"))
            .as_deref(),
        Some("true"),
        "the toggle is marked pressed"
    );

    type_into(
        "#field-password",
        &format!("My-{}-Secret-99", user.username),
    );
    wait_until("the username rule is unmet", || {
        rule_class("no-username").contains("rule-unmet")
    })
    .await;
    assert!(
        rule_class("min-length").contains("rule-met"),
        "the length rule is met"
    );
    let unmet_text = text_of("li[data-rule='no-username']");
    assert!(
        unmet_text.contains('✗') && unmet_text.contains("(not met)"),
        "an unmet rule shows a cross and says so, got {unmet_text:?}"
    );
    wait_until("the summary is announced", || {
        text_of("#password-rules-status").contains("requirements met")
    })
    .await;

    type_into("#field-password", GOOD_PASSWORD);
    wait_until("every rule is met", || unmet_rules().is_empty()).await;
    let rule_count = find_all("li.rule").len();
    wait_until("the summary says all are met", || {
        text_of("#password-rules-status")
            == format!("{rule_count} of {rule_count} requirements met")
    })
    .await;

    click("button[type=submit]");
    wait_until("the app moves to sign-in", || {
        current_path().starts_with("/sign-in")
    })
    .await;
    wait_for(".alert-success").await;
    assert_eq!(
        text_of(".alert-success"),
        format!(
            "Your password is set. Sign in with username {}.",
            user.username
        ),
        "sign-in confirms the password"
    );
    assert_eq!(
        input_value("#field-username"),
        user.username,
        "the username is filled in"
    );

    let credentials = SignIn {
        username: user.username.clone(),
        password: GOOD_PASSWORD.to_owned(),
    };
    let signed_in = api::sign_in(&credentials)
        .await
        .expect("the new password signs in");
    assert_eq!(signed_in.username, user.username);
}

#[wasm_bindgen_test]
async fn short_password_is_rejected_at_the_field() {
    let (_user, token) = invite_user("setpw.short.").await;
    let _app = mount_app_at(&format!("/set-password#token={token}"));
    wait_for("#field-password").await;

    type_into("#field-password", "short");
    click("button[type=submit]");
    wait_for("#password-error").await;

    let error = text_of("#password-error");
    assert!(
        error.contains("At least 12 characters"),
        "the error names the unmet rule, got {error:?}"
    );
    assert_eq!(current_path(), "/set-password", "the page stays");
}

#[wasm_bindgen_test]
async fn used_link_shows_it_no_longer_works() {
    let (_user, token) = invite_user("setpw.used.").await;
    let app = mount_app_at(&format!("/set-password#token={token}"));
    wait_for("#field-password").await;
    let accept = InvitationAccept {
        token: token.clone(),
        password: GOOD_PASSWORD.to_owned(),
    };
    api::accept_invitation(&accept)
        .await
        .expect("the first use of the link works");
    drop(app);

    let _app = mount_app_at(&format!("/set-password#token={token}"));
    wait_for(".invalid-link").await;

    assert_eq!(text_of("h1"), "This link no longer works");
    let message = text_of(".invalid-link");
    assert!(
        message.contains("already used"),
        "the backend's reason is shown, got {message:?}"
    );
    assert!(
        message.contains("send a new invitation"),
        "the page says what to do, got {message:?}"
    );
    assert!(
        find("a[href='/sign-in']").is_some(),
        "the page links to sign-in"
    );
    assert_eq!(
        current_path(),
        "/set-password",
        "the page does not redirect"
    );
}

#[wasm_bindgen_test]
async fn unknown_link_shows_it_does_not_work() {
    sign_out().await;
    let token = format!("{}{}", unique_name("0"), "ab".repeat(26));
    let _app = mount_app_at(&format!("/set-password#token={token}"));
    wait_for(".invalid-link").await;

    assert_eq!(text_of("h1"), "This link doesn't work");
    let message = text_of(".invalid-link");
    assert!(
        message.contains("not valid"),
        "the backend's reason is shown, got {message:?}"
    );
    assert!(
        message.contains("Ask your account admin to send a new invitation."),
        "the page says what to do, got {message:?}"
    );
    assert!(
        find("a[href='/sign-in']").is_some(),
        "the page links to sign-in"
    );
}

#[wasm_bindgen_test]
async fn link_without_token_shows_it_does_not_work() {
    sign_out().await;
    session_storage()
        .remove_item(TOKEN_STORAGE_KEY)
        .expect("session storage is writable");
    let _app = mount_app_at("/set-password");
    wait_for(".invalid-link").await;

    assert_eq!(text_of("h1"), "This link doesn't work");
    let message = text_of(".invalid-link");
    assert!(
        message.contains("Ask your account admin to send a new invitation."),
        "the page says what to do, got {message:?}"
    );
}

#[wasm_bindgen_test]
async fn pasted_link_replaces_rejected_one() {
    let (user, token) = invite_user("setpw.hash.").await;
    let unknown = format!("{}{}", unique_name("0"), "cd".repeat(26));
    let _app = mount_app_at(&format!("/set-password#token={unknown}"));
    wait_for(".invalid-link").await;
    assert_eq!(stored_token(), None, "a rejected token is not kept");

    let location = web_sys::window().unwrap().location();
    location
        .set_hash(&format!("token={token}"))
        .expect("the fragment can be changed");
    wait_for("#field-password").await;

    assert_eq!(
        text_of("h1"),
        format!("Create a password for {}", user.username),
        "the page follows the new link"
    );
    assert!(
        find(".invalid-link").is_none(),
        "the old link's error is gone"
    );
    assert_eq!(
        location.hash().unwrap(),
        "",
        "the new token is removed from the address"
    );
    assert_eq!(current_path(), "/set-password", "the page stays");
}

#[wasm_bindgen_test]
async fn stored_token_survives_reload() {
    let (user, token) = invite_user("setpw.reload.").await;
    let app = mount_app_at(&format!("/set-password#token={token}"));
    wait_for("#field-password").await;
    assert_eq!(
        stored_token().as_deref(),
        Some(token.as_str()),
        "the tab keeps the token taken from the address"
    );
    drop(app);

    // Mounting again without a fragment is what reloading the cleaned address does.
    let _app = mount_app_at("/set-password");
    wait_for("#field-password").await;
    assert_eq!(
        text_of("h1"),
        format!("Create a password for {}", user.username),
        "the stored token shows the form"
    );

    type_into("#field-password", GOOD_PASSWORD);
    click("button[type=submit]");
    wait_until("the password is set", || {
        current_path().starts_with("/sign-in")
    })
    .await;
    assert_eq!(
        stored_token(),
        None,
        "the token is forgotten once the password is set"
    );
}
