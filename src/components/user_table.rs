//! The users table; up to 900 px wide the stylesheet shows each row as a card that labels its
//! values with the cells' `data-label`.

use crate::base_path;
use crate::components::selection::{PageCheckbox, RowCheckbox, Selection};
use crate::format::format_timestamp;
use domain::{SortDirection, User, UserSort, UserStatus};
use leptos::prelude::*;

/// The list's sort, which the column headers show and change.
#[derive(Clone, Copy)]
pub struct TableSort {
    pub sort: UserSort,
    pub direction: SortDirection,
    /// Called with the column whose header button was pressed.
    pub on_sort: Callback<UserSort>,
}

/// Renders `users`. With `on_toggle`, each row other than `current_user_id` gets a switch that
/// opens the deactivate or reactivate confirmation for that user. With `sort`, each column
/// header is a button that sorts by that column. With `selection`, a leading column of
/// checkboxes selects users, and its header checkbox selects the whole page.
#[component]
pub fn UserTable(
    users: Vec<User>,
    current_user_id: i64,
    /// Called with the user whose switch was clicked; `None` shows no switches (read-only).
    on_toggle: Option<Callback<User>>,
    #[prop(optional)] sort: Option<TableSort>,
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
                    {UserSort::ALL
                        .into_iter()
                        .map(|column| view! { <ColumnHeader column sort /> })
                        .collect_view()}
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
            <td data-label="Created" class="user-time">
                <time datetime=user.created_at.clone()>{format_timestamp(&user.created_at)}</time>
            </td>
            <td data-label="Last sign-in" class="user-time">
                {match user.last_sign_in_at {
                    Some(signed_in) => {
                        let shown = format_timestamp(&signed_in);
                        view! { <time datetime=signed_in>{shown}</time> }.into_any()
                    }
                    None => view! { <span class="never">"Never"</span> }.into_any(),
                }}
            </td>
        </tr>
    }
}

/// Id of the sort button in the header of `column`.
pub fn sort_button_id(column: UserSort) -> String {
    format!("sort-{}", column.as_str())
}

/// Renders the header of `column`: its label, or with `sort` a button that sorts by it, and
/// on the sorted column `aria-sort` and an arrow. Pressing the sorted column reverses it.
#[component]
fn ColumnHeader(column: UserSort, sort: Option<TableSort>) -> impl IntoView {
    let Some(sort) = sort else {
        return view! { <th scope="col">{column.label()}</th> }.into_any();
    };
    let direction = (sort.sort == column).then_some(sort.direction);
    let aria_sort = direction.map(|direction| match direction {
        SortDirection::Asc => "ascending",
        SortDirection::Desc => "descending",
    });
    // The arrows are decoration: `aria-sort` gives the direction to assistive technology.
    let arrow = match direction {
        Some(SortDirection::Asc) => "▲",
        Some(SortDirection::Desc) => "▼",
        None => "↕",
    };

    view! {
        <th scope="col" aria-sort=aria_sort>
            <button
                type="button"
                class="sort-button"
                class:is-sorted=direction.is_some()
                id=sort_button_id(column)
                on:click=move |_| sort.on_sort.run(column)
            >
                <span class="sort-label">{column.label()}</span>
                <span class="sort-arrow" aria-hidden="true">
                    {arrow}
                </span>
            </button>
        </th>
    }
    .into_any()
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
