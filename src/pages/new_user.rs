//! The add-user form (`/users/new`), for account admins only.
//!
//! The rules of `domain::validate_new_user` run when a field is left and on submit. The
//! backend runs them again and also reports taken usernames and emails, which the form shows
//! at the same fields.

use crate::base_path;
use domain::{NewUser, Role, User, field, normalize_key, validate_new_user, validate_username};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::aria::busy_state;
use crate::classes::{BUTTON_PRIMARY, BUTTON_SECONDARY};
use crate::components::account_picker::AccountPicker;
use crate::components::breadcrumb::{Breadcrumb, Crumb};
use crate::components::error_summary::ErrorSummary;
use crate::components::form_draft::{self, ADD_USER_FORM, DraftRestoredNotice};
use crate::components::save_progress::SlowSaveNotice;
use crate::components::submit_result::SubmitResult;
use crate::components::unsaved_changes::UnsavedChangesGuard;
use crate::components::user_fields::{
    AdminLevelPicker, ContactFields, NameFields, RolesResource, RolesSection,
};
use crate::components::user_form::{FormErrors, UserDraft};
use crate::components::username_field::UsernameField;
use crate::contexts::flash::use_flash;
use crate::contexts::session::use_session;
use crate::page_title::{set_page_title, track_form_page_title};

#[component]
pub fn NewUserPage() -> impl IntoView {
    let session = use_session();

    // After a save finds the session ended, the form stays until the sign-in page replaces it.
    let is_signed_out = move || session.current_user.with(Option::is_none);
    set_page_title("Add user");

    view! {
        <section class="page-section">
            <Breadcrumb crumbs=vec![
                Crumb { label: "Account", href: None },
                Crumb { label: "Users", href: Some("/users") },
                Crumb { label: "Add user", href: None },
            ] />
            <h1>"Add user"</h1>
            <Show
                when=move || session.is_account_admin() || is_signed_out()
                fallback=|| {
                    view! {
                        <div class="alert alert-error" role="alert">
                            <p class="alert-message">"Only account admins can add users."</p>
                            <p>
                                <a href=base_path::href("/users")>"Back to users"</a>
                            </p>
                        </div>
                    }
                }
            >
                <NewUserForm />
            </Show>
        </section>
    }
}

