//! The username input of the add-user form, which checks availability with the backend once
//! typing pauses.

use std::time::Duration;

use domain::{field, normalize_key, validate_username};
use leptos::prelude::*;

use crate::api::{self, LatestRequest};
use crate::components::text_field::TextField;
use crate::error::ClientError;

/// Pause after the last keystroke before the availability check is sent.
const AVAILABILITY_DELAY: Duration = Duration::from_millis(400);
const STATUS_ID: &str = "username-availability";

/// Result of the availability check for the text currently in the field.
#[derive(Clone, Debug, PartialEq)]
enum Availability {
    /// Nothing checked: the field is empty or breaks a rule, or typing has not paused yet.
    Unknown,
    Checking,
    Available,
    /// The backend's reason, such as "Username already exists."
    Unavailable(String),
    Failed(ClientError),
}

/// Username input with its hint, error and a polite live status of the availability check.
///
/// `on_unavailable` receives the username and the backend's reason when the check finds it
/// taken, so the form can treat it as a field error. While the field shows an error, the
/// status shows nothing, so one message is never shown twice. A taken username's reason
/// stays in the status as visually hidden text, though, because the field error is not a
/// live region and screen readers would not announce it while the person types. The input's
/// description leaves the status out meanwhile, so the reason is read once.
#[component]
pub fn UsernameField(
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(into)] on_input: Callback<()>,
    #[prop(into)] on_blur: Callback<()>,
    #[prop(into)] on_unavailable: Callback<(String, String)>,
) -> impl IntoView {
    let (availability, set_availability) = signal(Availability::Unknown);
    let timer = StoredValue::new(None::<TimeoutHandle>);

    let latest = LatestRequest::new();

    Effect::new(move || {
        let text = value.get();
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        latest.cancel();
        set_availability.set(Availability::Unknown);
        let Ok(username) = validate_username(&text) else {
            return;
        };
        let check =
            move || check_availability(username, value, latest, set_availability, on_unavailable);
        match set_timeout_with_handle(check, AVAILABILITY_DELAY) {
            Ok(handle) => timer.set_value(Some(handle)),
            Err(error) => {
                leptos::logging::error!("could not schedule the availability check: {error:?}")
            }
        }
    });
    on_cleanup(move || {
        if let Some(handle) = timer.try_get_value().flatten() {
            handle.clear();
        }
        latest.cancel();
    });

    view! {
        <TextField
            name=field::USERNAME
            label="Username"
            hint="3–64 characters: letters, digits, . _ - @. It can't be changed later."
            autocomplete="off"
            value
            error
            status_id=STATUS_ID
            on_input
            on_blur
        >
            <p class="availability" id=STATUS_ID role="status" aria-live="polite">
                {move || status_view(availability.get(), error.with(Option::is_some))}
            </p>
        </TextField>
    }
}

/// Sends the availability check and shows its result, unless the text changed meanwhile.
fn check_availability(
    username: String,
    value: RwSignal<String>,
    latest: LatestRequest,
    set_availability: WriteSignal<Availability>,
    on_unavailable: Callback<(String, String)>,
) {
    set_availability.set(Availability::Checking);
    let (abort, generation) = latest.start();
    leptos::task::spawn_local(async move {
        let result = api::username_availability(&username, abort.as_ref()).await;
        if !latest.is_latest(generation) {
            return;
        }
        let next = match result {
            Ok(answer) => {
                let current = value.try_get_untracked().unwrap_or_default();
                if normalize_key(&answer.username) != normalize_key(&current) {
                    return;
                }
                if answer.available {
                    Availability::Available
                } else {
                    let message = answer
                        .message
                        .unwrap_or_else(|| "This username can't be used.".to_owned());
                    on_unavailable.run((answer.username, message.clone()));
                    Availability::Unavailable(message)
                }
            }
            Err(ClientError::Aborted) => return,
            Err(error) => {
                leptos::logging::warn!("username availability check failed: {error}");
                Availability::Failed(error)
            }
        };
        set_availability.try_set(next);
    });
}

/// Renders the status: the availability, or, while `has_error` is true because the field
/// error shows the message, only a taken username's reason, for screen readers.
fn status_view(availability: Availability, has_error: bool) -> AnyView {
    match availability {
        Availability::Unavailable(message) if has_error => {
            view! { <span class="visually-hidden">{message}</span> }.into_any()
        }
        _ if has_error => ().into_any(),
        availability => availability_view(availability).into_any(),
    }
}

fn availability_view(availability: Availability) -> impl IntoView {
    match availability {
        Availability::Unknown => ().into_any(),
        Availability::Checking => {
            view! { <span class="availability-checking">"Checking…"</span> }.into_any()
        }
        Availability::Available => {
            view! { <span class="availability-available">"Available"</span> }.into_any()
        }
        Availability::Unavailable(message) => {
            view! { <span class="availability-taken">{message}</span> }.into_any()
        }
        Availability::Failed(error) => view! {
            <span class="availability-failed">
                {format!("Could not check the username: {}", error.message())}
            </span>
        }
        .into_any(),
    }
}
