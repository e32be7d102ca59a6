//! The users list (`/users`): search, status filter, pages and CSV export, and for account
//! admins the Add user button, a switch per user to deactivate or reactivate them, and the
//! selection of users for a bulk deactivation or reactivation.

use crate::base_path;
use std::time::Duration;

use domain::{StatusAction, User, UserListQuery, UserPage, UserStatusFilter};
use leptos::prelude::*;

use crate::api::{self, LatestRequest};
use crate::classes::BUTTON_PRIMARY;
use crate::components::breadcrumb::{Breadcrumb, Crumb};
use crate::components::bulk_status::BulkStatusDialog;
use crate::components::csv_export::CsvExport;
use crate::components::error_summary::focus_element;
use crate::components::error_view::ErrorView;
use crate::components::pagination::{PageButton, Pagination, shown_range};
use crate::components::selection::{Selection, SelectionBar};
use crate::components::status_change::{StatusChangeDialog, status_changed_message};
use crate::components::user_table::{UserTable, status_switch_id};
use crate::contexts::flash::use_flash;
use crate::contexts::session::use_session;
use crate::error::ClientError;
use crate::page_title::set_page_title;
use crate::performance_marks::mark_first_user_row_painted;

mod list_focus;
mod selection_hooks;

use list_focus::{ListFocus, focus_after_load};
use selection_hooks::{focus_list_after_dialog, page_total, page_user_ids, track_selection};

/// Pause after the last keystroke in the search box before the list is requested.
const SEARCH_DELAY: Duration = Duration::from_millis(250);

/// Latest response of the users list request.
type ListResult = Option<Result<UserPage, ClientError>>;

#[component]
pub fn UsersPage() -> impl IntoView {
    let session = use_session();
    let flash = use_flash();

    let (query, set_query) = signal(UserListQuery::default());
    let (reload_count, set_reload_count) = signal(0_u32);
    let list = RwSignal::new(None::<Result<UserPage, ClientError>>);
    let (is_loading, set_is_loading) = signal(true);
    let (status_message, set_status_message) = signal(None::<String>);
    let (user_to_change, set_user_to_change) = signal(None::<User>);
    // Sums up each list loaded after the first for screen readers, such as "3 users found."
    let (results_status, set_results_status) = signal(String::new());
    // Where focus goes once the list that a press in it requested has loaded.
    let pending_focus = StoredValue::new(None::<ListFocus>);
    let latest = LatestRequest::new();
    let selection = Selection::new();
    let (bulk_action, set_bulk_action) = signal(None::<StatusAction>);

    let has_loaded = StoredValue::new(false);
    Effect::new(move || {
        let request = query.get();
        reload_count.track();
        let announce = has_loaded.get_value().then_some(set_results_status);
        has_loaded.set_value(true);
        load_users(request, latest, list, set_is_loading, announce);
    });
    Effect::new(move || {
        let has_failed = list.with(|list| matches!(list, Some(Err(_))));
        let pending = pending_focus.try_update_value(Option::take).flatten();
        request_animation_frame(move || {
            if let Some(kept) = focus_after_load(pending, has_failed) {
                pending_focus.try_set_value(Some(kept));
            }
        });
    });
    Effect::new(move || {
        let has_rows = list.with(|list| matches!(list, Some(Ok(page)) if !page.users.is_empty()));
        if has_rows {
            mark_first_user_row_painted();
        }
    });
    track_selection(query.into(), list, selection);
    on_cleanup(move || latest.cancel());
    set_page_title("Users");
    flash.take_into(set_status_message);

    let is_admin = move || session.is_account_admin();
    let on_status_changed = Callback::new(move |user: User| {
        set_status_message.set(Some(status_changed_message(&user)));
        let switch_id = status_switch_id(user.id);
        list.update(|list| replace_user(list, user));
        set_user_to_change.set(None);
        request_animation_frame(move || focus_element(&switch_id));
    });

    // Focus goes back to the switch that opened the dialog.
    let on_change_cancelled = Callback::new(move |()| {
        if let Some(user) = user_to_change.get_untracked() {
            let switch_id = status_switch_id(user.id);
            request_animation_frame(move || focus_element(&switch_id));
        }
        set_user_to_change.set(None);
    });

    let on_bulk_done = Callback::new(move |summary: String| {
        selection.clear();
        set_status_message.set(Some(summary));
        set_reload_count.update(|count| *count += 1);
    });
    let on_bulk_close = Callback::new(move |()| {
        set_bulk_action.set(None);
        // The selection bar that opened the dialog is gone once the change has run.
        request_animation_frame(move || focus_list_after_dialog(selection));
    });

    view! {
        <section class="page-section">
            <Breadcrumb crumbs=vec![
                Crumb { label: "Account", href: None },
                Crumb { label: "Users", href: Some("/users") },
            ] />
            <div class="page-heading">
                <h1>"Users"</h1>
                <Show when=is_admin>
                    <a class=BUTTON_PRIMARY href=base_path::href("/users/new")>
                        "Add user"
                    </a>
                </Show>
            </div>
            <p class="status-message" role="status" aria-live="polite">
                {move || status_message.get()}
            </p>
            <UserFilters set_query />
            <div class="list-tools">
                <CsvExport query />
                {move || {
                    is_admin()
                        .then(|| {
                            view! {
                                <SelectionBar
                                    selection
                                    page_ids=Signal::derive(move || page_user_ids(&list.read()))
                                    total=Signal::derive(move || page_total(&list.read()))
                                    filter=Signal::derive(move || query.read().filter.clone())
                                    on_action=move |action| set_bulk_action.set(Some(action))
                                />
                            }
                        })
                }}
            </div>
            <p class="visually-hidden" id="results-status" role="status">
                {move || results_status.get()}
            </p>
            <UserResults
                query
                list
                is_loading
                on_retry=move || {
                    let pressed = match pending_focus.get_value() {
                        Some(ListFocus::Failed(pressed)) => pressed,
                        _ => None,
                    };
                    pending_focus.set_value(Some(ListFocus::Retry(pressed)));
                    set_reload_count.update(|count| *count += 1);
                }
                on_page=move |(page, pressed): (u32, PageButton)| {
                    pending_focus.set_value(Some(ListFocus::PageButton(pressed)));
                    set_query.update(|query| query.page = page);
                }
                on_toggle=move |user: User| set_user_to_change.set(Some(user))
                selection
            />
            {move || {
                bulk_action
                    .get()
                    .map(|action| {
                        let (bulk_selection, excluded) = selection.to_request();
                        view! {
                            <BulkStatusDialog
                                action
                                selection=bulk_selection
                                excluded
                                on_done=on_bulk_done
                                on_close=on_bulk_close
                            />
                        }
                    })
            }}
            {move || {
                user_to_change
                    .get()
                    .map(|user| {
                        view! {
                            <StatusChangeDialog
                                user
                                on_changed=on_status_changed
                                on_cancel=move || on_change_cancelled.run(())
                            />
                        }
                    })
            }}
        </section>
    }
}

