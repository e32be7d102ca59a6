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

/// Renders every control of the list. `filter_errors` contains the backend's messages per
/// list parameter, from a rejected list request.
#[component]
pub fn UserFilters(
    list_url: ListUrl,
    roles: RolesResource,
    #[prop(into)] filter_errors: Signal<FieldErrors>,
) -> impl IntoView {
    let query = list_url.query;
    let has_filters = move || query.with(|query| query.filter != UserFilter::default());
    let role_error =
        Signal::derive(move || filter_errors.with(|errors| errors.get(ROLE_PARAMETER).cloned()));
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

/// Renders the search box, applied once typing pauses or at once on Enter.
///
/// The first search that settles after any other change adds a history entry, and each later
/// one while the person keeps typing replaces that entry. Enter or leaving the box ends the
/// typing, so the next search adds an entry again. Back then returns to the view before the
/// search, not to each word typed on the way.
#[component]
fn SearchField(list_url: ListUrl) -> impl IntoView {
    let text = RwSignal::new(
        list_url
            .query
            .with_untracked(|query| query.filter.q.clone()),
    );
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
        let entry = if is_typing_on {
            HistoryEntry::Replace
        } else {
            HistoryEntry::Push
        };
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

/// One option of a [`FilterSelect`]: its value in the address bar and its text.
type SelectOption = (String, String);

/// Renders a labelled select of `options` showing `value`, with `error` and `hint` under it. The
/// options are rebuilt when the value changes, so the one selected always matches the
/// address bar, also after back or forward.
#[component]
fn FilterSelect(
    id: &'static str,
    label: &'static str,
    /// Class of the field, which sets its width.
    class: &'static str,
    #[prop(into)] options: Signal<Vec<SelectOption>>,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_change: Callback<String>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    #[prop(optional, into)] hint: Signal<Option<String>>,
) -> impl IntoView {
    let has_error = move || error.with(Option::is_some);
    let hint_id = format!("{id}-hint");
    let described_by = {
        let hint_id = hint_id.clone();
        move || {
            let mut ids = Vec::new();
            if has_error() {
                ids.push(error_id(id));
            }
            if hint.with(Option::is_some) {
                ids.push(hint_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let option_views = move || {
        let current = value.get();
        options
            .get()
            .into_iter()
            .map(|(option, text)| {
                let is_selected = option == current;
                view! { <option value=option prop:selected=is_selected>{text}</option> }
            })
            .collect_view()
    };

    view! {
        <div class=format!("field {class}") class:field-invalid=has_error>
            <label class="field-label" for=id>
                {label}
            </label>
            <select
                class="input"
                id=id
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described_by
                on:change=move |ev| on_change.run(event_target_value(&ev))
            >
                {option_views}
            </select>
            <FieldError name=id error />
            {move || hint.get().map(|text| view! { <p class="field-hint" id=hint_id.clone()>{text}</p> })}
        </div>
    }
}

#[component]
fn StatusSelect(list_url: ListUrl) -> impl IntoView {
    let options: Vec<SelectOption> = UserStatusFilter::ALL
        .into_iter()
        .map(|status| (status.as_str().to_owned(), status.label().to_owned()))
        .collect();
    let value = move || {
        list_url
            .query
            .with(|query| query.filter.status.as_str().to_owned())
    };
    let on_change = move |value: String| {
        let status = UserStatusFilter::parse(&value).unwrap_or_default();
        list_url.change_filter(|query| query.filter.status = status);
    };

    view! {
        <FilterSelect
            id="status-filter"
            label="Status"
            class="field-filter"
            options
            value=Signal::derive(value)
            on_change
        />
    }
}

#[component]
fn LevelSelect(list_url: ListUrl) -> impl IntoView {
    let mut options = vec![(String::new(), "All levels".to_owned())];
    options.extend(
        AdminLevel::ALL
            .into_iter()
            .map(|level| (level.as_str().to_owned(), level.label().to_owned())),
    );
    let value = move || {
        list_url
            .query
            .with(|query| query.filter.level.map(|level| level.as_str().to_owned()))
            .unwrap_or_default()
    };
    let on_change = move |value: String| {
        let level = AdminLevel::parse(&value);
        list_url.change_filter(|query| query.filter.level = level);
    };

    view! {
        <FilterSelect
            id="level-filter"
            label="Administration level"
            class="field-filter"
            options
            value=Signal::derive(value)
            on_change
        />
    }
}

/// Renders the role select, with the roles of `GET /roles`. A role id of the address bar that no
/// loaded role has still shows, as "Unknown role", so the select matches the list.
#[component]
fn RoleSelect(
    list_url: ListUrl,
    roles: RolesResource,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let current = move || list_url.query.with(|query| query.filter.role.clone());
    let options = move || role_options(&roles_or_empty(roles), current());
    let load_error = move || match roles.get() {
        Some(Err(error)) => Some(roles_error_message(&error)),
        _ => None,
    };
    let on_change = move |value: String| {
        let role = Some(value).filter(|role| !role.is_empty());
        list_url.change_filter(|query| query.filter.role = role);
    };

    view! {
        <FilterSelect
            id=ROLE_ID
            label="Role"
            class="field-filter"
            options=Signal::derive(options)
            value=Signal::derive(move || current().unwrap_or_default())
            on_change
            error
            hint=Signal::derive(load_error)
        />
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

/// Lists "All roles", then an option for `current` when no role has that id, then the roles.
fn role_options(roles: &[Role], current: Option<String>) -> Vec<SelectOption> {
    let mut options = vec![(String::new(), "All roles".to_owned())];
    if let Some(id) = current.filter(|id| !roles.iter().any(|role| &role.id == id)) {
        let text = format!("Unknown role ({id})");
        options.push((id, text));
    }
    options.extend(
        roles
            .iter()
            .map(|role| (role.id.clone(), role.name.clone())),
    );
    options
}

#[component]
fn PageSizeSelect(list_url: ListUrl) -> impl IntoView {
    let options: Vec<SelectOption> = USERS_PAGE_SIZES
        .into_iter()
        .map(|size| (size.to_string(), size.to_string()))
        .collect();
    let value = move || list_url.query.with(|query| query.per_page.to_string());
    let on_change = move |value: String| {
        if let Ok(size) = value.parse::<u32>() {
            list_url.change_filter(|query| query.per_page = size);
        }
    };

    view! {
        <FilterSelect
            id="page-size"
            label="Users per page"
            class="field-page-size"
            options
            value=Signal::derive(value)
            on_change
        />
    }
}

/// Renders the sort as one select, shown only on narrow screens, where the stylesheet hides the
/// column headers that sort on wider ones.
#[component]
fn SortSelect(list_url: ListUrl) -> impl IntoView {
    let options: Vec<SelectOption> = UserSort::ALL
        .into_iter()
        .flat_map(|sort| [(sort, SortDirection::Asc), (sort, SortDirection::Desc)])
        .map(|(sort, direction)| {
            (
                sort_value(sort, direction),
                sort_option_label(sort, direction),
            )
        })
        .collect();
    let value = move || {
        list_url
            .query
            .with(|query| sort_value(query.sort, query.direction))
    };
    let on_change = move |value: String| {
        if let Some((sort, direction)) = parse_sort_value(&value) {
            list_url.change(|query| {
                query.sort = sort;
                query.direction = direction;
                query.page = 1;
            });
        }
    };

    view! {
        <FilterSelect
            id="sort-select"
            label="Sort by"
            class="field-sort"
            options
            value=Signal::derive(value)
            on_change
        />
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
            if is_ascending {
                "A to Z"
            } else {
                "Z to A"
            }
        }
        UserSort::Level => {
            if is_ascending {
                "Account Admin first"
            } else {
                "Basic User first"
            }
        }
        UserSort::Status => {
            if is_ascending {
                "Active first"
            } else {
                "Invited first"
            }
        }
        UserSort::Created | UserSort::LastSignIn => {
            if is_ascending {
                "oldest first"
            } else {
                "newest first"
            }
        }
    };
    format!("{}, {order}", sort.label())
}
