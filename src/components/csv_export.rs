//! Export CSV: fetches every page of the list's current filter and sort, shows the progress
//! with Cancel, and downloads the file that `crate::csv` writes from it. A failure or Cancel
//! downloads nothing.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::time::Duration;

use domain::{USERS_MAX_PER_PAGE, User, UserListQuery};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortSignal, Blob, BlobPropertyBag, HtmlAnchorElement, Url};

use crate::api::{self, LatestRequest};
use crate::aria::busy_state;
use crate::classes::BUTTON_SECONDARY;
use crate::components::error_summary::focus_element;
use crate::components::error_view::ErrorView;
use crate::csv::{ExportNames, users_csv};
use crate::error::ClientError;
use crate::format::format_count;

/// Time before the object URL of a download is revoked. The click only starts the download,
/// and some browsers read the blob afterwards; a second is an estimate with ample margin.
const REVOKE_DELAY: Duration = Duration::from_secs(1);

/// State of the export.
#[derive(Clone, Debug, PartialEq)]
enum ExportState {
    Idle,
    /// Fetching pages: users fetched so far, and the total the last page reported (`None`
    /// before the first page).
    Running {
        fetched: u64,
        total: Option<u64>,
    },
    Failed(ClientError),
    Cancelled,
    Done {
        count: u64,
        file_name: String,
    },
}

const EXPORT_BUTTON_ID: &str = "csv-export-button";

/// Renders the Export CSV button, and while it runs, the progress with Cancel.
#[component]
pub fn CsvExport(#[prop(into)] query: Signal<UserListQuery>) -> impl IntoView {
    let state = RwSignal::new(ExportState::Idle);
    let latest = LatestRequest::new();

    on_cleanup(move || latest.cancel());

    let is_running = move || state.with(|state| matches!(state, ExportState::Running { .. }));
    let start = move || {
        if !is_running() {
            start_export(query.get_untracked(), state, latest);
        }
    };
    let cancel = move |_| {
        latest.cancel();
        state.set(ExportState::Cancelled);
        // Cancel disappears, so focus returns to the button that started the export.
        request_animation_frame(|| focus_element(EXPORT_BUTTON_ID));
    };

    view! {
        <div class="csv-export">
            <button
                type="button"
                id=EXPORT_BUTTON_ID
                class=BUTTON_SECONDARY
                aria-disabled=move || busy_state(is_running())
                on:click=move |_| start()
            >
                "Export CSV"
            </button>
            {move || {
                is_running()
                    .then(|| {
                        view! {
                <div class="csv-export-progress">
                    <label for="csv-export-progress">{move || progress_text(&state.get())}</label>
                    <progress
                        id="csv-export-progress"
                        max=move || progress_values(&state.get()).map(|(_, total)| total)
                        value=move || progress_values(&state.get()).map(|(fetched, _)| fetched)
                    ></progress>
                    <button type="button" class=BUTTON_SECONDARY on:click=cancel>
                        "Cancel"
                    </button>
                </div>
                        }
                    })
            }}
            <p class="csv-export-status" role="status">
                {move || status_text(&state.get())}
            </p>
            {move || match state.get() {
                ExportState::Failed(error) => Some(view! { <ErrorView error on_retry=start with_field_messages=true /> }),
                _ => None,
            }}
        </div>
    }
}

/// Text beside the progress bar, such as "Exporting 300 of 1,234 users".
fn progress_text(state: &ExportState) -> String {
    match state {
        ExportState::Running {
            fetched,
            total: Some(total),
        } => format!(
            "Exporting {} of {} users",
            format_count(*fetched),
            format_count(*total)
        ),
        _ => "Exporting users…".to_owned(),
    }
}

/// Value and maximum of the progress bar; `None` leaves it indeterminate.
fn progress_values(state: &ExportState) -> Option<(u64, u64)> {
    match state {
        ExportState::Running {
            fetched,
            total: Some(total),
        } => Some((*fetched, *total)),
        _ => None,
    }
}

/// Text of the live region: the start and the end of an export, not every page.
fn status_text(state: &ExportState) -> String {
    match state {
        ExportState::Idle | ExportState::Failed(_) => String::new(),
        ExportState::Running { .. } => "Exporting users…".to_owned(),
        ExportState::Cancelled => "Export cancelled. Nothing was downloaded.".to_owned(),
        ExportState::Done { count, file_name } => {
            format!("Exported {} users to {file_name}.", format_count(*count))
        }
    }
}

fn start_export(query: UserListQuery, state: RwSignal<ExportState>, latest: LatestRequest) {
    let (abort, generation) = latest.start();
    state.set(ExportState::Running {
        fetched: 0,
        total: None,
    });
    leptos::task::spawn_local(async move {
        let on_progress = |fetched, total| {
            if latest.is_latest(generation) {
                state.try_set(ExportState::Running {
                    fetched,
                    total: Some(total),
                });
            }
        };
        let result = export_users(&query, abort.as_ref(), on_progress).await;
        if !latest.is_latest(generation) {
            return;
        }
        let new_state = match result {
            Ok((text, count)) => {
                let file_name = file_name(&js_sys::Date::new_0());
                match download(&file_name, &text) {
                    Ok(()) => ExportState::Done { count, file_name },
                    Err(error) => ExportState::Failed(ClientError::InvalidRequest {
                        detail: format!("the download could not start: {error:?}"),
                    }),
                }
            }
            Err(ClientError::Aborted) => ExportState::Cancelled,
            Err(error) => {
                leptos::logging::warn!("exporting users failed: {error}");
                ExportState::Failed(error)
            }
        };
        state.try_set(new_state);
    });
}

