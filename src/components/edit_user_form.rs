//! The edit form of the user page, for account admins: every field but the username, which
//! never changes. The rules of `domain::validate_user_update` run when a field is left and on
//! submit. The backend runs them again and also rejects an email that another user has. A
//! save sends the version the form started from; when someone else changed the user since,
//! the form shows their changes beside the admin's (`components::edit_conflict`).

use crate::base_path;
use domain::{User, UserUpdate, field, validate_user_update};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::aria::busy_state;
use crate::classes::{BUTTON_PRIMARY, BUTTON_SECONDARY};
use crate::components::account_picker::AccountPicker;
use crate::components::edit_conflict::{EditConflict, changed_fields, take_their_values};
use crate::components::error_summary::ErrorSummary;
use crate::components::form_draft::{self, DraftRestoredNotice};
use crate::components::save_progress::SlowSaveNotice;
use crate::components::submit_result::SubmitResult;
use crate::components::text_field::{field_id, hint_id};
use crate::components::unsaved_changes::UnsavedChangesGuard;
use crate::components::user_fields::{
    AdminLevelPicker, ContactFields, NameFields, RolesResource, RolesSection,
};
use crate::components::user_form::{FormErrors, UserDraft};
use crate::contexts::flash::use_flash;
use crate::contexts::session::use_session;
use crate::error::ClientError;
use crate::page_title::track_form_page_title;

