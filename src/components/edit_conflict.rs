//! The panel the edit form shows when its save got a 412. It lists the fields someone else
//! changed since the form was opened, their value beside the admin's. The admin then saves
//! their own values over them, or takes the other values into the form.

use domain::User;
use leptos::prelude::*;

use crate::classes::{BUTTON_PRIMARY, BUTTON_SECONDARY};
use crate::components::user_form::UserDraft;

/// A field that someone else changed: its label, their value and the value in the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub label: &'static str,
    pub theirs: String,
    pub mine: String,
}

/// Lists the fields whose stored value differs between `opened` (the user as the form
/// loaded it) and `current` (as now stored), with the draft's value of each. A status change
/// is listed too, though the form does not edit it, so the admin sees it.
pub fn changed_fields(opened: &User, current: &User, draft: UserDraft) -> Vec<FieldChange> {
    let joined = |values: &[String]| values.join(", ");
    let ids = |values: &[i64]| {
        values
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let phone = |value: &Option<String>| value.clone().unwrap_or_default();
    let candidates = [
        (
            "First name",
            opened.first_name.clone(),
            current.first_name.clone(),
            draft.first_name.get_untracked(),
        ),
        (
            "Last name",
            opened.last_name.clone(),
            current.last_name.clone(),
            draft.last_name.get_untracked(),
        ),
        (
            "Email",
            opened.email.clone(),
            current.email.clone(),
            draft.email.get_untracked(),
        ),
        (
            "Work phone",
            phone(&opened.work_phone),
            phone(&current.work_phone),
            draft.work_phone.get_untracked(),
        ),
        (
            "Administration level",
            opened.admin_level.label().to_owned(),
            current.admin_level.label().to_owned(),
            draft.admin_level.get_untracked().label().to_owned(),
        ),
        (
            "Roles",
            joined(&opened.roles),
            joined(&current.roles),
            joined(&sorted(draft.roles.get_untracked())),
        ),
        (
            "Account ids",
            ids(&opened.account_ids),
            ids(&current.account_ids),
            ids(&sorted(draft.account_ids.get_untracked())),
        ),
        (
            "Status",
            opened.status.label().to_owned(),
            current.status.label().to_owned(),
            "(not edited here)".to_owned(),
        ),
    ];
    candidates
        .into_iter()
        .filter(|(_, before, theirs, _)| before != theirs)
        .map(|(label, _, theirs, mine)| FieldChange {
            label,
            theirs,
            mine,
        })
        .collect()
}

fn sorted<T: Ord>(mut values: Vec<T>) -> Vec<T> {
    values.sort();
    values
}

/// Copies into `draft` the values that someone else changed between `opened` and `current`,
/// and keeps the admin's values of every other field.
pub fn take_their_values(draft: UserDraft, opened: &User, current: &User) {
    if opened.first_name != current.first_name {
        draft.first_name.set(current.first_name.clone());
    }
    if opened.last_name != current.last_name {
        draft.last_name.set(current.last_name.clone());
    }
    if opened.email != current.email {
        draft.email.set(current.email.clone());
    }
    if opened.work_phone != current.work_phone {
        draft
            .work_phone
            .set(current.work_phone.clone().unwrap_or_default());
    }
    if opened.admin_level != current.admin_level {
        draft.admin_level.set(current.admin_level);
    }
    if opened.roles != current.roles {
        draft.roles.set(current.roles.clone());
    }
    if opened.account_ids != current.account_ids {
        draft.account_ids.set(current.account_ids.clone());
    }
}

/// Shows `changes` as a table with two buttons. It is an alert, so screen readers read it
/// as soon as it appears.
#[component]
pub fn EditConflict(
    changes: Vec<FieldChange>,
    on_save_mine: Callback<()>,
    on_take_theirs: Callback<()>,
) -> impl IntoView {
    let has_changes = !changes.is_empty();
    let rows = changes
        .into_iter()
        .map(|change| {
            view! {
                <tr>
                    <th scope="row">{change.label}</th>
                    <td data-label="Their value">{change.theirs}</td>
                    <td data-label="Your value">{change.mine}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="edit-conflict" role="alert" aria-labelledby="edit-conflict-title">
            <h3 id="edit-conflict-title">"Someone else changed this user"</h3>
            <p>
                {if has_changes {
                    "These fields changed after you opened the form. Your changes are kept below."
                } else {
                    "The user changed after you opened the form (for example a sign-in), but none of the fields you edit did. Your changes are kept below."
                }}
            </p>
            {has_changes
                .then(|| {
                    view! {
                        <table class="edit-conflict-table">
                            <thead>
                                <tr>
                                    <th scope="col">"Field"</th>
                                    <th scope="col">"Their value"</th>
                                    <th scope="col">"Your value"</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }
                })}
            <div class="form-actions">
                <button
                    type="button"
                    class=BUTTON_PRIMARY
                    id="edit-conflict-save-mine"
                    on:click=move |_| on_save_mine.run(())
                >
                    "Save my values over theirs"
                </button>
                <button
                    type="button"
                    class=BUTTON_SECONDARY
                    id="edit-conflict-take-theirs"
                    on:click=move |_| on_take_theirs.run(())
                >
                    "Take their values"
                </button>
            </div>
        </section>
    }
}
