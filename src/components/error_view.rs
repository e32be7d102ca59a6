//! The one view that renders every request error, with an optional retry button.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::app_path::with_query;
use crate::base_path;
use crate::classes::BUTTON_SECONDARY;
use crate::contexts::session::Session;
use crate::error::ClientError;
use crate::pages::sign_in::sign_in_path;

/// Shows what failed and what to do next: retry, or sign in again after a 401.
///
/// Every error shown here is also logged to the browser console with its detail.
#[component]
pub fn ErrorView(
    error: ClientError,
    /// Called by the "Try again" button; without it the button is not shown.
    #[prop(optional, into)]
    on_retry: Option<Callback<()>>,
    /// Lists the backend's message for each field below the general one, for views that
    /// have no field of their own to show it at, such as a dialog or the export.
    #[prop(optional)]
    with_field_messages: bool,
) -> impl IntoView {
    let location = use_location();
    let session = use_context::<Session>();

    leptos::logging::warn!("request failed, showing the error: {error}");
    let is_unauthorized = error.is_unauthorized();
    if let Some(session) = session.filter(|_| is_unauthorized) {
        // The backend ended the session (signed out elsewhere, expired, or deactivated), so
        // the header must stop showing the user as signed in.
        Effect::new(move || session.current_user.set(None));
    }
    let return_to = with_query(
        base_path::strip(&location.pathname.get_untracked()),
        &location.search.get_untracked(),
    );

    let field_messages = with_field_messages
        .then(|| error.field_errors().into_values().collect::<Vec<_>>())
        .filter(|messages| !messages.is_empty())
        .map(|messages| {
            view! {
                <ul class="alert-details">
                    {messages.into_iter().map(|message| view! { <li>{message}</li> }).collect_view()}
                </ul>
            }
        });

    view! {
        <div class="alert alert-error" role="alert">
            <p class="alert-message">{error.message()}</p>
            {field_messages}
            {is_unauthorized
                .then(|| {
                    view! {
                        <p>
                            <a href=sign_in_path(&return_to)>"Sign in again"</a>
                        </p>
                    }
                })}
            {on_retry
                .filter(|_| !is_unauthorized)
                .map(|retry| {
                    view! {
                        <button type="button" class=BUTTON_SECONDARY on:click=move |_| retry.run(())>
                            "Try again"
                        </button>
                    }
                })}
        </div>
    }
}
