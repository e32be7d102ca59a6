//! The banner that says the app is offline or can't reach the server, in a live region at the
//! top of every page.
//!
//! The browser's `offline` and `online` events and `navigator.onLine` give the browser's view;
//! [`crate::api`] adds its own, because a fetch can fail while the browser believes it is
//! online. It reports each network failure and each response as a window event.

use leptos::prelude::*;

/// Window event that [`crate::api`] dispatches when a fetch fails with a network error.
pub const NETWORK_FAILURE_EVENT: &str = "console-network-failure";
/// Window event that [`crate::api`] dispatches when a fetch gets any response.
pub const NETWORK_RESPONSE_EVENT: &str = "console-network-response";

/// The app's connection to the backend, as the browser observes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    Online,
    /// The browser reports no network (`navigator.onLine` is false).
    Offline,
    /// The browser is online, but the latest request failed with a network error.
    Unreachable,
}

impl Connection {
    /// Banner text, or `None` when there is nothing to report.
    pub fn message(self) -> Option<&'static str> {
        match self {
            Connection::Online => None,
            Connection::Offline => Some(
                "You are offline. What you type stays in the form. Save again once the \
                 connection is back.",
            ),
            Connection::Unreachable => Some(
                "Can't reach the server. Check your connection. What you type stays in the \
                 form, and you can try again.",
            ),
        }
    }
}

/// Dispatches `name` as a plain event on the window, for the banner to hear.
pub fn notify(name: &str) {
    let event = match web_sys::Event::new(name) {
        Ok(event) => event,
        Err(error) => {
            leptos::logging::warn!("could not create the {name} event: {error:?}");
            return;
        }
    };
    if let Err(error) = window().dispatch_event(&event) {
        leptos::logging::warn!("could not dispatch the {name} event: {error:?}");
    }
}

fn browser_is_online() -> bool {
    window().navigator().on_line()
}

/// Renders the banner; mount it once, above the pages.
#[component]
pub fn ConnectionBanner() -> impl IntoView {
    let initial = if browser_is_online() {
        Connection::Online
    } else {
        Connection::Offline
    };
    let connection = RwSignal::new(initial);

    let handles = [
        window_event_listener_untyped("offline", move |_| {
            leptos::logging::warn!("the browser went offline");
            connection.set(Connection::Offline);
        }),
        window_event_listener_untyped("online", move |_| {
            leptos::logging::log!("the browser is online again");
            connection.set(Connection::Online);
        }),
        window_event_listener_untyped(NETWORK_FAILURE_EVENT, move |_| {
            let state = if browser_is_online() {
                Connection::Unreachable
            } else {
                Connection::Offline
            };
            connection.set(state);
        }),
        window_event_listener_untyped(NETWORK_RESPONSE_EVENT, move |_| {
            if connection.get_untracked() == Connection::Unreachable {
                connection.set(Connection::Online);
            }
        }),
    ];
    on_cleanup(move || handles.into_iter().for_each(|handle| handle.remove()));

    view! {
        <div class="connection-region" role="status" aria-live="polite">
            {move || {
                connection
                    .get()
                    .message()
                    .map(|message| {
                        view! {
                            <div class="alert alert-warning connection-banner">
                                <p class="alert-message">{message}</p>
                            </div>
                        }
                    })
            }}
        </div>
    }
}
