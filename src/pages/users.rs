//! The users list (`/users`): search, filters, sort and pages, all kept in the address bar,
//! and CSV export; for account admins also the Add user button, a switch per user to
//! deactivate or reactivate them, and the selection of users for a bulk deactivation or
//! reactivation.

use crate::base_path;

use domain::{FieldErrors, Role, StatusAction, User, UserListQuery, UserPage, UserSort};
use leptos::prelude::*;

use crate::api::{self, LatestRequest};
use crate::classes::{BUTTON_PRIMARY, BUTTON_SECONDARY};
use crate::components::breadcrumb::{Breadcrumb, Crumb};
use crate::components::bulk_status::BulkStatusDialog;
use crate::components::csv_export::CsvExport;
use crate::components::error_summary::focus_element;
use crate::components::error_view::ErrorView;
use crate::components::pagination::{PageButton, Pagination};
use crate::components::selection::{Selection, SelectionBar};
use crate::components::status_change::{StatusChangeDialog, status_changed_message};
use crate::components::user_fields::RolesResource;
use crate::components::user_table::{TableSort, UserTable, status_switch_id};
use crate::contexts::flash::use_flash;
use crate::contexts::session::use_session;
use crate::error::ClientError;
use crate::page_title::set_page_title;
use crate::performance_marks::mark_first_user_row_painted;

mod filters;
mod list_focus;
mod list_url;
mod selection_hooks;
mod summary;

use filters::{ACCOUNT_PARAMETER, ROLE_PARAMETER, UserFilters};
use list_focus::{ListFocus, focus_after_load};
use list_url::ListUrl;
pub use list_url::list_path;
use selection_hooks::{focus_list_after_dialog, page_total, page_user_ids, track_selection};

/// Latest response of the users list request.
type ListResult = Option<Result<UserPage, ClientError>>;