/// Requests a page of users, aborting the request before; a late response is dropped. With
/// `announce`, the live region it writes sums up the loaded list, and is emptied meanwhile
/// so that the same summary twice in a row is still a change that screen readers announce.
// NOTE: no browser test covers the abort, because the test backend responds before a
// second keystroke can overtake the first request.
fn load_users(
    query: UserListQuery,
    latest: LatestRequest,
    list: RwSignal<ListResult>,
    set_is_loading: WriteSignal<bool>,
    announce: Option<WriteSignal<String>>,
) {
    let (abort, generation) = latest.start();
    set_is_loading.set(true);
    if let Some(announce) = announce {
        announce.set(String::new());
    }
    leptos::task::spawn_local(async move {
        let result = api::users(&query, abort.as_ref()).await;
        if !latest.is_latest(generation) || result == Err(ClientError::Aborted) {
            return;
        }
        match &result {
            Ok(page) => {
                if let Some(announce) = announce {
                    announce.try_set(results_summary(page, &query));
                }
            }
            // The error view is an alert, which screen readers announce on its own.
            Err(error) => leptos::logging::warn!("loading users failed: {error}"),
        }
        set_is_loading.try_set(false);
        list.try_set(Some(result));
    });
}

fn replace_user(list: &mut ListResult, changed: User) {
    if let Some(Ok(page)) = list
        && let Some(user) = page.users.iter_mut().find(|user| user.id == changed.id)
    {
        *user = changed;
    }
}

