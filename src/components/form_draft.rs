//! The add-user and edit-user drafts kept in the tab's sessionStorage when a save finds the
//! session ended, so that after signing in again the admin gets back what they typed.
//!
//! One draft is kept at a time, tagged with the admin who typed it and the form it belongs
//! to. Another admin signing in on the same tab never sees it: reading it as someone else
//! deletes it. The forms have no password fields, so no password is ever stored.

use std::time::Duration;

use domain::{AdminLevel, User};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::components::user_form::UserDraft;
use crate::contexts::flash::Flash;
use crate::contexts::session::Session;
use crate::pages::sign_in::sign_in_path;

/// sessionStorage key of the draft.
pub const STORAGE_KEY: &str = "console.form-draft";

/// Form name of the add-user form.
pub const ADD_USER_FORM: &str = "add-user";

/// Message of the sign-in page after a save found the session ended.
const SESSION_ENDED_MESSAGE: &str = "Your session has ended, so your changes were not saved. \
     Sign in again to go back to the form with what you typed.";

/// Message of the form once a kept draft is back in it.
pub const RESTORED_MESSAGE: &str =
    "What you typed before signing in again is back in the form. Check it, then save.";

/// Form name of the edit form of the user with `id`.
pub fn edit_user_form(id: i64) -> String {
    format!("edit-user-{id}")
}

#[derive(Serialize, Deserialize)]
struct StoredDraft {
    /// Id of the signed-in admin who typed the values.
    admin_id: i64,
    form: String,
    values: DraftValues,
    /// The user as the edit form opened it, so a save after signing in again still sends the
    /// version the edit started from; `None` for the add-user form.
    #[serde(default)]
    opened: Option<User>,
}

/// Every value of a [`UserDraft`], as stored.
#[derive(Serialize, Deserialize)]
struct DraftValues {
    admin_level: AdminLevel,
    username: String,
    first_name: String,
    last_name: String,
    email: String,
    work_phone: String,
    roles: Vec<String>,
    account_ids: Vec<i64>,
}

impl DraftValues {
    fn read(draft: &UserDraft) -> Self {
        Self {
            admin_level: draft.admin_level.get_untracked(),
            username: draft.username.get_untracked(),
            first_name: draft.first_name.get_untracked(),
            last_name: draft.last_name.get_untracked(),
            email: draft.email.get_untracked(),
            work_phone: draft.work_phone.get_untracked(),
            roles: draft.roles.get_untracked(),
            account_ids: draft.account_ids.get_untracked(),
        }
    }

    fn write_into(self, draft: &UserDraft) {
        draft.admin_level.set(self.admin_level);
        draft.username.set(self.username);
        draft.first_name.set(self.first_name);
        draft.last_name.set(self.last_name);
        draft.email.set(self.email);
        draft.work_phone.set(self.work_phone);
        draft.roles.set(self.roles);
        draft.account_ids.set(self.account_ids);
    }
}

fn session_storage() -> Option<web_sys::Storage> {
    window()
        .session_storage()
        .inspect_err(|error| leptos::logging::error!("could not open session storage: {error:?}"))
        .ok()
        .flatten()
}

/// Stores the values of `draft` as the draft of `form`, typed by `admin_id`, with the user as
/// the edit form opened it (`opened`).
pub fn store(admin_id: i64, form: &str, draft: &UserDraft, opened: Option<&User>) {
    let stored = StoredDraft {
        admin_id,
        form: form.to_owned(),
        values: DraftValues::read(draft),
        opened: opened.cloned(),
    };
    let text = stored
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| error.to_string())
        .and_then(|value| {
            js_sys::JSON::stringify(&value)
                .map(String::from)
                .map_err(|error| format!("{error:?}"))
        });
    let text = match text {
        Ok(text) => text,
        Err(error) => {
            leptos::logging::error!("could not serialise the {form} draft: {error}");
            return;
        }
    };
    if let Some(storage) = session_storage()
        && let Err(error) = storage.set_item(STORAGE_KEY, &text)
    {
        leptos::logging::error!("could not store the {form} draft: {error:?}");
    }
}

/// Puts the stored draft of `form` into `draft` when `admin_id` typed it, and returns the
/// user as the edit form opened it (`Some(None)` for the add-user form), or `None` when
/// nothing was restored. A draft of another admin is deleted; a draft of another form is kept.
pub fn restore(admin_id: i64, form: &str, draft: &UserDraft) -> Option<Option<User>> {
    let stored = read_stored()?;
    if stored.admin_id != admin_id {
        leptos::logging::log!("deleting a form draft of another admin");
        clear();
        return None;
    }
    if stored.form != form {
        return None;
    }
    stored.values.write_into(draft);
    Some(stored.opened)
}

fn read_stored() -> Option<StoredDraft> {
    let text = session_storage()?
        .get_item(STORAGE_KEY)
        .inspect_err(|error| leptos::logging::error!("could not read the form draft: {error:?}"))
        .ok()
        .flatten()?;
    let parsed = js_sys::JSON::parse(&text)
        .map_err(|error| format!("{error:?}"))
        .and_then(|value| serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string()));
    match parsed {
        Ok(stored) => Some(stored),
        Err(error) => {
            leptos::logging::error!("deleting a form draft that can't be read: {error}");
            clear();
            None
        }
    }
}

/// Deletes the stored draft, as after a successful save or when the admin discards it.
pub fn clear() {
    if let Some(storage) = session_storage()
        && let Err(error) = storage.remove_item(STORAGE_KEY)
    {
        leptos::logging::error!("could not delete the form draft: {error:?}");
    }
}

/// Keeps `draft` as the draft of `form` after a save got 401, marks the session ended, and
/// returns the sign-in path that leads back to the current page.
pub fn keep_for_sign_in(
    session: Session,
    flash: Flash,
    form: &str,
    draft: &UserDraft,
    opened: Option<&User>,
) -> String {
    match session
        .current_user
        .with_untracked(|user| user.as_ref().map(|user| user.id))
    {
        Some(admin_id) => store(admin_id, form, draft, opened),
        None => leptos::logging::warn!("no signed-in admin to keep the {form} draft for"),
    }
    leptos::logging::warn!("the session ended while saving the {form} form; signing in again");
    flash.set(SESSION_ENDED_MESSAGE.to_owned());
    let location = window().location();
    // The return path is inside the app, so it leaves out the base the app is hosted under.
    let pathname = location.pathname().unwrap_or_default();
    let return_to = format!(
        "{}{}",
        crate::base_path::strip(&pathname),
        location.search().unwrap_or_default()
    );
    sign_in_path(&return_to)
}

/// Marks the admin signed out once the router has left the form, so that the form is not
/// replaced by the rights message before the sign-in page appears.
pub fn end_session_after_navigation(session: Session) {
    set_timeout(
        move || {
            session.current_user.try_set(None);
        },
        Duration::ZERO,
    );
}

/// Says that a kept draft is back in the form, in a live region that is in the page before
/// its text arrives, so screen readers announce it.
#[component]
pub fn DraftRestoredNotice(is_restored: bool) -> impl IntoView {
    let message = RwSignal::new(None::<&'static str>);
    if is_restored {
        set_timeout(
            move || {
                message.try_set(Some(RESTORED_MESSAGE));
            },
            Duration::from_millis(100),
        );
    }

    view! {
        <p class="status-message draft-notice" role="status">
            {move || message.get()}
        </p>
    }
}
