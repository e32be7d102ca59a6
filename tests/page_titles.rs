//! Guards the document titles of the form pages: "Error: " leads the title of sign-in, add
//! user, edit user and set password while the form shows errors, and goes once they are
//! fixed. Screen readers read the title first, so with the prefix people learn at once that
//! the form needs fixing.

mod support;

use console::page_title::ERROR_PREFIX;
use support::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const SUBMIT: &str = "form.form button[type=submit]";

/// Waits until the document title is `page` with the product name, after `prefix`.
async fn wait_for_title(prefix: &str, page: &str) {
    let expected = format!("{prefix}{page} – Customer Portal");
    wait_until(&format!("the title is {expected:?}"), || {
        document_title() == expected
    })
    .await;
}

#[wasm_bindgen_test]
async fn sign_in_title_marks_errors() {
    sign_out().await;
    let _app = mount_app_at("/sign-in");
    wait_for("#field-username").await;
    wait_for_title("", "Sign in").await;

    click(SUBMIT);
    wait_for_title(ERROR_PREFIX, "Sign in").await;
    type_into("#field-username", &unique_name("nobody."));
    assert_eq!(
        document_title(),
        "Error: Sign in – Customer Portal",
        "the prefix stays while the password is still missing"
    );
    type_into("#field-password", "not-the-password-1");
    wait_for_title("", "Sign in").await;
    assert!(
        find("#password-error").is_none(),
        "filling the password removes its error"
    );

    click(SUBMIT);
    wait_until("the rejection is shown", || find(".alert-error").is_some()).await;
    wait_for_title(ERROR_PREFIX, "Sign in").await;
}

#[wasm_bindgen_test]
async fn add_user_title_marks_errors() {
    sign_in_as_admin().await;
    let _app = mount_app_at("/users/new");
    wait_for("#field-roles").await;
    wait_for("#field-account_ids").await;
    wait_for_title("", "Add user").await;

    click(SUBMIT);
    wait_for_title(ERROR_PREFIX, "Add user").await;
    let user = valid_new_user(&unique_name("title.add."));
    type_into("#field-username", &user.username);
    type_into("#field-first_name", &user.first_name);
    type_into("#field-last_name", &user.last_name);
    type_into("#field-email", &user.email);
    assert_eq!(
        document_title(),
        "Error: Add user – Customer Portal",
        "the prefix stays while no account is selected"
    );
    account_picker::pick_account("head office", 1).await;
    wait_for_title("", "Add user").await;
    assert!(
        find("#account_ids-error").is_none(),
        "selecting an account removes its error"
    );
}

#[wasm_bindgen_test]
async fn edit_user_title_marks_errors() {
    sign_in_as_admin().await;
    let user = create_user(&valid_new_user(&unique_name("title.edit."))).await;
    let _app = mount_app_at(&format!("/users/{}", user.id));
    wait_for("#field-email").await;
    wait_for_title("", "Test Person").await;

    type_into("#field-email", "test.person@");
    click(SUBMIT);
    wait_for_title(ERROR_PREFIX, "Test Person").await;
    type_into("#field-email", &user.email);
    wait_for_title("", "Test Person").await;

    type_into("#field-first_name", "Tessa");
    click(SUBMIT);
    wait_until("the change is saved", || {
        text_of("#save-status") == "Changes saved."
    })
    .await;
    wait_for_title("", "Tessa Person").await;
}

#[wasm_bindgen_test]
async fn set_password_title_marks_errors() {
    sign_in_as_admin().await;
    let user = create_user(&valid_new_user(&unique_name("title.set."))).await;
    let token = invitation_token(&user.email).await;
    sign_out().await;
    let _app = mount_app_at(&format!("/set-password#token={token}"));
    wait_for("#field-password").await;
    wait_for_title("", "Create a password").await;

    type_into("#field-password", "too-short");
    click(SUBMIT);
    wait_for_title(ERROR_PREFIX, "Create a password").await;
    type_into("#field-password", "Quiet-Meadow-Lantern-31");
    wait_for_title("", "Create a password").await;
    assert!(
        find("#password-error").is_none(),
        "a password that meets every rule removes the error"
    );
}
