//! The set-password page (`/set-password#token=<hex>`), which invited users reach through the
//! link of their invitation email. It works without a session.
//!
//! The token is read from the URL fragment, which browsers never send to a server, and is
//! then removed from the address bar so that it does not stay in the browser history. The tab's
//! session storage keeps it until the password is set or the backend rejects the link, so
//! reloading the page still works, and pasting a new link into the tab replaces it.

use crate::base_path;
use domain::{
    ApiError, InvitationAccept, InvitationDetails, PasswordContext, field, validate_password,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsValue;

use crate::api;
use crate::aria::busy_state;
use crate::classes::BUTTON_PRIMARY;
use crate::components::error_summary::focus_element;
use crate::components::error_view::ErrorView;
use crate::components::password_checklist::PasswordChecklist;
use crate::components::password_field::PasswordField;
use crate::components::text_field::field_id;
use crate::contexts::flash::use_flash;
use crate::error::ClientError;
use crate::format::format_timestamp;
use crate::page_title::{set_page_title, track_form_page_title};
use crate::pages::sign_in::sign_in_with_username_path;

/// Shown for a link without a token, worded like the backend's message for an unknown one.
const MISSING_TOKEN: &str = "This invitation link is not valid. Check that you opened the \
     whole link from the email.";
const ASK_FOR_INVITATION: &str = "Ask your account admin to send a new invitation.";
const RULES_ID: &str = "password-rules";
/// Session-storage key of the token taken from the address, kept per tab.
pub const TOKEN_STORAGE_KEY: &str = "invitation-token";

#[component]
pub fn SetPasswordPage() -> impl IntoView {
    let (token, set_token) = signal(take_invitation_token());

    let details_resource = LocalResource::new(move || {
        let token = token.get();
        async move { look_up(token).await }
    });

    // A link pasted into this tab changes only the fragment, which does not reload the page.
    let hashchange_handle = window_event_listener(leptos::ev::hashchange, move |_| {
        let path = window().location().pathname().unwrap_or_default();
        if base_path::strip(&path) == "/set-password" {
            set_token.set(take_invitation_token());
        }
    });
    on_cleanup(move || hashchange_handle.remove());
    set_page_title("Create a password");

    view! {
        <section class="page-section set-password">
            <Suspense fallback=|| view! { <p class="loading" role="status">"Checking your invitation link…"</p> }>
                {move || Suspend::new(async move {
                    match details_resource.await {
                        Ok((token, details)) => view! { <SetPasswordForm token details /> }.into_any(),
                        Err(error) if is_link_error(&error) => view! { <InvalidLink error /> }.into_any(),
                        Err(error) => view! {
                            <h1>"Create a password"</h1>
                            <ErrorView error on_retry=move || details_resource.refetch() />
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Looks up the invitation of `token`; a missing token fails like an unknown one (404).
async fn look_up(token: Option<String>) -> Result<(String, InvitationDetails), ClientError> {
    let Some(token) = token else {
        return Err(ClientError::Api {
            status: 404,
            error: ApiError::new(MISSING_TOKEN),
        });
    };
    let details = api::invitation_details(&token)
        .await
        .inspect_err(forget_rejected_token)?;
    Ok((token, details))
}

/// Forgets the stored token when the backend rejected the link as unknown, used or expired.
fn forget_rejected_token(error: &ClientError) {
    if is_link_error(error) {
        forget_stored_token();
    }
}

/// Returns whether the backend rejected the link itself: unknown (404) or no longer valid (410).
fn is_link_error(error: &ClientError) -> bool {
    matches!(error.status(), Some(404 | 410))
}

/// Reads the token from the `#token=` fragment of the address and stores it for the tab, then
/// removes the fragment. Without a fragment, returns the token stored earlier in this tab.
fn take_invitation_token() -> Option<String> {
    let location = window().location();
    let hash = location
        .hash()
        .inspect_err(|error| leptos::logging::error!("could not read the address: {error:?}"))
        .ok()?;
    if hash.is_empty() {
        return stored_token();
    }
    let token = token_from_fragment(&hash);
    match &token {
        Some(token) => store_token(token),
        None => forget_stored_token(),
    }
    remove_fragment(&location);
    token
}

fn session_storage() -> Option<web_sys::Storage> {
    window()
        .session_storage()
        .inspect_err(|error| leptos::logging::error!("could not open session storage: {error:?}"))
        .ok()
        .flatten()
}

fn stored_token() -> Option<String> {
    session_storage()?
        .get_item(TOKEN_STORAGE_KEY)
        .inspect_err(|error| leptos::logging::error!("could not read the stored token: {error:?}"))
        .ok()
        .flatten()
        .filter(|token| !token.is_empty())
}

fn store_token(token: &str) {
    if let Some(storage) = session_storage()
        && let Err(error) = storage.set_item(TOKEN_STORAGE_KEY, token)
    {
        leptos::logging::error!("could not store the token: {error:?}");
    }
}

fn forget_stored_token() {
    if let Some(storage) = session_storage()
        && let Err(error) = storage.remove_item(TOKEN_STORAGE_KEY)
    {
        leptos::logging::error!("could not remove the stored token: {error:?}");
    }
}

/// Returns the value of `token=` in a fragment such as `#token=ab12`, or `None` when it is
/// missing or empty.
pub fn token_from_fragment(fragment: &str) -> Option<String> {
    fragment
        .trim_start_matches('#')
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
}

fn remove_fragment(location: &web_sys::Location) {
    let path = location.pathname().unwrap_or_default() + &location.search().unwrap_or_default();
    let result = window()
        .history()
        .and_then(|history| history.replace_state_with_url(&JsValue::NULL, "", Some(&path)));
    if let Err(error) = result {
        leptos::logging::error!("could not remove the token from the address: {error:?}");
    }
}

/// Says why the link does not work and what to do, with the backend's message.
#[component]
fn InvalidLink(error: ClientError) -> impl IntoView {
    leptos::logging::log!("invitation link rejected: {error}");
    let message = error.message();
    let heading = if error.status() == Some(410) {
        "This link no longer works"
    } else {
        "This link doesn't work"
    };
    // The reference backend's messages already tell people what to do, but other backends'
    // messages may not.
    let advice = (!message.contains("new invitation")).then_some(ASK_FOR_INVITATION);
    set_page_title(heading);

    view! {
        <h1>{heading}</h1>
        <div class="alert alert-error invalid-link" role="alert">
            <p class="alert-message">{message}</p>
            {advice.map(|advice| view! { <p>{advice}</p> })}
        </div>
        <p>
            <a href=base_path::href("/sign-in")>"Go to sign-in"</a>
        </p>
    }
}

/// While the password shows an error, checks the rules again after each keystroke, so the
/// error changes with the typing and goes once every rule is met.
fn recheck_while_invalid(
    password: RwSignal<String>,
    password_error: ReadSignal<Option<String>>,
    set_password_error: WriteSignal<Option<String>>,
    context: PasswordContext,
) {
    Effect::new(move || {
        let typed = password.get();
        if password_error.with_untracked(Option::is_some) {
            set_password_error.set(validate_password(&typed, &context).err());
        }
    });
}

/// Renders the password input, its checklist and the submit button for a valid invitation.
#[component]
fn SetPasswordForm(token: String, details: InvitationDetails) -> impl IntoView {
    let flash = use_flash();
    let navigate = use_navigate();

    let password = RwSignal::new(String::new());
    let (password_error, set_password_error) = signal(None::<String>);

    let accept_action = Action::new_local(|accept: &InvitationAccept| {
        let accept = accept.clone();
        async move { api::accept_invitation(&accept).await }
    });

    let context = details.password_context();
    let username = details.username.clone();
    Effect::new(move || match accept_action.value().get() {
        Some(Ok(())) => {
            forget_stored_token();
            flash.set(format!(
                "Your password is set. Sign in with username {username}."
            ));
            navigate(
                &sign_in_with_username_path(&username),
                NavigateOptions::default(),
            );
        }
        Some(Err(error)) => {
            forget_rejected_token(&error);
            if let Some(message) = error.field_errors().remove(field::PASSWORD) {
                set_password_error.set(Some(message));
                focus_element(&field_id(field::PASSWORD));
            }
        }
        None => {}
    });
    let link_error = Memo::new(move |_| {
        accept_action
            .value()
            .get()
            .and_then(Result::err)
            .filter(is_link_error)
    });
    let form_error = move || {
        accept_action
            .value()
            .get()
            .and_then(Result::err)
            .filter(|error| !is_link_error(error) && error.field_errors().is_empty())
    };
    let has_errors =
        Signal::derive(move || password_error.with(Option::is_some) || form_error().is_some());
    let is_form_shown = Signal::derive(move || link_error.with(Option::is_none));
    track_form_page_title("Create a password".to_owned(), has_errors, is_form_shown);
    recheck_while_invalid(
        password,
        password_error,
        set_password_error,
        context.clone(),
    );

    let submit_context = context.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if accept_action.pending().get_untracked() {
            return;
        }
        let chosen = password.get_untracked();
        match validate_password(&chosen, &submit_context) {
            Err(message) => {
                set_password_error.set(Some(message));
                focus_element(&field_id(field::PASSWORD));
            }
            Ok(()) => {
                set_password_error.set(None);
                accept_action.dispatch(InvitationAccept {
                    token: token.clone(),
                    password: chosen,
                });
            }
        }
    };

    view! {
        <Show
            when=move || link_error.with(Option::is_none)
            fallback=move || link_error.get().map(|error| view! { <InvalidLink error /> })
        >
            <h1>{format!("Create a password for {}", details.username)}</h1>
            <p class="page-intro">
                {format!(
                    "Your username is {}. This link works until {}.",
                    details.username,
                    format_timestamp(&details.expires_at),
                )}
            </p>
            {move || form_error().map(|error| view! { <ErrorView error /> })}
            <form class="form" novalidate on:submit=on_submit.clone()>
                // Lets password managers store the new password with the username.
                <input type="text" name="username" autocomplete="username" value=details.username.clone() readonly hidden />
                <PasswordField name=field::PASSWORD label="New password" value=password error=password_error rules_id=RULES_ID />
                <PasswordChecklist id=RULES_ID password context=context.clone() />
                <div class="form-actions">
                    <button type="submit" class=BUTTON_PRIMARY aria-disabled=move || busy_state(accept_action.pending().get())>
                        {move || if accept_action.pending().get() { "Setting password…" } else { "Set password" }}
                    </button>
                </div>
            </form>
        </Show>
    }
}
