//! The result of a form's submit, shown right under its buttons, where the person pressed
//! one, rather than at the top of a long page.

use leptos::prelude::*;

use crate::components::error_view::ErrorView;
use crate::error::ClientError;

/// Id of the live region that reports a successful submit, such as "Changes saved."
pub const SAVE_STATUS_ID: &str = "save-status";

/// Renders the request error of the last submit, if any, and with `message` a live region
/// for its success. The region is in the page from the start, because screen readers may
/// skip a region that arrives with its text. The error view is an alert, which screen
/// readers announce on its own.
#[component]
pub fn SubmitResult(
    #[prop(into)] error: Signal<Option<ClientError>>,
    /// Success message of the last submit; without it the form shows no success here,
    /// as when a successful submit leaves the page.
    #[prop(optional, into)]
    message: Option<Signal<Option<String>>>,
    /// Sends the same values again; the error view offers it as "Try again".
    #[prop(optional, into)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <div class="submit-result">
            {message
                .map(|message| {
                    view! {
                        <p class="status-message" id=SAVE_STATUS_ID role="status">
                            {move || message.get()}
                        </p>
                    }
                })}
            {move || {
                error
                    .get()
                    .map(|error| match on_retry {
                        Some(on_retry) => view! { <ErrorView error on_retry /> }.into_any(),
                        None => view! { <ErrorView error /> }.into_any(),
                    })
            }}
        </div>
    }
}