/// Renders the search box (applied after typing pauses, or at once on Enter) and the status
/// filter.
#[component]
fn UserFilters(set_query: WriteSignal<UserListQuery>) -> impl IntoView {
    let (search_text, set_search_text) = signal(String::new());
    let search_timer = StoredValue::new(None::<TimeoutHandle>);

    on_cleanup(move || {
        if let Some(handle) = search_timer.try_get_value().flatten() {
            handle.clear();
        }
    });

    let apply_search = move |text: String| {
        set_query.try_update(|query| {
            query.filter.q = text.trim().to_owned();
            query.page = 1;
        });
    };
    let on_input = move |ev| {
        let text = event_target_value(&ev);
        set_search_text.set(text.clone());
        if let Some(handle) = search_timer.get_value() {
            handle.clear();
        }
        match set_timeout_with_handle(move || apply_search(text), SEARCH_DELAY) {
            Ok(handle) => search_timer.set_value(Some(handle)),
            Err(error) => leptos::logging::error!("could not schedule the search: {error:?}"),
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(handle) = search_timer.get_value() {
            handle.clear();
        }
        apply_search(search_text.get_untracked());
    };
    let on_status = move |ev| {
        let status = UserStatusFilter::parse(&event_target_value(&ev)).unwrap_or_default();
        set_query.update(|query| {
            query.filter.status = status;
            query.page = 1;
        });
    };

    view! {
        <form class="filters" role="search" on:submit=on_submit>
            <div class="field field-search">
                <label class="field-label" for="user-search">
                    "Search users"
                </label>
                <input
                    class="input"
                    id="user-search"
                    type="search"
                    placeholder="Username, name or email"
                    autocomplete="off"
                    prop:value=move || search_text.get()
                    on:input=on_input
                />
            </div>
            <div class="field field-status">
                <label class="field-label" for="status-filter">
                    "Status"
                </label>
                <select class="input" id="status-filter" on:change=on_status>
                    {UserStatusFilter::ALL
                        .into_iter()
                        .map(|status| view! { <option value=status.as_str()>{status.label()}</option> })
                        .collect_view()}
                </select>
            </div>
        </form>
    }
}

/// Renders the loading, error, empty or filled state of the list.
#[component]
fn UserResults(
    query: ReadSignal<UserListQuery>,
    list: RwSignal<ListResult>,
    is_loading: ReadSignal<bool>,
    #[prop(into)] on_retry: Callback<()>,
    #[prop(into)] on_page: Callback<(u32, PageButton)>,
    #[prop(into)] on_toggle: Callback<User>,
    /// The selection that account admins' checkboxes change.
    selection: Selection,
) -> impl IntoView {
    let session = use_session();

    let current_user_id = move || {
        session
            .current_user
            .with(|user| user.as_ref().map_or(0, |user| user.id))
    };
    let on_toggle = move || session.is_account_admin().then_some(on_toggle);
    let selection = move || session.is_account_admin().then_some(selection);

    view! {
        <div class="results" aria-busy=move || if is_loading.get() { "true" } else { "false" }>
            <Show when=move || is_loading.get() && list.with(Option::is_some)>
                <p class="loading loading-inline">"Updating…"</p>
            </Show>
            {move || match list.get() {
                None => view! { <p class="loading" role="status">"Loading users…"</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorView error on_retry /> }.into_any(),
                Some(Ok(page)) if page.users.is_empty() => view! {
                    <p class="empty" tabindex="-1">{empty_message(&query.get_untracked())}</p>
                }
                .into_any(),
                Some(Ok(page)) => view! {
                    <UserTable
                        users=page.users.clone()
                        current_user_id=current_user_id()
                        on_toggle=on_toggle()
                        selection=selection()
                    />
                    <Pagination page on_page />
                }
                .into_any(),
            }}
        </div>
    }
}

fn empty_message(query: &UserListQuery) -> String {
    let users = users_noun(query.filter.status, 0);
    if query.filter.q.is_empty() {
        format!("No {users} yet.")
    } else {
        format!("No {users} match “{}”.", query.filter.q)
    }
}

/// Sums up a loaded page for screen readers, e.g. "43 users found, showing 26–43."
fn results_summary(page: &UserPage, query: &UserListQuery) -> String {
    if page.users.is_empty() {
        return empty_message(query);
    }
    let users = users_noun(query.filter.status, page.total);
    let (first, last) = shown_range(page);
    if first == 1 && last == page.total {
        format!("{} {users} found.", page.total)
    } else {
        format!("{} {users} found, showing {first}–{last}.", page.total)
    }
}

/// Names the users that `status` lets through, in the singular when `count` is 1.
fn users_noun(status: UserStatusFilter, count: u64) -> String {
    let kind = match status {
        UserStatusFilter::All => "",
        UserStatusFilter::Active => "active ",
        UserStatusFilter::Invited => "invited ",
        UserStatusFilter::Deactivated => "deactivated ",
    };
    let noun = if count == 1 { "user" } else { "users" };
    format!("{kind}{noun}")
}
