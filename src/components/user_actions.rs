//! The account admin's actions on the user page: Resend invitation for invited users, and
//! Deactivate or Reactivate for everyone but the admin themselves.

use domain::{InvitationSent, User, UserStatus};
use leptos::prelude::*;

use crate::api;
use crate::aria::busy_state;
use crate::classes::{BUTTON_DANGER, BUTTON_SECONDARY};
use crate::components::error_summary::focus_element;
use crate::components::error_view::ErrorView;
use crate::components::status_change::{StatusChangeDialog, status_changed_message};
use crate::contexts::session::use_session;

const STATUS_BUTTON_ID: &str = "status-change-button";

/// Buttons acting on `user`; their outcome goes to `status_message`, and changes to `user`.
#[component]
pub fn UserActions(
    user: RwSignal<User>,
    status_message: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();

    let (is_dialog_open, set_is_dialog_open) = signal(false);

    let is_invited = move || user.with(|user| user.status == UserStatus::Invited);
    let is_self = move || {
        let current_id = session
            .current_user
            .with(|current| current.as_ref().map(|c| c.id));
        current_id == Some(user.with(|user| user.id))
    };
    let on_changed = Callback::new(move |changed: User| {
        status_message.set(Some(status_changed_message(&changed)));
        user.set(changed);
        set_is_dialog_open.set(false);
        request_animation_frame(|| focus_element(STATUS_BUTTON_ID));
    });
    let on_cancel = Callback::new(move |()| {
        set_is_dialog_open.set(false);
        request_animation_frame(|| focus_element(STATUS_BUTTON_ID));
    });

    view! {
        <div class="user-actions">
            <Show when=is_invited>
                <ResendInvitation user status_message />
            </Show>
            <Show when=move || !is_self()>
                <button
                    type="button"
                    id=STATUS_BUTTON_ID
                    class=move || status_button_class(user.with(|user| user.status))
                    on:click=move |_| set_is_dialog_open.set(true)
                >
                    {move || status_button_label(user.with(|user| user.status))}
                </button>
            </Show>
        </div>
        {move || {
            is_dialog_open
                .get()
                .then(|| view! { <StatusChangeDialog user=user.get_untracked() on_changed on_cancel /> })
        }}
    }
}

fn status_button_label(status: UserStatus) -> &'static str {
    match status {
        UserStatus::Active | UserStatus::Invited => "Deactivate user",
        UserStatus::Deactivated => "Reactivate user",
    }
}

fn status_button_class(status: UserStatus) -> &'static str {
    match status {
        UserStatus::Active | UserStatus::Invited => BUTTON_DANGER,
        UserStatus::Deactivated => BUTTON_SECONDARY,
    }
}

/// Sends a new invitation email, which replaces the older links, and reports where it went.
#[component]
fn ResendInvitation(
    user: RwSignal<User>,
    status_message: RwSignal<Option<String>>,
) -> impl IntoView {
    let resend_action = Action::new_local(|id: &i64| api::resend_invitation(*id));

    // Shows only the latest outcome, so a rejected resend also clears an earlier success.
    Effect::new(move || match resend_action.value().get() {
        Some(Ok(sent)) => status_message.set(Some(sent_message(&sent))),
        Some(Err(_)) => status_message.set(None),
        None => {}
    });
    let resend_error = move || resend_action.value().get().and_then(Result::err);

    view! {
        <button
            type="button"
            class=BUTTON_SECONDARY
            aria-disabled=move || busy_state(resend_action.pending().get())
            on:click=move |_| {
                if !resend_action.pending().get_untracked() {
                    resend_action.dispatch(user.with_untracked(|user| user.id));
                }
            }
        >
            {move || if resend_action.pending().get() { "Sending invitation…" } else { "Resend invitation" }}
        </button>
        {move || resend_error().map(|error| view! { <ErrorView error /> })}
    }
}

fn sent_message(sent: &InvitationSent) -> String {
    format!(
        "A new invitation was sent to {}. The previous link no longer works.",
        sent.recipient
    )
}