/// Fetches every user of `query`'s filter and sort, pages of [`USERS_MAX_PER_PAGE`], then the
/// role names and account numbers, and returns the CSV text and the number of users.
async fn export_users(
    query: &UserListQuery,
    abort: Option<&AbortSignal>,
    on_progress: impl Fn(u64, u64),
) -> Result<(String, u64), ClientError> {
    let users = fetch_all_users(query, abort, on_progress).await?;
    let roles = api::roles().await?;
    // Inserting one by one instead of collecting keeps a sort routine per key type out of
    // the wasm.
    let mut account_ids = BTreeSet::new();
    for user in &users {
        for id in &user.account_ids {
            account_ids.insert(*id);
        }
    }
    let account_ids: Vec<i64> = account_ids.into_iter().collect();
    let accounts = api::accounts_by_id(&account_ids).await?;
    if abort.is_some_and(AbortSignal::aborted) {
        return Err(ClientError::Aborted);
    }
    let mut names = ExportNames::default();
    for role in roles {
        names.roles.insert(role.id, role.name);
    }
    for account in accounts {
        names.accounts.insert(account.id, account.number);
    }
    Ok((users_csv(&users, &names), users.len() as u64))
}

/// Fetches the pages one after another and reports the users fetched and the total after
/// each.
// NOTE: pages are read by number, so a user added or changed in the sorted column while the
// export runs can shift the pages: such a user may be missing, and a user fetched twice is
// kept once.
async fn fetch_all_users(
    query: &UserListQuery,
    abort: Option<&AbortSignal>,
    on_progress: impl Fn(u64, u64),
) -> Result<Vec<User>, ClientError> {
    let mut page_query = UserListQuery {
        page: 1,
        per_page: USERS_MAX_PER_PAGE,
        ..query.clone()
    };
    let mut users = Vec::new();
    let mut seen = BTreeSet::new();
    loop {
        let page = api::users(&page_query, abort).await?;
        let is_last = page.users.is_empty() || page_query.page >= page.page_count();
        let total = page.total;
        users.extend(page.users.into_iter().filter(|user| seen.insert(user.id)));
        let fetched = users.len() as u64;
        on_progress(fetched, total.max(fetched));
        if is_last {
            return Ok(users);
        }
        page_query.page += 1;
    }
}

/// Name of the file for an export on `date` in the browser's time zone, such as
/// `users-2026-12-05.csv`.
pub fn file_name(date: &js_sys::Date) -> String {
    format!(
        "users-{:04}-{:02}-{:02}.csv",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date()
    )
}

thread_local! {
    /// Downloads kept here instead of being handed to the browser, while a
    /// [`DownloadCapture`] exists.
    static CAPTURED: RefCell<Option<Vec<(String, String)>>> = const { RefCell::new(None) };
}

/// Keeps the files that the app would download, as file name and text, until dropped, so
/// that browser tests can read an export without a downloads folder.
pub struct DownloadCapture;

impl DownloadCapture {
    pub fn start() -> DownloadCapture {
        CAPTURED.with(|captured| *captured.borrow_mut() = Some(Vec::new()));
        DownloadCapture
    }

    /// Removes and returns the files captured so far.
    pub fn take(&self) -> Vec<(String, String)> {
        CAPTURED.with(|captured| {
            captured
                .borrow_mut()
                .as_mut()
                .map(std::mem::take)
                .unwrap_or_default()
        })
    }
}

impl Drop for DownloadCapture {
    fn drop(&mut self) {
        CAPTURED.with(|captured| captured.borrow_mut().take());
    }
}

/// Offers `text` to the browser as a download named `file_name`: a Blob behind an object URL,
/// clicked through a hidden `<a download>`. The URL is revoked after [`REVOKE_DELAY`].
fn download(file_name: &str, text: &str) -> Result<(), JsValue> {
    let is_captured = CAPTURED.with(|captured| {
        let mut captured = captured.borrow_mut();
        let files = captured.as_mut()?;
        files.push((file_name.to_owned(), text.to_owned()));
        Some(())
    });
    if is_captured.is_some() {
        return Ok(());
    }

    let options = BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let link: HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.set_hidden(true);
    let body = document().body().ok_or("the document has no body")?;
    body.append_child(&link)?;
    link.click();
    link.remove();
    set_timeout(
        move || {
            if let Err(error) = Url::revoke_object_url(&url) {
                leptos::logging::warn!("could not revoke the export's object URL: {error:?}");
            }
        },
        REVOKE_DELAY,
    );
    Ok(())
}
