//! The sign-in page (`/sign-in`), which returns to the page in `?next=` after success and
//! fills in the username given in `?username=`, as after a password was set.

use domain::{FieldErrors, SignIn, field};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api;
use crate::app_path::is_app_path;
use crate::aria::busy_state;
use crate::classes::BUTTON_PRIMARY;
use crate::components::error_summary::focus_element;
use crate::components::error_view::ErrorView;
use crate::components::text_field::{TextField, field_id};
use crate::contexts::flash::use_flash;
use crate::contexts::session::use_session;
use crate::error::ClientError;
use crate::page_title::track_form_page_title;

/// Page shown after sign-in when the link requested no other page.
const DEFAULT_PAGE: &str = "/users";

/// Path of the sign-in page that returns to `return_to` afterwards.
pub fn sign_in_path(return_to: &str) -> String {
    format!("/sign-in?next={}", js_sys::encode_uri_component(return_to))
}

/// Path of the sign-in page with `username` filled in.
pub fn sign_in_with_username_path(username: &str) -> String {
    format!(
        "/sign-in?username={}",
        js_sys::encode_uri_component(username)
    )
}

/// Returns `next` when it is a path of this app, so that a crafted link can't send people
/// to another site after they sign in.
fn return_path(next: Option<String>) -> String {
    next.filter(|path| is_app_path(path) && !path.starts_with("/sign-in"))
        .unwrap_or_else(|| DEFAULT_PAGE.to_owned())
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();

    let given_username = query.with_untracked(|query| query.get("username"));
    let has_given_username = given_username.is_some();
    let username = RwSignal::new(given_username.unwrap_or_default());
    let password = RwSignal::new(String::new());
    let (errors, set_errors) = signal(FieldErrors::new());

    let sign_in_action = Action::new_local(|credentials: &SignIn| {
        let credentials = credentials.clone();
        async move { api::sign_in(&credentials).await }
    });

    Effect::new(move || {
        if let Some(Ok(user)) = sign_in_action.value().get() {
            session.current_user.set(Some(user));
            let next = return_path(query.with_untracked(|query| query.get("next")));
            navigate(
                &next,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    });
    let has_errors = Signal::derive(move || {
        let is_rejected = sign_in_action
            .value()
            .with(|value| matches!(value, Some(Err(_))));
        is_rejected || errors.with(|errors| !errors.is_empty())
    });
    track_form_page_title("Sign in".to_owned(), has_errors, true);
    if has_given_username {
        request_animation_frame(|| focus_element(&field_id(field::PASSWORD)));
    }

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if sign_in_action.pending().get_untracked() {
            return;
        }
        let credentials = SignIn {
            username: username.get_untracked(),
            password: password.get_untracked(),
        };
        let missing = missing_fields(&credentials);
        let first_missing = [field::USERNAME, field::PASSWORD]
            .into_iter()
            .find(|name| missing.contains_key(*name));
        set_errors.set(missing);
        match first_missing {
            // Focus reads the field's label and, through its description, its error.
            Some(name) => request_animation_frame(move || focus_element(&field_id(name))),
            None => {
                sign_in_action.dispatch(credentials);
            }
        }
    };
    // Typing into a field that shows an error removes the error once the field is filled.
    let recheck = move || {
        let missing = missing_fields(&SignIn {
            username: username.get_untracked(),
            password: password.get_untracked(),
        });
        set_errors.update(|errors| errors.retain(|name, _| missing.contains_key(name)));
    };
    let field_error =
        move |name: &'static str| Signal::derive(move || errors.with(|e| e.get(name).cloned()));

    view! {
        <section class="page-section sign-in">
            <h1>"Sign in"</h1>
            <FlashMessage />
            {move || sign_in_action.value().get().and_then(Result::err).map(sign_in_error_view)}
            <form class="form" novalidate on:submit=on_submit>
                <TextField
                    name=field::USERNAME
                    label="Username"
                    autocomplete="username"
                    value=username
                    error=field_error(field::USERNAME)
                    on_input=recheck
                />
                <TextField
                    name=field::PASSWORD
                    label="Password"
                    input_type="password"
                    autocomplete="current-password"
                    value=password
                    error=field_error(field::PASSWORD)
                    on_input=recheck
                />
                <button type="submit" class=BUTTON_PRIMARY aria-disabled=move || busy_state(sign_in_action.pending().get())>
                    {move || if sign_in_action.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </section>
    }
}

/// Shows the message left by the page before, such as "Your password is set.", in a live
/// region that is on the page before the message arrives, so screen readers announce it.
#[component]
fn FlashMessage() -> impl IntoView {
    let flash = use_flash();

    let (message, set_message) = signal(None::<String>);
    flash.take_into(set_message);

    view! {
        <div class="flash-region" role="status">
            {move || message.get().map(|message| view! {
                <div class="alert alert-success">
                    <p class="alert-message">{message}</p>
                </div>
            })}
        </div>
    }
}

fn missing_fields(credentials: &SignIn) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if credentials.username.trim().is_empty() {
        errors.insert(
            field::USERNAME.to_owned(),
            "Enter your username.".to_owned(),
        );
    }
    if credentials.password.is_empty() {
        errors.insert(
            field::PASSWORD.to_owned(),
            "Enter your password.".to_owned(),
        );
    }
    errors
}

/// Renders one generic sentence for a 401, which reveals neither whether the username exists
/// nor which of the two values is wrong. Other errors, such as the 429 after too many
/// failures, show the backend's message.
fn sign_in_error_view(error: ClientError) -> impl IntoView {
    if error.is_unauthorized() {
        leptos::logging::log!("sign-in rejected: {error}");
        view! {
            <div class="alert alert-error" role="alert">
                <p class="alert-message">"The username or password is incorrect."</p>
            </div>
        }
        .into_any()
    } else {
        view! { <ErrorView error /> }.into_any()
    }
}