#[component]
fn NewUserForm() -> impl IntoView {
    let flash = use_flash();
    let session = use_session();
    let navigate = use_navigate();

    let draft = UserDraft::new();
    let is_restored = session
        .current_user
        .with_untracked(|user| user.as_ref().map(|user| user.id))
        .is_some_and(|admin_id| form_draft::restore(admin_id, ADD_USER_FORM, &draft).is_some());
    // The username the availability check last found taken, with the backend's reason.
    let taken_username = RwSignal::new(None::<(String, String)>);
    let errors = FormErrors::new(move || {
        let new_user = draft.to_new_user();
        let mut fields = validate_new_user(&new_user).err().unwrap_or_default();
        if let Some(message) = taken_message(taken_username, &new_user.username) {
            fields.entry(field::USERNAME.to_owned()).or_insert(message);
        }
        fields
    });

    // A restored draft keeps its own roles instead of the defaults.
    let roles_resource = default_roles_resource(draft.roles, is_restored);
    select_only_account(draft.account_ids);
    // The attempt under way while a create is retried after a network failure.
    let retry_attempt = RwSignal::new(None::<u32>);
    // One Idempotency-Key per submission: sending the same values again, as the admin does
    // after a failure, reuses the key, so the backend can't create the user twice.
    let submission = StoredValue::new_local(None::<(NewUser, String)>);
    let save_action = Action::new_local(move |new_user: &NewUser| {
        let new_user = new_user.clone();
        let key = match submission.get_value() {
            Some((sent, key)) if sent == new_user => Ok(key),
            _ => api::new_idempotency_key().inspect(|key| {
                submission.set_value(Some((new_user.clone(), key.clone())));
            }),
        };
        async move {
            let on_retry = move |attempt| retry_attempt.set(Some(attempt));
            let result = match key {
                Ok(key) => api::create_user(&new_user, &key, on_retry).await,
                Err(error) => Err(error),
            };
            retry_attempt.set(None);
            result
        }
    });

    // Once saved, the typed values are stored, so leaving for the list must not ask.
    let is_saved = move || {
        save_action
            .value()
            .with(|value| matches!(value, Some(Ok(_))))
    };
    let is_dirty = Signal::derive(move || !is_saved() && draft.has_entries());
    Effect::new(move || match save_action.value().get() {
        Some(Ok(user)) => {
            form_draft::clear();
            flash.set(added_message(&user));
            navigate("/users", NavigateOptions::default());
        }
        Some(Err(error)) if error.is_unauthorized() => {
            let sign_in = form_draft::keep_for_sign_in(session, flash, ADD_USER_FORM, &draft, None);
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
            .filter(|error| error.field_errors().is_empty() && !error.is_unauthorized())
    });
    let has_errors = Signal::derive(move || errors.has_any() || form_error.with(Option::is_some));
    track_form_page_title("Add user".to_owned(), has_errors, true);
    errors.recheck_on_change(field::ACCOUNT_IDS, draft.account_ids);

    let submit = move || {
        if !save_action.pending().get_untracked() && errors.check_all() {
            save_action.dispatch(draft.to_new_user());
        }
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        submit();
    };
    // Cancel with nothing typed leaves at once; otherwise the guard asks, and its discard
    // deletes the kept draft.
    let on_cancel = move |_| {
        if !is_dirty.get_untracked() {
            form_draft::clear();
        }
    };

    view! {
        <DraftRestoredNotice is_restored />
        <ErrorSummary entries=errors.summary() node_ref=errors.summary_ref />
        <form class="form" novalidate on:submit=on_submit>
            <AdminLevelPicker
                selected=draft.admin_level
                error=errors.field_error(field::ADMIN_LEVEL)
            />
            <UsernameField
                value=draft.username
                error=errors.field_error(field::USERNAME)
                on_input=move || errors.recheck_if_invalid(field::USERNAME)
                on_blur=move || errors.check_field(field::USERNAME)
                on_unavailable=move |taken| {
                    taken_username.set(Some(taken));
                    errors.check_field(field::USERNAME);
                }
            />
            <NameFields draft errors />
            <ContactFields draft errors />
            <RolesSection roles_resource selected=draft.roles />
            <AccountPicker selected=draft.account_ids error=errors.field_error(field::ACCOUNT_IDS) />
            <UsernameReview username=draft.username error=errors.field_error(field::USERNAME) />
            <div class="form-actions">
                <button type="submit" class=BUTTON_PRIMARY aria-disabled=move || busy_state(save_action.pending().get())>
                    {move || match (save_action.pending().get(), retry_attempt.get()) {
                        (true, Some(_)) => "Retrying…",
                        (true, None) => "Adding user…",
                        (false, _) => "Add user",
                    }}
                </button>
                <a class=BUTTON_SECONDARY href=base_path::href("/users") on:click=on_cancel>
                    "Cancel"
                </a>
            </div>
            <p class="form-retry" role="status" id="create-retry-status">
                {move || {
                    retry_attempt
                        .get()
                        .map(|attempt| {
                            format!(
                                "Can't reach the server. Retrying (attempt {attempt} of {}); your entries are kept.",
                                api::CREATE_ATTEMPTS,
                            )
                        })
                }}
            </p>
        </form>
        <SlowSaveNotice pending=save_action.pending() />
        <SubmitResult error=form_error on_retry=submit />
        <UnsavedChangesGuard is_dirty on_discard=form_draft::clear />
    }
}

/// Returns the reason the availability check gave when `username` is the one it found taken.
fn taken_message(
    taken_username: RwSignal<Option<(String, String)>>,
    username: &str,
) -> Option<String> {
    taken_username.with_untracked(|taken| {
        taken
            .as_ref()
            .filter(|(taken, _)| normalize_key(taken) == normalize_key(username))
            .map(|(_, message)| message.clone())
    })
}

fn added_message(user: &User) -> String {
    format!(
        "User {} added. They will receive an email with their username and a link to create a \
         password.",
        user.username
    )
}

/// Loads the roles and, the first time, ticks those marked `enabled_by_default`, unless
/// `keep_selection` is set.
fn default_roles_resource(selected: RwSignal<Vec<String>>, keep_selection: bool) -> RolesResource {
    let is_initialised = StoredValue::new(keep_selection);
    LocalResource::new(move || async move {
        let result = api::roles().await;
        if let Ok(roles) = &result
            && !is_initialised.get_value()
        {
            selected.set(default_roles(roles));
            is_initialised.set_value(true);
        }
        result
    })
}

fn default_roles(roles: &[Role]) -> Vec<String> {
    roles
        .iter()
        .filter(|role| role.enabled_by_default)
        .map(|role| role.id.clone())
        .collect()
}

/// Selects the organisation's account when it has only one and nothing is selected yet. A
/// failure is only logged, because the picker shows its own when the admin searches.
fn select_only_account(selected: RwSignal<Vec<i64>>) {
    let query = api::AccountQuery {
        search: String::new(),
        after: None,
    };
    leptos::task::spawn_local(async move {
        match api::accounts(&query, None).await {
            Ok(page) => {
                if let [only] = page.accounts.as_slice()
                    && page.total == 1
                {
                    selected.try_update(|ids| {
                        if ids.is_empty() {
                            ids.push(only.id);
                        }
                    });
                }
            }
            Err(error) => leptos::logging::warn!("loading the first accounts failed: {error}"),
        }
    });
}

/// States the username that saving creates, and that it is permanent.
#[component]
fn UsernameReview(username: RwSignal<String>, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="review" id="username-review">
            {move || match validate_username(&username.get()).map_err(|_| ()) {
                Ok(_) if error.get().is_some() => {
                    "Fix the username to see the username that saving creates.".into_any()
                }
                Ok(valid) => view! {
                    "Saving creates the username "
                    <strong class="review-username">{valid}</strong>
                    ". It can't be changed later."
                }
                .into_any(),
                Err(()) => "Enter a valid username to see the username that saving creates."
                    .into_any(),
            }}
        </p>
    }
}
