//! The users page's side of the selection: it clears the selection when the filter changes,
//! keeps the count of a matching selection current, and moves focus after the bulk dialog.

use domain::{UserFilter, UserListQuery};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::ListResult;
use crate::components::selection::Selection;

/// Clears `selection` when the search or a filter changes, because the users it names would
/// no longer be the ones in view, and keeps the number of a matching selection current.
/// Paging, sorting and the page size keep the selection.
pub fn track_selection(
    query: Signal<UserListQuery>,
    list: RwSignal<ListResult>,
    selection: Selection,
) {
    Effect::new(move |previous: Option<UserFilter>| {
        let filter = query.read().filter.clone();
        if previous.is_some_and(|previous| previous != filter) {
            selection.clear();
        }
        filter
    });
    Effect::new(move || {
        if let Some(Ok(page)) = &*list.read() {
            selection.update_total(page.total);
        }
    });
}

pub fn page_user_ids(list: &ListResult) -> Vec<i64> {
    match list {
        Some(Ok(page)) => page.users.iter().map(|user| user.id).collect(),
        _ => Vec::new(),
    }
}

pub fn page_total(list: &ListResult) -> u64 {
    match list {
        Some(Ok(page)) => page.total,
        _ => 0,
    }
}

/// Moves focus to the table after the bulk status dialog closed on its report, because the
/// selection bar whose button opened it is gone. A cancelled dialog returns focus itself.
pub fn focus_list_after_dialog(selection: Selection) {
    if selection.count() > 0 {
        return;
    }
    let table = document()
        .query_selector(".user-table")
        .ok()
        .flatten()
        .and_then(|table| table.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(table) = table
        && let Err(error) = table.focus()
    {
        leptos::logging::warn!("could not focus the users table: {error:?}");
    }
}
