//! The roles fieldset of the add-user form: one checkbox per role, with its description.

use domain::{NO_ROLE_READ_ACCESS, Role, field};
use leptos::prelude::*;

use crate::components::text_field::field_id;

/// Checkboxes for `roles`, bound to the ids in `selected`.
#[component]
pub fn RolePicker(roles: Vec<Role>, selected: RwSignal<Vec<String>>) -> impl IntoView {
    let has_none = move || selected.with(Vec::is_empty);
    let options = roles
        .into_iter()
        .enumerate()
        .map(|(index, role)| view! { <RoleOption role is_first=index == 0 selected /> })
        .collect_view();

    // The note describes the group only while it shows, because a hidden element that
    // `aria-describedby` names is still read.
    view! {
        <fieldset class="fieldset" aria-describedby=move || has_none().then_some("roles-note")>
            <legend class="fieldset-legend">"Roles"</legend>
            <div class="checkbox-list">{options}</div>
            <p class="field-note" id="roles-note" hidden=move || !has_none()>
                {format!("Without roles, this user can still read {NO_ROLE_READ_ACCESS}.")}
            </p>
        </fieldset>
    }
}

#[component]
fn RoleOption(role: Role, is_first: bool, selected: RwSignal<Vec<String>>) -> impl IntoView {
    let input_id = if is_first {
        field_id(field::ROLES)
    } else {
        format!("role-{}", role.id)
    };
    let description_id = format!("role-{}-description", role.id);
    let role_id = role.id.clone();
    let is_checked = {
        let role_id = role_id.clone();
        move || selected.with(|ids| ids.contains(&role_id))
    };

    view! {
        <div class="checkbox">
            <input
                type="checkbox"
                id=input_id.clone()
                name="roles"
                value=role.id.clone()
                aria-describedby=description_id.clone()
                prop:checked=is_checked
                on:change=move |ev| {
                    let is_ticked = event_target_checked(&ev);
                    selected.update(|ids| toggle(ids, &role_id, is_ticked));
                }
            />
            <label for=input_id>{role.name}</label>
            <p class="checkbox-description" id=description_id>{role.description}</p>
        </div>
    }
}

/// Adds `id` to `ids` or removes it, keeping one copy at most.
pub fn toggle<T: PartialEq + Clone>(ids: &mut Vec<T>, id: &T, is_ticked: bool) {
    ids.retain(|existing| existing != id);
    if is_ticked {
        ids.push(id.clone());
    }
}
