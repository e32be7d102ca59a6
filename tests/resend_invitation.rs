//! Guards Resend invitation on the user page: the backend's limit message, then the message
//! naming the recipient, after which the previous link no longer works. A second, rejected
//! resend replaces that message, so only the latest outcome is shown.

mod support;

use std::time::Duration;

use console::api;
use gloo_timers::future::sleep;
use support::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The backend sends one invitation a minute per user, and creation counts as one.
const RESEND_INTERVAL: Duration = Duration::from_secs(61);

#[wasm_bindgen_test]
async fn resend_is_limited_then_names_recipient() {
    sign_in_as_admin().await;
    let user = create_user(&valid_new_user(&unique_name("resend."))).await;
    let created_at = js_sys::Date::now();
    let first_token = invitation_token(&user.email).await;
    let _app = mount_app_at(&format!("/users/{}", user.id));
    wait_for(".user-actions").await;

    click_button("Resend invitation");
    wait_for(".user-actions .alert-error").await;
    let error = text_of(".user-actions .alert-error");
    assert!(
        error.contains("Too many invitations"),
        "the backend's limit message is shown, got {error:?}"
    );

    // Waits out the limit, which a backend option can't shorten.
    let waited = Duration::from_millis((js_sys::Date::now() - created_at) as u64);
    sleep(RESEND_INTERVAL.saturating_sub(waited)).await;
    click_button("Resend invitation");
    let expected = format!(
        "A new invitation was sent to {}. The previous link no longer works.",
        user.email
    );
    wait_until("the resend is announced", || {
        text_of(".status-message") == expected
    })
    .await;
    assert!(
        find(".user-actions .alert-error").is_none(),
        "the limit message is gone"
    );

    let messages = outbox(&user.email).await;
    assert_eq!(messages.len(), 2, "a second email was stored");
    let old_link = api::invitation_details(&first_token).await;
    assert_eq!(
        old_link.err().and_then(|error| error.status()),
        Some(410),
        "the first link no longer works"
    );

    click_button("Resend invitation");
    wait_for(".user-actions .alert-error").await;
    assert_eq!(
        text_of(".status-message"),
        "",
        "the earlier success message is gone"
    );
}