#[component]
pub fn UsersPage() -> impl IntoView {
    let session = use_session();
    let flash = use_flash();
    let list_url = ListUrl::new();

    let (reload_count, set_reload_count) = signal(0_u32);
    let list = RwSignal::new(None::<Result<UserPage, ClientError>>);
    // The settings that `list` was loaded with; the address bar may be ahead while loading.
    let shown_query = RwSignal::new(UserListQuery::default());
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

    let roles: RolesResource = LocalResource::new(api::roles);

    let has_loaded = StoredValue::new(false);
    Effect::new(move || {
        let request = list_url.query.get();
        reload_count.track();
        let announce = has_loaded.get_value().then_some(set_results_status);
        has_loaded.set_value(true);
        let loading = Loading {
            latest,
            list,
            shown_query,
            set_is_loading,
            announce,
            roles,
        };
        load_users(request, loading);
    });
    Effect::new(move || {
        let has_failed = list
            .with(|list| matches!(list, Some(Err(error)) if filter_errors_of(error).is_empty()));
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
    track_selection(list_url.query.into(), list, selection);
    on_cleanup(move || latest.cancel());
    set_page_title("Users");
    flash.take_into(set_status_message);

    let is_admin = move || session.is_account_admin();
    let filter_errors = Signal::derive(move || {
        list.with(|list| match list {
            Some(Err(error)) => filter_errors_of(error),
            _ => FieldErrors::new(),
        })
    });
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
            <UserFilters list_url roles filter_errors />
            <div class="list-tools">
                <CsvExport query=shown_query />
                {move || {
                    is_admin()
                        .then(|| {
                            view! {
                                <SelectionBar
                                    selection
                                    page_ids=Signal::derive(move || page_user_ids(&list.read()))
                                    total=Signal::derive(move || page_total(&list.read()))
                                    filter=Signal::derive(move || shown_query.read().filter.clone())
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
                shown_query
                roles
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
                    list_url.change(|query| query.page = page);
                }
                on_sort=move |column: UserSort| {
                    pending_focus.set_value(Some(ListFocus::SortButton(column)));
                    list_url.change(|query| sort_by(query, column));
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

/// Sorts by `column`: ascending at first, reversed when it is the sorted column already. The
/// list returns to its first page, because the old page number means other users now.
fn sort_by(query: &mut UserListQuery, column: UserSort) {
    if query.sort == column {
        query.direction = query.direction.reversed();
    } else {
        query.sort = column;
        query.direction = domain::SortDirection::Asc;
    }
    query.page = 1;
}

/// Returns the backend's messages about the role and account filters in `error`, a 422
/// response to a list request, as for a link whose role no longer exists.
fn filter_errors_of(error: &ClientError) -> FieldErrors {
    if error.status() != Some(422) {
        return FieldErrors::new();
    }
    let mut errors = error.field_errors();
    errors.retain(|name, _| name == ROLE_PARAMETER || name == ACCOUNT_PARAMETER);
    errors
}

/// Signals that a list request writes its result and progress to.
#[derive(Clone, Copy)]
struct Loading {
    latest: LatestRequest,
    list: RwSignal<ListResult>,
    shown_query: RwSignal<UserListQuery>,
    set_is_loading: WriteSignal<bool>,
    /// The live region that sums up the loaded list, or `None` for the first load.
    announce: Option<WriteSignal<String>>,
    /// The roles, whose names the summary uses.
    roles: RolesResource,
}

/// Requests a page of users, aborting the request before; a late response is dropped. With
/// `announce`, the live region it writes sums up the loaded list, and is emptied meanwhile
/// so that the same summary twice in a row is still a change that screen readers announce.
// NOTE: no browser test covers the abort, because the test backend responds before a
// second keystroke can overtake the first request.
fn load_users(query: UserListQuery, loading: Loading) {
    let Loading {
        latest,
        list,
        shown_query,
        set_is_loading,
        announce,
        roles,
    } = loading;
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
        let role_name = role_name(roles, &query);
        let summary = match &result {
            Ok(page) => Some(summary::results_summary(page, &query, role_name.as_deref())),
            Err(error) if !filter_errors_of(error).is_empty() => {
                leptos::logging::warn!("the backend rejected a list filter: {error}");
                Some(summary::INVALID_FILTER.to_owned())
            }
            // The error view is an alert, which screen readers announce on its own.
            Err(error) => {
                leptos::logging::warn!("loading users failed: {error}");
                None
            }
        };
        if let (Some(announce), Some(summary)) = (announce, summary) {
            announce.try_set(summary);
        }
        set_is_loading.try_set(false);
        shown_query.try_set(query);
        list.try_set(Some(result));
    });
}

/// Returns the name of the role that `query` filters by, once the roles have loaded.
fn role_name(roles: RolesResource, query: &UserListQuery) -> Option<String> {
    let id = query.filter.role.as_ref()?;
    let roles: Vec<Role> = roles.get_untracked()?.ok()?;
    roles
        .into_iter()
        .find(|role| &role.id == id)
        .map(|role| role.name)
}

// NOTE: the row and the total stay as loaded, so after a change that takes the user out of the
// view's status filter, the total counts them until the list loads again.
fn replace_user(list: &mut ListResult, changed: User) {
    if let Some(Ok(page)) = list
        && let Some(user) = page.users.iter_mut().find(|user| user.id == changed.id)
    {
        *user = changed;
    }
}

/// Renders the loading, error, empty or filled state of the list.
#[component]
fn UserResults(
    shown_query: RwSignal<UserListQuery>,
    roles: RolesResource,
    list: RwSignal<ListResult>,
    is_loading: ReadSignal<bool>,
    #[prop(into)] on_retry: Callback<()>,
    #[prop(into)] on_page: Callback<(u32, PageButton)>,
    #[prop(into)] on_sort: Callback<UserSort>,
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
    let table_sort = move || {
        shown_query.with_untracked(|query| TableSort {
            sort: query.sort,
            direction: query.direction,
            on_sort,
        })
    };
    let selection = move || session.is_account_admin().then_some(selection);

    view! {
        <div class="results" aria-busy=move || if is_loading.get() { "true" } else { "false" }>
            <Show when=move || is_loading.get() && list.with(Option::is_some)>
                <p class="loading loading-inline">"Updating…"</p>
            </Show>
            {move || match list.get() {
                None => view! { <p class="loading" role="status">"Loading users…"</p> }.into_any(),
                Some(Err(error)) if !filter_errors_of(&error).is_empty() => view! {
                    <p class="empty" tabindex="-1">{summary::INVALID_FILTER}</p>
                }
                .into_any(),
                Some(Err(error)) => view! { <ErrorView error on_retry /> }.into_any(),
                Some(Ok(page)) if page.users.is_empty() => {
                    view! { <EmptyResults page shown_query roles on_page /> }.into_any()
                }
                Some(Ok(page)) => view! {
                    <UserTable
                        users=page.users.clone()
                        current_user_id=current_user_id()
                        on_toggle=on_toggle()
                        sort=table_sort()
                        selection=selection()
                    />
                    <Pagination page on_page />
                }
                .into_any(),
            }}
        </div>
    }
}

/// Says that no users match, or, after a link to a page past the last one, offers the last
/// page.
#[component]
fn EmptyResults(
    page: UserPage,
    shown_query: RwSignal<UserListQuery>,
    roles: RolesResource,
    on_page: Callback<(u32, PageButton)>,
) -> impl IntoView {
    let query = shown_query.get_untracked();
    if page.total == 0 {
        let message = summary::empty_message(&query, role_name(roles, &query).as_deref());
        return view! { <p class="empty" tabindex="-1">{message}</p> }.into_any();
    }
    let last_page = page.page_count();
    view! {
        <div class="empty-page">
            <p class="empty" tabindex="-1">
                {summary::past_end_message(&page, &query)}
            </p>
            <button
                type="button"
                class=BUTTON_SECONDARY
                on:click=move |_| on_page.run((last_page, PageButton::Previous))
            >
                {format!("Go to page {last_page}")}
            </button>
        </div>
    }
    .into_any()
}
