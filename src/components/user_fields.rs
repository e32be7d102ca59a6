//! Fields shared by the add-user and edit-user forms: administration level, names and
//! contact details, roles and accounts.

use domain::{AdminLevel, Role, field};
use leptos::prelude::*;

use crate::components::error_view::ErrorView;
use crate::components::role_picker::RolePicker;
use crate::components::text_field::{FieldError, TextField, field_id};
use crate::components::user_form::{FormErrors, UserDraft};
use crate::error::ClientError;

/// The roles request; the forms load it once and the detail page also shows role names.
pub type RolesResource = LocalResource<Result<Vec<Role>, ClientError>>;

const WORK_PHONE_HINT: &str = "International format with + and country code, e.g. \
     +14155550123. Spaces, dashes, dots and brackets are removed.";

/// Radio buttons for Basic User and Account Admin.
#[component]
pub fn AdminLevelPicker(
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

/// First name and last name inputs, checked when left and re-checked while invalid.
#[component]
pub fn NameFields(draft: UserDraft, errors: FormErrors) -> impl IntoView {
    view! {
        <TextField
            name=field::FIRST_NAME
            label="First name"
            autocomplete="off"
            value=draft.first_name
            error=errors.field_error(field::FIRST_NAME)
            on_input=move || errors.recheck_if_invalid(field::FIRST_NAME)
            on_blur=move || errors.check_field(field::FIRST_NAME)
        />
        <TextField
            name=field::LAST_NAME
            label="Last name"
            autocomplete="off"
            value=draft.last_name
            error=errors.field_error(field::LAST_NAME)
            on_input=move || errors.recheck_if_invalid(field::LAST_NAME)
            on_blur=move || errors.check_field(field::LAST_NAME)
        />
    }
}

/// Email and work phone inputs, checked when left and re-checked while invalid.
#[component]
pub fn ContactFields(draft: UserDraft, errors: FormErrors) -> impl IntoView {
    view! {
        <TextField
            name=field::EMAIL
            label="Email"
            input_type="email"
            autocomplete="off"
            value=draft.email
            error=errors.field_error(field::EMAIL)
            on_input=move || errors.recheck_if_invalid(field::EMAIL)
            on_blur=move || errors.check_field(field::EMAIL)
        />
        <TextField
            name=field::WORK_PHONE
            label="Work phone"
            hint=WORK_PHONE_HINT
            input_type="tel"
            autocomplete="off"
            is_optional=true
            value=draft.work_phone
            error=errors.field_error(field::WORK_PHONE)
            on_input=move || errors.recheck_if_invalid(field::WORK_PHONE)
            on_blur=move || errors.check_field(field::WORK_PHONE)
        />
    }
}

/// Renders the roles of `roles_resource` as checkboxes once loaded.
#[component]
pub fn RolesSection(
    roles_resource: RolesResource,
    selected: RwSignal<Vec<String>>,
) -> impl IntoView {
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
