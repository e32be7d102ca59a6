//! The users table; up to 900 px wide the stylesheet shows each row as a card that labels its
//! values with the cells' `data-label`.

use crate::base_path;
use crate::components::selection::{PageCheckbox, RowCheckbox, Selection};
use domain::{User, UserStatus};
use leptos::prelude::*;

/// Renders `users`. With `on_toggle`, each row other than `current_user_id` gets a switch that
/// opens the deactivate or reactivate confirmation for that user. With `selection`, a leading
/// column of checkboxes selects users, and its header checkbox selects the whole page.
#[component]
pub fn UserTable(
    users: Vec<User>,
    current_user_id: i64,
    /// Called with the user whose switch was clicked; `None` shows no switches (read-only).
    on_toggle: Option<Callback<User>>,
    #[prop(optional_no_strip)] selection: Option<Selection>,
) -> impl IntoView {
    let page_ids: Vec<i64> = users.iter().map(|user| user.id).collect();
    let rows = users
        .into_iter()
        .map(|user| {
            let on_toggle = on_toggle.filter(|_| user.id != current_user_id);
            view! { <UserRow user on_toggle selection /> }
        })
        .collect_view();
    let select_header = selection.map(|selection| {
        view! {
            <th scope="col" class="select-cell">
                <PageCheckbox selection ids=page_ids />
            </th>
        }
    });

    view! {
        // Takes focus after Try again has loaded the list, because the button is gone.
        <table class="user-table" tabindex="-1">
            <caption class="visually-hidden">"Users"</caption>
            <thead>
                <tr>
                    {select_header}
                    <th scope="col">"Username"</th>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Administration level"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
fn UserRow(
    user: User,
    on_toggle: Option<Callback<User>>,
    selection: Option<Selection>,
) -> impl IntoView {
    let status_class = status_badge_class(user.status);
    let status = match on_toggle {
        Some(on_toggle) => view! { <StatusSwitch user=user.clone() on_toggle /> }.into_any(),
        None => view! { <span class=status_class>{user.status.label()}</span> }.into_any(),
    };
    let select_cell = selection.map(|selection| {
        view! {
            <td data-label="Select" class="select-cell">
                <RowCheckbox selection id=user.id name=user.full_name() />
            </td>
        }
    });

    view! {
        <tr class="user-row" data-username=user.username.clone()>
            {select_cell}
            <td data-label="Username" class="user-username">
                <a href=base_path::href(&format!("/users/{}", user.id))>{user.username.clone()}</a>
            </td>
            <td data-label="Name" class="user-name">{user.full_name()}</td>
            <td data-label="Email" class="user-email">{user.email.clone()}</td>
            <td data-label="Administration level">{user.admin_level.label()}</td>
            <td data-label="Status">{status}</td>
        </tr>
    }
}

/// Renders a switch that shows whether the user is active. Clicking it requests the change.
#[component]
fn StatusSwitch(user: User, on_toggle: Callback<User>) -> impl IntoView {
    // The switch is on for every user who is not deactivated, invited users included, and its
    // visible text and colours tell invited users apart. Its name states no status, which
    // `aria-checked` gives as on or off, and its description is the visible status.
    let is_active = user.status != UserStatus::Deactivated;
    let label = format!("Active: {}", user.full_name());
    let text_id = format!("{}-text", status_switch_id(user.id));
    let described_by = text_id.clone();
    let text = user.status.label();

    view! {
        <button
            type="button"
            role="switch"
            id=status_switch_id(user.id)
            class=switch_class(user.status)
            aria-checked=if is_active { "true" } else { "false" }
            aria-label=label
            aria-describedby=described_by
            on:click=move |_| on_toggle.run(user.clone())
        >
            <span class="switch-track" aria-hidden="true">
                <span class="switch-thumb"></span>
            </span>
            <span class="switch-text" id=text_id>
                {text}
            </span>
        </button>
    }
}

fn switch_class(status: UserStatus) -> &'static str {
    match status {
        UserStatus::Invited => "switch switch-invited",
        UserStatus::Active | UserStatus::Deactivated => "switch",
    }
}

/// CSS classes of the badge of a status.
pub fn status_badge_class(status: UserStatus) -> &'static str {
    match status {
        UserStatus::Active => "status-badge status-active",
        UserStatus::Invited => "status-badge status-invited",
        UserStatus::Deactivated => "status-badge status-deactivated",
    }
}

/// Id of the status switch of a user, so that focus can return to it after a change.
pub fn status_switch_id(user_id: i64) -> String {
    format!("status-switch-{user_id}")
}
