//! The users list's settings as the address bar contains them. The page reads every setting from
//! the URL query, and each change writes a new URL through the router, so links reproduce a
//! view and back and forward move between views.

use domain::UserListQuery;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};

/// Path of the list inside the app, to which the router adds the base path.
const LIST_PATH: &str = "/users";

/// Whether a change adds a history entry or replaces the current one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryEntry {
    Push,
    Replace,
}

/// The list's settings read from the address bar, and the way to change them.
#[derive(Clone, Copy)]
pub struct ListUrl {
    /// Settings of the current URL, read leniently by [`UserListQuery::from_pairs`]. It only
    /// notifies when a setting changes, so an equal URL doesn't reload the list.
    pub query: Memo<UserListQuery>,
    navigate: StoredValue<Navigate, LocalStorage>,
}

/// The router's `navigate`, kept so that event handlers can call it.
type Navigate = Box<dyn Fn(&str, NavigateOptions)>;

impl ListUrl {
    /// Reads the router's URL. Must be called inside the router.
    pub fn new() -> Self {
        // The router's location changes as soon as `navigate` runs. The route's own URL
        // (`use_query_map`) was seen to keep the query the page opened with when only the
        // query changed (leptos_router 0.8.17).
        let query_map = use_location().query;
        let query = Memo::new(move |_| {
            query_map.with(|map| {
                UserListQuery::from_pairs(
                    map.into_iter().map(|(name, value)| (name.as_ref(), value)),
                )
            })
        });
        let navigate = use_navigate();
        ListUrl {
            query,
            navigate: StoredValue::new_local(Box::new(navigate)),
        }
    }

    /// Writes `query` into the address bar, unless it is the current one.
    pub fn show(&self, query: &UserListQuery, entry: HistoryEntry) {
        if self.query.with_untracked(|current| current == query) {
            return;
        }
        let options = NavigateOptions {
            replace: entry == HistoryEntry::Replace,
            // The list stays where it is on the page while its settings change.
            scroll: false,
            ..NavigateOptions::default()
        };
        let path = list_path(query);
        self.navigate
            .with_value(|navigate| navigate(&path, options));
    }

    /// Applies `change` to the current settings and adds a history entry for the result.
    pub fn change(&self, change: impl FnOnce(&mut UserListQuery)) {
        let mut query = self.query.get_untracked();
        change(&mut query);
        self.show(&query, HistoryEntry::Push);
    }

    /// Applies `change`, a change of which users are listed, and returns to the first page,
    /// because the page the list showed may not exist among the new matches.
    pub fn change_filter(&self, change: impl FnOnce(&mut UserListQuery)) {
        self.change(|query| {
            change(query);
            query.page = 1;
        });
    }
}

/// Returns the app path of the list showing `query`, such as `/users?sort=created&dir=desc`.
pub fn list_path(query: &UserListQuery) -> String {
    let pairs = query.to_pairs();
    if pairs.is_empty() {
        return LIST_PATH.to_owned();
    }
    let encoded: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{name}={}", encode_component(value)))
        .collect();
    format!("{LIST_PATH}?{}", encoded.join("&"))
}

fn encode_component(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}
