//! The controls above the users list: search, status, administration level, role, account,
//! page size, the sort for narrow screens (where the column headers are hidden) and Clear
//! filters. Each shows the setting of the address bar and changes it through [`ListUrl`].

use std::time::Duration;

use domain::{
    AdminLevel, FieldErrors, Role, SortDirection, USERS_PAGE_SIZES, UserFilter, UserSort,
    UserStatusFilter,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use crate::classes::BUTTON_SECONDARY;
use crate::components::account_filter::AccountFilter;
use crate::components::error_summary::focus_element;
use crate::components::text_field::{FieldError, error_id};
use crate::components::user_fields::RolesResource;
use crate::error::ClientError;

use super::list_url::{HistoryEntry, ListUrl};

/// Pause after the last keystroke in the search box before the search is applied.
const SEARCH_DELAY: Duration = Duration::from_millis(250);

const SEARCH_ID: &str = "user-search";
const ROLE_ID: &str = "role-filter";
const ACCOUNT_ID: &str = "account-filter";

/// Names of the list parameters whose 422 errors show at a filter.
pub const ROLE_PARAMETER: &str = "role";
pub const ACCOUNT_PARAMETER: &str = "account";

/// Renders every control of the list. `filter_errors` holds the backend's messages per list
/// parameter, from a rejected list request.
#[component]
pub fn UserFilters(
    list_url: ListUrl,
    roles: RolesResource,
    #[prop(into)] filter_errors: Signal<FieldErrors>,
) -> impl IntoView {
    let query = list_url.query;
    let has_filters = move || query.with(|query| query.filter != UserFilter::default());
    let role_error = Signal::derive(move || filter_errors.with(|errors| errors.get(ROLE_PARAMETER).cloned()));
    let account_error =
        Signal::derive(move || filter_errors.with(|errors| errors.get(ACCOUNT_PARAMETER).cloned()));

    let account = Signal::derive(move || query.with(|query| query.filter.account));
    let on_account = move |account: Option<i64>| {
        list_url.change_filter(|query| query.filter.account = account);
    };
    let on_clear = move |_| {
        list_url.change_filter(|query| query.filter = UserFilter::default());
        request_animation_frame(|| focus_element(SEARCH_ID));
    };

    view! {
        <form class="filters" role="search" on:submit=|ev: SubmitEvent| ev.prevent_default()>
            <SearchField list_url />
            <StatusSelect list_url />
            <LevelSelect list_url />
            <RoleSelect list_url roles error=role_error />
            <AccountFilter
                id=ACCOUNT_ID
                selected=account
                on_change=on_account
                error=account_error
            />
            <PageSizeSelect list_url />
            <SortSelect list_url />
            <div class="filters-actions">
                <button
                    type="button"
                    class=BUTTON_SECONDARY
                    id="clear-filters"
                    disabled=move || !has_filters()
                    on:click=on_clear
                >
                    "Clear filters"
                </button>
            </div>
        </form>
    }
}

/// The search box, applied once typing pauses or at once on Enter.
///
/// The first search that settles after any other change adds a history entry, and each later
/// one while the person keeps typing replaces that entry. Enter or leaving the box ends the
/// typing, so the next search adds an entry again. Back then returns to the view before the
/// search, not to each word typed on the way.
#[component]
fn SearchField(list_url: ListUrl) -> impl IntoView {
    let text = RwSignal::new(list_url.query.with_untracked(|query| query.filter.q.clone()));
    let timer = StoredValue::new(None::<TimeoutHandle>);
    // The settings written by the last settled search, while the person is still typing.
    let typing_entry = StoredValue::new(None::<domain::UserListQuery>);

    let clear_timer = move || {
        if let Some(handle) = timer.try_get_value().flatten() {
            handle.clear();
        }
        timer.try_set_value(None);
    };
    on_cleanup(clear_timer);

    // Shows the address bar's search after back, forward or a link. It runs only when the
    // search changes, so text typed while another setting changes stays. Text that differs
    // from the search only in surrounding spaces also stays as typed.
    let url_search = Memo::new(move |_| list_url.query.with(|query| query.filter.q.clone()));
    Effect::new(move || {
        let search = url_search.get();
        if text.with_untracked(|typed| typed.trim() != search) {
            clear_timer();
            text.set(search);
        }
    });

    let apply = move |is_final: bool| {
        clear_timer();
        let current = list_url.query.get_untracked();
        let search = text.with_untracked(|typed| typed.trim().to_owned());
        if search == current.filter.q {
            if is_final {
                typing_entry.set_value(None);
            }
            return;
        }
        let mut next = current.clone();
        next.filter.q = search;
        next.page = 1;
        let is_typing_on = typing_entry.with_value(|entry| entry.as_ref() == Some(&current));
        let entry = if is_typing_on { HistoryEntry::Replace } else { HistoryEntry::Push };
        list_url.show(&next, entry);
        typing_entry.set_value((!is_final).then_some(next));
    };
    let on_input = move |ev| {
        text.set(event_target_value(&ev));
        clear_timer();
        match set_timeout_with_handle(move || apply(false), SEARCH_DELAY) {
            Ok(handle) => timer.set_value(Some(handle)),
            Err(error) => {
                leptos::logging::error!("could not delay the search, applying it now: {error:?}");
                apply(false);
            }
        }
    };

    view! {
        <div class="field field-search">
            <label class="field-label" for=SEARCH_ID>
                "Search users"
            </label>
            <input
                class="input"
                id=SEARCH_ID
                type="search"
                placeholder="Username, name or email"
                autocomplete="off"
                prop:value=move || text.get()
                on:input=on_input
                on:keydown=move |ev| {
                    if ev.key() == "Enter" {
                        ev.prevent_default();
                        apply(true);
                    }
                }
                on:blur=move |_| {
                    if timer.with_value(Option::is_none) {
                        typing_entry.set_value(None);
                    }
                }
            />
        </div>
    }
}

#[component]
fn StatusSelect(list_url: ListUrl) -> impl IntoView {
    let current = move || list_url.query.with(|query| query.filter.status);
    let options = UserStatusFilter::ALL
        .into_iter()
        .map(|status| {
            view! {
                <option value=status.as_str() prop:selected=move || current() == status>
                    {status.label()}
                </option>
            }
        })
        .collect_view();

    view! {
        <div class="field field-filter">
            <label class="field-label" for="status-filter">
                "Status"
            </label>
            <select
                class="input"
                id="status-filter"
                on:change=move |ev| {
                    let status = UserStatusFilter::parse(&event_target_value(&ev)).unwrap_or_default();
                    list_url.change_filter(|query| query.filter.status = status);
                }
            >
                {options}
            </select>
        </div>
    }
}

#[component]
fn LevelSelect(list_url: ListUrl) -> impl IntoView {
    let current = move || list_url.query.with(|query| query.filter.level);
    let options = AdminLevel::ALL
        .into_iter()
        .map(|level| {
            view! {
                <option value=level.as_str() prop:selected=move || current() == Some(level)>
                    {level.label()}
                </option>
            }
        })
        .collect_view();

    view! {
        <div class="field field-filter">
            <label class="field-label" for="level-filter">
                "Administration level"
            </label>
            <select
                class="input"
                id="level-filter"
                on:change=move |ev| {
                    let level = AdminLevel::parse(&event_target_value(&ev));
                    list_url.change_filter(|query| query.filter.level = level);
                }
            >
                <option value="" prop:selected=move || current().is_none()>
                    "All levels"
                </option>
                {options}
            </select>
        </div>
    }
}

/// The role select, with the roles of `GET /roles`. A role id of the address bar that no
/// loaded role has still shows, as "Unknown role", so the select matches the list.
#[component]
fn RoleSelect(list_url: ListUrl, roles: RolesResource, error: Signal<Option<String>>) -> impl IntoView {
    let current = move || list_url.query.with(|query| query.filter.role.clone());
    let has_error = move || error.with(Option::is_some);
    let load_error = move || match roles.get() {
        Some(Err(error)) => Some(roles_error_message(&error)),
        _ => None,
    };
    let described_by = move || {
        let mut ids = Vec::new();
        if has_error() {
            ids.push(error_id(ROLE_ID));
        }
        if load_error().is_some() {
            ids.push(format!("{ROLE_ID}-load-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };

    view! {
        <div class="field field-filter" class:field-invalid=has_error>
            <label class="field-label" for=ROLE_ID>
                "Role"
            </label>
            <select
                class="input"
                id=ROLE_ID
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described_by
                on:change=move |ev| {
                    let role = Some(event_target_value(&ev)).filter(|role| !role.is_empty());
                    list_url.change_filter(|query| query.filter.role = role);
                }
            >
                <option value="" prop:selected=move || current().is_none()>
                    "All roles"
                </option>
                {move || role_options(&roles_or_empty(roles), current())}
            </select>
            <FieldError name=ROLE_ID error />
            {move || {
                load_error()
                    .map(|message| {
                        view! {
                            <p class="field-hint" id=format!("{ROLE_ID}-load-error")>
                                {message}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

fn roles_or_empty(roles: RolesResource) -> Vec<Role> {
    match roles.get() {
        Some(Ok(roles)) => roles,
        _ => Vec::new(),
    }
}

fn roles_error_message(error: &ClientError) -> String {
    leptos::logging::warn!("loading the roles for the role filter failed: {error}");
    format!("The roles could not be loaded: {}", error.message())
}

/// Renders an option per role, and one for `current` when no role has that id.
fn role_options(roles: &[Role], current: Option<String>) -> impl IntoView + use<> {
    let is_unknown = current
        .as_ref()
        .is_some_and(|id| !roles.iter().any(|role| &role.id == id));
    let unknown = current.clone().filter(|_| is_unknown).map(|id| {
        view! {
            <option value=id.clone() selected=true>
                {format!("Unknown role ({id})")}
            </option>
        }
    });
    let known = roles
        .iter()
        .map(|role| {
            let is_current = current.as_deref() == Some(role.id.as_str());
            view! {
                <option value=role.id.clone() prop:selected=is_current>
                    {role.name.clone()}
                </option>
            }
        })
        .collect_view();
    (unknown, known)
}

#[component]
fn PageSizeSelect(list_url: ListUrl) -> impl IntoView {
    let current = move || list_url.query.with(|query| query.per_page);
    let options = USERS_PAGE_SIZES
        .into_iter()
        .map(|size| {
            view! {
                <option value=size.to_string() prop:selected=move || current() == size>
                    {size.to_string()}
                </option>
            }
        })
        .collect_view();

    view! {
        <div class="field field-page-size">
            <label class="field-label" for="page-size">
                "Users per page"
            </label>
            <select
                class="input"
                id="page-size"
                on:change=move |ev| {
                    if let Ok(size) = event_target_value(&ev).parse::<u32>() {
                        list_url.change_filter(|query| query.per_page = size);
                    }
                }
            >
                {options}
            </select>
        </div>
    }
}

/// The sort as one select, shown only on narrow screens, where the stylesheet hides the
/// column headers that sort on wider ones.
#[component]
fn SortSelect(list_url: ListUrl) -> impl IntoView {
    let current = move || list_url.query.with(|query| (query.sort, query.direction));
    let options = UserSort::ALL
        .into_iter()
        .flat_map(|sort| [(sort, SortDirection::Asc), (sort, SortDirection::Desc)])
        .map(|(sort, direction)| {
            view! {
                <option
                    value=sort_value(sort, direction)
                    prop:selected=move || current() == (sort, direction)
                >
                    {sort_option_label(sort, direction)}
                </option>
            }
        })
        .collect_view();

    view! {
        <div class="field field-sort">
            <label class="field-label" for="sort-select">
                "Sort by"
            </label>
            <select
                class="input"
                id="sort-select"
                on:change=move |ev| {
                    if let Some((sort, direction)) = parse_sort_value(&event_target_value(&ev)) {
                        list_url.change(|query| {
                            query.sort = sort;
                            query.direction = direction;
                            query.page = 1;
                        });
                    }
                }
            >
                {options}
            </select>
        </div>
    }
}

fn sort_value(sort: UserSort, direction: SortDirection) -> String {
    format!("{}:{}", sort.as_str(), direction.as_str())
}

fn parse_sort_value(value: &str) -> Option<(UserSort, SortDirection)> {
    let (sort, direction) = value.split_once(':')?;
    Some((UserSort::parse(sort)?, SortDirection::parse(direction)?))
}

/// Names a sort for people, such as "Created, newest first".
fn sort_option_label(sort: UserSort, direction: SortDirection) -> String {
    let is_ascending = direction == SortDirection::Asc;
    let order = match sort {
        UserSort::Username | UserSort::Name | UserSort::Email => {
            if is_ascending { "A to Z" } else { "Z to A" }
        }
        UserSort::Level => {
            if is_ascending { "Account Admin first" } else { "Basic User first" }
        }
        UserSort::Status => {
            if is_ascending { "Active first" } else { "Invited first" }
        }
        UserSort::Created | UserSort::LastSignIn => {
            if is_ascending { "oldest first" } else { "newest first" }
        }
    };
    format!("{}, {order}", sort.label())
}
