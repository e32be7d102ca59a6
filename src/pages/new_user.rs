//! The add-user form (`/users/new`), for account admins only.
//!
//! The rules of `domain::validate_new_user` run when a field is left and on submit. The
//! backend runs them again and also reports taken usernames and emails, which the form shows
//! at the same fields.

use domain::{
    Account, AdminLevel, FieldErrors, NewUser, Role, User, field, validate_new_user,
    validate_username,
};
use leptos::ev::SubmitEvent;
use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::classes::{BUTTON_PRIMARY, BUTTON_SECONDARY};
use crate::components::account_picker::AccountPicker;
use crate::components::breadcrumb::{Breadcrumb, Crumb};
use crate::components::error_summary::{ErrorSummary, SummaryEntry};
use crate::components::error_view::ErrorView;
use crate::components::role_picker::RolePicker;
use crate::components::text_field::{FieldError, TextField, field_id};
use crate::components::username_field::UsernameField;
use crate::contexts::flash::use_flash;
use crate::contexts::session::use_session;
use crate::page_title::set_page_title;

/// Fields in the order the form shows them, which is also the order of the error summary.
const FIELD_ORDER: [&str; 8] = [
    field::ADMIN_LEVEL,
    field::USERNAME,
    field::FIRST_NAME,
    field::LAST_NAME,
    field::EMAIL,
    field::WORK_PHONE,
    field::ROLES,
    field::ACCOUNT_IDS,
];

