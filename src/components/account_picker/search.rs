//! The account picker's requests: the search typed into it, sent after a pause in typing,
//! and the next pages of its matches, one request in flight at a time.

use std::time::Duration;

use domain::{Account, AccountPage};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, AccountQuery, LatestRequest};
use crate::error::ClientError;
use crate::format::format_count;

/// Pause in typing after which the search is sent.
const DEBOUNCE: Duration = Duration::from_millis(250);

/// The loaded matches of the latest search, and every account seen so far by id.
#[derive(Clone, Copy)]
pub struct AccountSearch {
    /// Text in the input, as typed.
    pub text: RwSignal<String>,
    /// The loaded pages of matches, in number order.
    pub results: RwSignal<Vec<Account>>,
    /// The search whose matches `results` contains, once a first page has loaded.
    pub shown_search: RwSignal<Option<String>>,
    /// Matches over all pages.
    pub total: RwSignal<u64>,
    pub next_after: RwSignal<Option<i64>>,
    pub is_loading: RwSignal<bool>,
    /// The failure of the latest request, shown with a retry until the next request.
    pub error: RwSignal<Option<ClientError>>,
    /// Every account that a response contained, for the labels of the selected accounts.
    pub known: RwSignal<Vec<Account>>,
    /// Text for the picker's live region.
    pub announcement: RwSignal<String>,
    failed_query: StoredValue<Option<AccountQuery>>,
    latest: LatestRequest,
    debounce: StoredValue<Option<TimeoutHandle>>,
}

impl AccountSearch {
    pub fn new() -> Self {
        Self {
            text: RwSignal::new(String::new()),
            results: RwSignal::new(Vec::new()),
            shown_search: RwSignal::new(None),
            total: RwSignal::new(0),
            next_after: RwSignal::new(None),
            is_loading: RwSignal::new(false),
            error: RwSignal::new(None),
            known: RwSignal::new(Vec::new()),
            announcement: RwSignal::new(String::new()),
            failed_query: StoredValue::new(None),
            latest: LatestRequest::new(),
            debounce: StoredValue::new(None),
        }
    }

    /// Sends the search in the input once typing pauses for [`DEBOUNCE`]. Each keystroke
    /// restarts the wait.
    pub fn search_soon(&self) {
        self.clear_debounce();
        let search = *self;
        match set_timeout_with_handle(move || search.search_now(), DEBOUNCE) {
            Ok(handle) => self.debounce.set_value(Some(handle)),
            Err(error) => {
                leptos::logging::warn!("could not delay the account search: {error:?}");
                self.search_now();
            }
        }
    }

    /// Sends the search in the input at once, aborting any request in flight.
    pub fn search_now(&self) {
        self.clear_debounce();
        let search = self.text.with_untracked(|text| text.trim().to_owned());
        self.send(AccountQuery {
            search,
            after: None,
        });
    }

    /// Sends the search in the input unless its first page is loaded or on its way.
    pub fn ensure_loaded(&self) {
        let search = self.text.with_untracked(|text| text.trim().to_owned());
        let is_shown = self
            .shown_search
            .with_untracked(|shown| shown.as_ref() == Some(&search));
        let has_error = self.error.with_untracked(Option::is_some);
        if !self.is_loading.get_untracked() && (!is_shown || has_error) {
            self.search_now();
        }
    }

    /// Loads the next page of the shown search, unless a request is in flight or no page
    /// follows.
    pub fn load_more(&self) {
        if self.is_loading.get_untracked() || self.error.with_untracked(Option::is_some) {
            return;
        }
        let Some(after) = self.next_after.get_untracked() else {
            return;
        };
        if let Some(search) = self.shown_search.get_untracked() {
            self.send(AccountQuery {
                search,
                after: Some(after),
            });
        }
    }

    /// Sends the request that failed last again.
    pub fn retry(&self) {
        if let Some(query) = self.failed_query.get_value() {
            self.send(query);
        }
    }

    /// Adds `accounts` to the known ones, for the labels of the selected accounts.
    pub fn remember(&self, accounts: &[Account]) {
        self.known.try_update(|known| {
            for account in accounts {
                if !known.iter().any(|seen| seen.id == account.id) {
                    known.push(account.clone());
                }
            }
        });
    }

    /// Returns the known account of `id`, without tracking.
    // A linear search suffices: the known accounts are the pages loaded in this form, at most
    // every account of the organisation.
    pub fn known_account(&self, id: i64) -> Option<Account> {
        self.known
            .with_untracked(|known| known.iter().find(|account| account.id == id).cloned())
    }

    /// Returns whether another page of matches follows the loaded ones.
    pub fn has_more(&self) -> bool {
        self.next_after.with(Option::is_some)
    }

    /// Describes the loaded matches, such as "Showing 50 of 2,004 accounts.".
    pub fn summary(&self) -> String {
        let Some(search) = self.shown_search.get() else {
            return String::new();
        };
        let shown = self.results.with(Vec::len) as u64;
        let total = self.total.get();
        let noun = if total == 1 { "account" } else { "accounts" };
        match (total, search.is_empty()) {
            (0, true) => "There are no accounts.".to_owned(),
            (0, false) => format!("No accounts match \u{201c}{search}\u{201d}."),
            (_, true) => format!(
                "Showing {} of {} {noun}.",
                format_count(shown),
                format_count(total)
            ),
            (_, false) => format!(
                "Showing {} of {} {noun} matching \u{201c}{search}\u{201d}.",
                format_count(shown),
                format_count(total)
            ),
        }
    }

    fn clear_debounce(&self) {
        if let Some(handle) = self.debounce.get_value() {
            handle.clear();
        }
        self.debounce.set_value(None);
    }

    /// Sends `query` after aborting the request in flight. A response that a newer request
    /// has replaced is dropped.
    fn send(&self, query: AccountQuery) {
        let (abort, generation) = self.latest.start();
        self.is_loading.set(true);
        self.error.set(None);
        let search = *self;
        spawn_local(async move {
            let result = api::accounts(&query, abort.as_ref()).await;
            if !search.latest.is_latest(generation) {
                return;
            }
            search.is_loading.set(false);
            match result {
                Ok(page) => search.show(query, page),
                Err(ClientError::Aborted) => {}
                Err(error) => {
                    leptos::logging::warn!("account search {:?} failed: {error}", query.search);
                    search.failed_query.set_value(Some(query));
                    search.error.set(Some(error));
                }
            }
        });
    }

    /// Shows a page of matches: a first page replaces the results, a next page extends them.
    fn show(&self, query: AccountQuery, page: AccountPage) {
        self.remember(&page.accounts);
        if query.after.is_none() {
            self.results.set(page.accounts);
        } else {
            self.results.update(|results| results.extend(page.accounts));
        }
        self.total.set(page.total);
        self.next_after.set(page.next_after);
        self.shown_search.set(Some(query.search));
        self.announcement.set(self.summary_untracked());
    }

    fn summary_untracked(&self) -> String {
        untrack(|| self.summary())
    }
}

impl Default for AccountSearch {
    fn default() -> Self {
        Self::new()
    }
}