/// Edits `user`. After a save, `user` contains the stored result, and the result shows under
/// the buttons. `status_message`, the live region at the top of the page, is emptied when
/// the form is sent, so that only the region under the buttons announces the result.
#[component]
pub fn EditUserForm(
    user: RwSignal<User>,
    status_message: RwSignal<Option<String>>,
    roles_resource: RolesResource,
) -> impl IntoView {
    let session = use_session();
    let flash = use_flash();
    let navigate = use_navigate();

    let saved_message = RwSignal::new(None::<String>);
    let draft = UserDraft::from_user(&user.get_untracked());
    let user_id = user.with_untracked(|user| user.id);
    let form_name = StoredValue::new(form_draft::edit_user_form(user_id));
    let restored = session
        .current_user
        .with_untracked(|admin| admin.as_ref().map(|admin| admin.id))
        .and_then(|admin_id| form_draft::restore(admin_id, &form_name.read_value(), &draft));
    let is_restored = restored.is_some();
    let errors = FormErrors::new(move || {
        validate_user_update(&draft.to_update())
            .err()
            .unwrap_or_default()
    });

    // The user as stored when someone else's change made the last save fail with 412.
    let conflict = RwSignal::new(None::<User>);
    // A draft kept across signing in again started from the user as it was then. When someone
    // else changed the user meanwhile, the form goes back to that base and shows their
    // changes at once, as a save would after a 412, instead of saving over them.
    if let Some(Some(opened)) = restored {
        let loaded = user.get_untracked();
        if opened.id == loaded.id && opened.version != loaded.version {
            user.set(opened);
            conflict.set(Some(loaded));
        }
    }

    // Sends the version the edit started from, so the backend rejects the save when someone
    // else changed the user since.
    let save_action = Action::new_local(move |(version, update): &(u64, UserUpdate)| {
        let (version, update) = (*version, update.clone());
        async move { api::update_user(user_id, version, &update).await }
    });

    let is_dirty = Memo::new(move |_| user.with(|user| draft.differs_from(user)));
    Effect::new(move || match save_action.value().get() {
        Some(Ok(saved)) => {
            form_draft::clear();
            draft.reset_to(&saved);
            update_session_name(session, &saved);
            user.set(saved);
            saved_message.set(Some("Changes saved.".to_owned()));
        }
        Some(Err(ClientError::VersionConflict { current, .. })) => conflict.set(Some(*current)),
        Some(Err(error)) if error.is_unauthorized() => {
            let sign_in = form_draft::keep_for_sign_in(
                session,
                flash,
                &form_name.read_value(),
                &draft,
                Some(&user.get_untracked()),
            );
            navigate(&sign_in, NavigateOptions::default());
            form_draft::end_session_after_navigation(session);
        }
        Some(Err(error)) if !error.field_errors().is_empty() => errors.show(error.field_errors()),
        Some(Err(_)) | None => {}
    });
    let form_error = Signal::derive(move || {
        save_action
            .value()
            .get()
            .and_then(Result::err)
            .filter(|error| {
                error.field_errors().is_empty()
                    && !error.is_unauthorized()
                    && !matches!(error, ClientError::VersionConflict { .. })
            })
    });
    // Both ways on make the stored user the new base, so the next save sends its version.
    let save_mine = Callback::new(move |()| {
        if let Some(current) = conflict.get_untracked() {
            let version = current.version;
            user.set(current);
            conflict.set(None);
            save_action.dispatch((version, draft.to_update()));
        }
    });
    let take_theirs = Callback::new(move |()| {
        if let Some(current) = conflict.get_untracked() {
            let opened = user.get_untracked();
            take_their_values(draft, &opened, &current);
            user.set(current);
            conflict.set(None);
        }
    });
    let conflict_view = move || {
        conflict.get().map(|current| {
            let changes = user.with_untracked(|opened| changed_fields(opened, &current, draft));
            view! { <EditConflict changes on_save_mine=save_mine on_take_theirs=take_theirs /> }
        })
    };
    let page_name = Signal::derive(move || user.with(User::full_name));
    let has_errors = Signal::derive(move || errors.has_any() || form_error.with(Option::is_some));
    track_form_page_title(page_name, has_errors, true);
    errors.recheck_on_change(field::ACCOUNT_IDS, draft.account_ids);

    let submit = move || {
        if !save_action.pending().get_untracked() && errors.check_all() {
            status_message.set(None);
            saved_message.set(None);
            conflict.set(None);
            let version = user.with_untracked(|user| user.version);
            save_action.dispatch((version, draft.to_update()));
        }
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submit();
    };
    // Cancel without changes leaves at once; otherwise the guard asks, and its discard
    // deletes the kept draft.
    let on_cancel = move |_| {
        if !is_dirty.get_untracked() {
            form_draft::clear();
        }
    };

    view! {
        <h2 class="section-title">"Edit user"</h2>
        <DraftRestoredNotice is_restored />
        <ErrorSummary entries=errors.summary() node_ref=errors.summary_ref />
        <form class="form" novalidate on:submit=on_submit>
            <ReadOnlyUsername username=user.with_untracked(|user| user.username.clone()) />
            <AdminLevelPicker
                selected=draft.admin_level
                error=errors.field_error(field::ADMIN_LEVEL)
            />
            <NameFields draft errors />
            <ContactFields draft errors />
            <RolesSection roles_resource selected=draft.roles />
            <AccountPicker selected=draft.account_ids error=errors.field_error(field::ACCOUNT_IDS) />
            <div class="form-actions">
                <button type="submit" class=BUTTON_PRIMARY aria-disabled=move || busy_state(save_action.pending().get())>
                    {move || if save_action.pending().get() { "Saving…" } else { "Save changes" }}
                </button>
                <a class=BUTTON_SECONDARY href=base_path::href("/users") on:click=on_cancel>
                    "Cancel"
                </a>
            </div>
        </form>
        {conflict_view}
        <SlowSaveNotice pending=save_action.pending() />
        <SubmitResult error=form_error message=saved_message on_retry=submit />
        <UnsavedChangesGuard is_dirty on_discard=form_draft::clear />
    }
}

/// Renders the username as a read-only input, like the other fields, with the reason it is
/// fixed.
#[component]
fn ReadOnlyUsername(username: String) -> impl IntoView {
    view! {
        <div class="field">
            <label class="field-label" for=field_id(field::USERNAME)>
                "Username"
            </label>
            <p class="field-hint" id=hint_id(field::USERNAME)>
                "Usernames can't be changed."
            </p>
            <input
                class="input"
                id=field_id(field::USERNAME)
                type="text"
                value=username
                readonly
                aria-describedby=hint_id(field::USERNAME)
            />
        </div>
    }
}

/// Keeps the header's name and the admin's rights in step when admins edit themselves.
fn update_session_name(session: crate::contexts::session::Session, saved: &User) {
    session.current_user.update(|current| {
        if let Some(current) = current
            && current.id == saved.id
        {
            current.first_name = saved.first_name.clone();
            current.last_name = saved.last_name.clone();
            current.admin_level = saved.admin_level;
        }
    });
}
