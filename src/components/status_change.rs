//! The deactivate or reactivate confirmation, used by the users list and the user page, and
//! the message that announces the change.

use domain::{User, UserStatus};
use leptos::prelude::*;

use crate::api;
use crate::components::confirm_dialog::ConfirmDialog;
use crate::error::ClientError;

/// Returns the sentence that announces a status change of `user`, as changed.
pub fn status_changed_message(user: &User) -> String {
    match user.status {
        UserStatus::Active => format!(
            "{} was reactivated and can sign in again.",
            user.full_name()
        ),
        // The backend emails a new invitation when it returns a user to invited.
        UserStatus::Invited => format!(
            "{} was reactivated and still needs to set a password. A new invitation was sent \
             to {}.",
            user.full_name(),
            user.email
        ),
        UserStatus::Deactivated => {
            // Said of active and invited users alike, because the returned user doesn't tell which
            // one the user was.
            format!(
                "{} was deactivated. They can't sign in or use an invitation link until they \
                 are reactivated.",
                user.full_name()
            )
        }
    }
}

/// Asks before deactivating or reactivating `user`, then sends the change.
#[component]
pub fn StatusChangeDialog(
    user: User,
    #[prop(into)] on_changed: Callback<User>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let change_action = Action::new_local(|user: &User| change_status(user.clone()));

    Effect::new(move || {
        if let Some(Ok(user)) = change_action.value().get() {
            on_changed.run(user);
        }
    });

    let name = user.full_name();
    let (title, message, confirm_label) = match user.status {
        UserStatus::Active => (
            format!("Deactivate {name}?"),
            "They will no longer be able to sign in. Their username, roles and accounts are \
             kept."
                .to_owned(),
            "Deactivate",
        ),
        UserStatus::Invited => (
            format!("Deactivate {name}?"),
            "Their invitation link stops working, and they can't set a password until they are \
             reactivated. Their username, roles and accounts are kept."
                .to_owned(),
            "Deactivate",
        ),
        // NOTE: the user record does not say whether a password was ever set, so the
        // message covers both cases.
        UserStatus::Deactivated => (
            format!("Reactivate {name}?"),
            format!(
                "They will be able to sign in again, with the same username, roles and \
                 accounts. If they never set a password, a new invitation is sent to {}.",
                user.email
            ),
            "Reactivate",
        ),
    };
    let is_destructive = user.status != UserStatus::Deactivated;
    let error = Signal::derive(move || change_action.value().get().and_then(Result::err));

    view! {
        <ConfirmDialog
            title
            message
            confirm_label
            is_destructive
            is_busy=change_action.pending()
            error
            on_confirm=move || {
                if !change_action.pending().get_untracked() {
                    change_action.dispatch(user.clone());
                }
            }
            on_cancel
        />
    }
}

async fn change_status(user: User) -> Result<User, ClientError> {
    match user.status {
        UserStatus::Active | UserStatus::Invited => api::deactivate_user(user.id).await,
        UserStatus::Deactivated => api::reactivate_user(user.id).await,
    }
}