#[component]
pub fn NewUserPage() -> impl IntoView {
    let session = use_session();

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
                when=move || session.is_account_admin()
                fallback=|| {
                    view! {
                        <div class="alert alert-error" role="alert">
                            <p class="alert-message">"Only account admins can add users."</p>
                            <p>
                                <a href="/users">"Back to users"</a>
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

/// Values the admin has typed and ticked so far.
#[derive(Clone, Copy)]
struct Draft {
    admin_level: RwSignal<AdminLevel>,
    username: RwSignal<String>,
    first_name: RwSignal<String>,
    last_name: RwSignal<String>,
    email: RwSignal<String>,
    work_phone: RwSignal<String>,
    roles: RwSignal<Vec<String>>,
    account_ids: RwSignal<Vec<i64>>,
}

impl Draft {
    fn new() -> Self {
        Self {
            admin_level: RwSignal::new(AdminLevel::BasicUser),
            username: RwSignal::new(String::new()),
            first_name: RwSignal::new(String::new()),
            last_name: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            work_phone: RwSignal::new(String::new()),
            roles: RwSignal::new(Vec::new()),
            account_ids: RwSignal::new(Vec::new()),
        }
    }

    /// Builds the request body from the values as typed, because the backend trims and
    /// normalises them.
    fn to_new_user(self) -> NewUser {
        let work_phone = self.work_phone.get_untracked();
        NewUser {
            username: self.username.get_untracked(),
            first_name: self.first_name.get_untracked(),
            last_name: self.last_name.get_untracked(),
            email: self.email.get_untracked(),
            work_phone: (!work_phone.trim().is_empty()).then_some(work_phone),
            admin_level: self.admin_level.get_untracked(),
            roles: self.roles.get_untracked(),
            account_ids: self.account_ids.get_untracked(),
        }
    }
}

#[component]
fn NewUserForm() -> impl IntoView {
    let flash = use_flash();
    let navigate = use_navigate();

    let draft = Draft::new();
    let errors = RwSignal::new(FieldErrors::new());
    let (is_summary_shown, set_is_summary_shown) = signal(false);
    let summary_ref = NodeRef::<Div>::new();

    let save_action = Action::new_local(|new_user: &NewUser| {
        let new_user = new_user.clone();
        async move { api::create_user(&new_user).await }
    });

    let show_errors = move |fields: FieldErrors| {
        errors.set(fields);
        set_is_summary_shown.set(true);
        request_animation_frame(move || focus_summary(summary_ref));
    };
    Effect::new(move || match save_action.value().get() {
        Some(Ok(user)) => {
            flash.set(added_message(&user));
            navigate("/users", NavigateOptions::default());
        }
        Some(Err(error)) if !error.field_errors().is_empty() => show_errors(error.field_errors()),
        Some(Err(_)) | None => {}
    });

    // Runs the shared rules on the whole draft and keeps only this field's message, so each
    // field is checked exactly as on submit.
    let check_field = move |name: &'static str| {
        let message = validate_new_user(&draft.to_new_user())
            .err()
            .and_then(|mut e| e.remove(name));
        errors.update(|errors| match message {
            Some(message) => {
                errors.insert(name.to_owned(), message);
            }
            None => {
                errors.remove(name);
            }
        });
    };
    // While a field shows an error, typing re-checks it so the error goes once it is fixed.
    let recheck_if_invalid = move |name: &'static str| {
        if errors.with_untracked(|errors| errors.contains_key(name)) {
            check_field(name);
        }
    };
    let field_error =
        move |name: &'static str| Signal::derive(move || errors.with(|e| e.get(name).cloned()));
    let summary = Signal::derive(move || {
        if is_summary_shown.get() {
            errors.with(summary_entries)
        } else {
            Vec::new()
        }
    });
    let form_error = move || {
        save_action
            .value()
            .get()
            .and_then(Result::err)
            .filter(|error| error.field_errors().is_empty())
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if save_action.pending().get_untracked() {
            return;
        }
        let new_user = draft.to_new_user();
        match validate_new_user(&new_user) {
            Err(fields) => show_errors(fields),
            Ok(_) => {
                errors.set(FieldErrors::new());
                save_action.dispatch(new_user);
            }
        }
    };

    view! {
        <ErrorSummary entries=summary node_ref=summary_ref />
        {move || form_error().map(|error| view! { <ErrorView error /> })}
        <form class="form" novalidate on:submit=on_submit>
            <AdminLevelPicker selected=draft.admin_level error=field_error(field::ADMIN_LEVEL) />
            <UsernameField
                value=draft.username
                error=field_error(field::USERNAME)
                on_input=move || recheck_if_invalid(field::USERNAME)
                on_blur=move || check_field(field::USERNAME)
            />
            <TextField
                name=field::FIRST_NAME
                label="First name"
                autocomplete="off"
                value=draft.first_name
                error=field_error(field::FIRST_NAME)
                on_input=move || recheck_if_invalid(field::FIRST_NAME)
                on_blur=move || check_field(field::FIRST_NAME)
            />
            <TextField
                name=field::LAST_NAME
                label="Last name"
                autocomplete="off"
                value=draft.last_name
                error=field_error(field::LAST_NAME)
                on_input=move || recheck_if_invalid(field::LAST_NAME)
                on_blur=move || check_field(field::LAST_NAME)
            />
            <TextField
                name=field::EMAIL
                label="Email"
                input_type="email"
                autocomplete="off"
                value=draft.email
                error=field_error(field::EMAIL)
                on_input=move || recheck_if_invalid(field::EMAIL)
                on_blur=move || check_field(field::EMAIL)
            />
            <TextField
                name=field::WORK_PHONE
                label="Work phone"
                hint="International format with + and country code, e.g. +14155550123. Spaces, dashes, dots and brackets are removed."
                input_type="tel"
                autocomplete="off"
                is_optional=true
                value=draft.work_phone
                error=field_error(field::WORK_PHONE)
                on_input=move || recheck_if_invalid(field::WORK_PHONE)
                on_blur=move || check_field(field::WORK_PHONE)
            />
            <RolesSection selected=draft.roles />
            <AccountsSection selected=draft.account_ids error=field_error(field::ACCOUNT_IDS) />
            <UsernameReview username=draft.username />
            <div class="form-actions">
                <button type="submit" class=BUTTON_PRIMARY disabled=move || save_action.pending().get()>
                    {move || if save_action.pending().get() { "Adding user…" } else { "Add user" }}
                </button>
                <a class=BUTTON_SECONDARY href="/users">
                    "Cancel"
                </a>
            </div>
        </form>
    }
}

fn added_message(user: &User) -> String {
    format!(
        "User {} added. They will receive an email with their username and a link to create a \
         password.",
        user.username
    )
}

fn focus_summary(summary_ref: NodeRef<Div>) {
    match summary_ref.get_untracked() {
        Some(summary) => {
            if let Err(error) = summary.focus() {
                leptos::logging::warn!("could not focus the error summary: {error:?}");
            }
        }
        None => leptos::logging::warn!("the error summary is not mounted"),
    }
}

/// Lists `errors` in form order; fields the form does not know come last.
fn summary_entries(errors: &FieldErrors) -> Vec<SummaryEntry> {
    let known = FIELD_ORDER
        .iter()
        .filter_map(|name| errors.get_key_value(*name));
    let unknown = errors
        .iter()
        .filter(|(name, _)| !FIELD_ORDER.contains(&name.as_str()));
    known
        .chain(unknown)
        .map(|(name, message)| SummaryEntry {
            target_id: field_id(name),
            message: message.clone(),
        })
        .collect()
}

/// Radio buttons for Basic User and Account Admin.
#[component]
fn AdminLevelPicker(
    selected: RwSignal<AdminLevel>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let options = AdminLevel::ALL
        .into_iter()
        .enumerate()
        .map(|(index, level)| {
            let id = if index == 0 {
                field_id(field::ADMIN_LEVEL)
            } else {
                format!("admin-level-{}", level.as_str())
            };
            view! {
                <div class="radio">
                    <input
                        type="radio"
                        id=id.clone()
                        name="admin_level"
                        value=level.as_str()
                        prop:checked=move || selected.get() == level
                        on:change=move |_| selected.set(level)
                    />
                    <label for=id>{level.label()}</label>
                </div>
            }
        })
        .collect_view();

    view! {
        <fieldset class="fieldset">
            <legend class="fieldset-legend">"Administration level"</legend>
            <p class="field-hint">"Account admins can add users and change them. Basic users can only view them."</p>
            <FieldError name=field::ADMIN_LEVEL error />
            <div class="radio-list">{options}</div>
        </fieldset>
    }
}

/// Loads and renders the roles. Roles marked `enabled_by_default` start ticked.
#[component]
fn RolesSection(selected: RwSignal<Vec<String>>) -> impl IntoView {
    let is_initialised = StoredValue::new(false);

    let roles_resource = LocalResource::new(move || async move {
        let result = api::roles().await;
        if let Ok(roles) = &result
            && !is_initialised.get_value()
        {
            selected.set(default_roles(roles));
            is_initialised.set_value(true);
        }
        result
    });

    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading roles…"</p> }>
            {move || Suspend::new(async move {
                match roles_resource.await {
                    Ok(roles) => view! { <RolePicker roles selected /> }.into_any(),
                    Err(error) => view! {
                        <ErrorView error on_retry=move || roles_resource.refetch() />
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

fn default_roles(roles: &[Role]) -> Vec<String> {
    roles
        .iter()
        .filter(|role| role.enabled_by_default)
        .map(|role| role.id.clone())
        .collect()
}

/// Loads and renders the accounts. When there is only one, it starts ticked.
#[component]
fn AccountsSection(
    selected: RwSignal<Vec<i64>>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let is_initialised = StoredValue::new(false);

    let accounts_resource = LocalResource::new(move || async move {
        let result = api::accounts().await;
        if let Ok(accounts) = &result
            && !is_initialised.get_value()
        {
            selected.set(default_accounts(accounts));
            is_initialised.set_value(true);
        }
        result
    });

    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading accounts…"</p> }>
            {move || Suspend::new(async move {
                match accounts_resource.await {
                    Ok(accounts) => view! { <AccountPicker accounts selected error /> }.into_any(),
                    Err(error) => view! {
                        <ErrorView error on_retry=move || accounts_resource.refetch() />
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

fn default_accounts(accounts: &[Account]) -> Vec<i64> {
    match accounts {
        [only] => vec![only.id],
        _ => Vec::new(),
    }
}

/// States the username that saving creates, and that it is permanent.
#[component]
fn UsernameReview(username: RwSignal<String>) -> impl IntoView {
    view! {
        <p class="review" id="username-review">
            {move || match validate_username(&username.get()) {
                Ok(valid) => view! {
                    "Saving creates the username "
                    <strong class="review-username">{valid}</strong>
                    ". It can't be changed later."
                }
                .into_any(),
                Err(_) => "Enter a valid username to see the username that saving creates."
                    .into_any(),
            }}
        </p>
    }
}
