//! The dialog of a bulk deactivation or reactivation: it previews the change (who will change
//! and who is skipped, and why), sends it for exactly the users previewed as changing, and
//! then reports each user's outcome.

use std::collections::BTreeSet;

use domain::StatusAction;
use domain::{BulkOutcome, BulkSelection, BulkStatusRequest, BulkStatusResult, BulkUserResult};
use leptos::prelude::*;

use crate::api;
use crate::aria::busy_state;
use crate::classes::{BUTTON_DANGER, BUTTON_PRIMARY, BUTTON_SECONDARY};
use crate::components::confirm_dialog::ModalDialog;
use crate::components::error_summary::focus_element;
use crate::components::error_view::ErrorView;
use crate::error::ClientError;
use crate::format::format_count;

mod lists;

use lists::{PreviewLists, ReportTable};

/// Id of the report's Close button, which takes focus once the change is done.
const CLOSE_BUTTON_ID: &str = "bulk-status-close";

/// State of one request of the dialog: running, or its result.
#[derive(Clone, Debug, Default, PartialEq)]
enum RequestState {
    #[default]
    NotSent,
    Running,
    /// The lines of the response, without the users the dialog leaves out.
    Done(Vec<BulkUserResult>),
    Failed(ClientError),
}

impl RequestState {
    fn is_running(&self) -> bool {
        *self == RequestState::Running
    }
}

/// Previews `action` for `selection` when mounted, leaving out the users of `excluded`, and
/// sends it once confirmed. `on_done` gets the report's summary once the change has run, and
/// `on_close` is called when the dialog should close.
#[component]
pub fn BulkStatusDialog(
    action: StatusAction,
    selection: BulkSelection,
    /// Users unticked after selecting all matching users: the preview leaves them out.
    excluded: BTreeSet<i64>,
    #[prop(into)] on_done: Callback<String>,
    #[prop(into)] on_close: Callback<()>,
) -> impl IntoView {
    let preview = RwSignal::new(RequestState::NotSent);
    let execution = RwSignal::new(RequestState::NotSent);
    let preview_request = StoredValue::new(BulkStatusRequest {
        action,
        selection,
        dry_run: true,
    });
    let excluded = StoredValue::new(excluded);

    let changing_ids = move || -> Vec<i64> {
        preview.with(|preview| match preview {
            RequestState::Done(lines) => lines
                .iter()
                .filter(|line| line.outcome == BulkOutcome::Changed)
                .map(|line| line.id)
                .collect(),
            _ => Vec::new(),
        })
    };
    // The report adds the users skipped in the preview to the lines of the execution.
    let report = move || -> Option<Vec<BulkUserResult>> {
        let RequestState::Done(executed) = execution.get() else {
            return None;
        };
        let skipped_before = preview.with(|preview| match preview {
            RequestState::Done(lines) => skipped_lines(lines),
            _ => Vec::new(),
        });
        Some([executed, skipped_before].concat())
    };
    let start_preview = move || {
        let request = preview_request.get_value();
        send(request, excluded.get_value(), preview, None);
    };
    let execute = move || {
        if execution.with_untracked(RequestState::is_running) {
            return;
        }
        let request = BulkStatusRequest {
            action,
            selection: BulkSelection::Ids(changing_ids()),
            dry_run: false,
        };
        let on_executed = Box::new(move |lines: Vec<BulkUserResult>| {
            let skipped_before = preview.with_untracked(|preview| match preview {
                RequestState::Done(lines) => skipped_lines(lines),
                _ => Vec::new(),
            });
            on_done.run(report_summary(action, &[lines, skipped_before].concat()));
            request_animation_frame(|| focus_element(CLOSE_BUTTON_ID));
        });
        send(request, BTreeSet::new(), execution, Some(on_executed));
    };

    start_preview();

    let status_text = move || {
        if let Some(lines) = report() {
            return report_summary(action, &lines);
        }
        if preview.with(RequestState::is_running) {
            return "Checking which users will change…".to_owned();
        }
        if execution.with(RequestState::is_running) {
            return format!("{} users…", progressive(action));
        }
        String::new()
    };
    let on_cancel = move || {
        if !execution.with_untracked(RequestState::is_running) {
            on_close.run(());
        }
    };

    view! {
        <ModalDialog labelled_by="bulk-status-title" class="dialog-wide" on_cancel>
            <h2 class="dialog-title" id="bulk-status-title">
                {move || dialog_title(action, execution.with(|state| matches!(state, RequestState::Done(_))))}
            </h2>
            <p class="bulk-status-summary" role="status">
                {status_text}
            </p>
            {move || match (report(), preview.get()) {
                (Some(lines), _) => view! { <ReportTable action lines /> }.into_any(),
                (None, RequestState::Done(lines)) => view! { <PreviewLists action lines /> }.into_any(),
                (None, RequestState::Failed(error)) => {
                    view! { <ErrorView error on_retry=start_preview with_field_messages=true /> }.into_any()
                }
                (None, _) => ().into_any(),
            }}
            {move || match execution.get() {
                RequestState::Failed(error) => Some(view! { <ErrorView error on_retry=execute with_field_messages=true /> }),
                _ => None,
            }}
            <div class="dialog-actions">
                {move || {
                    if execution.with(|state| matches!(state, RequestState::Done(_))) {
                        return view! {
                            <button
                                type="button"
                                id=CLOSE_BUTTON_ID
                                class=BUTTON_SECONDARY
                                on:click=move |_| on_close.run(())
                            >
                                "Close"
                            </button>
                        }
                        .into_any();
                    }
                    let count = changing_ids().len();
                    let confirm = (count > 0)
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class=confirm_class(action)
                                    aria-disabled=move || busy_state(execution.with(RequestState::is_running))
                                    on:click=move |_| execute()
                                >
                                    {confirm_label(action, count)}
                                </button>
                            }
                        });
                    view! {
                        {confirm}
                        <button type="button" class=BUTTON_SECONDARY autofocus on:click=move |_| on_cancel()>
                            "Cancel"
                        </button>
                    }
                    .into_any()
                }}
            </div>
        </ModalDialog>
    }
}

/// Sends `request` and puts its lines, without the users of `excluded`, or its error into
/// `state`. `on_success` gets the lines as well.
fn send(
    request: BulkStatusRequest,
    excluded: BTreeSet<i64>,
    state: RwSignal<RequestState>,
    on_success: Option<Box<dyn FnOnce(Vec<BulkUserResult>)>>,
) {
    state.set(RequestState::Running);
    leptos::task::spawn_local(async move {
        let new_state = match api::bulk_status(&request).await {
            Ok(result) => RequestState::Done(without(&result, &excluded)),
            Err(error) => {
                leptos::logging::warn!("bulk {} failed: {error}", request.action.label());
                RequestState::Failed(error)
            }
        };
        if let (Some(on_success), RequestState::Done(lines)) = (on_success, &new_state) {
            on_success(lines.clone());
        }
        state.try_set(new_state);
    });
}

/// Returns the lines of `result` without the users of `excluded`.
fn without(result: &BulkStatusResult, excluded: &BTreeSet<i64>) -> Vec<BulkUserResult> {
    result
        .results
        .iter()
        .filter(|line| !excluded.contains(&line.id))
        .cloned()
        .collect()
}

fn skipped_lines(lines: &[BulkUserResult]) -> Vec<BulkUserResult> {
    lines
        .iter()
        .filter(|line| line.outcome.is_skipped())
        .cloned()
        .collect()
}

fn dialog_title(action: StatusAction, is_done: bool) -> String {
    match (action, is_done) {
        (StatusAction::Deactivate, false) => "Deactivate selected users?".to_owned(),
        (StatusAction::Reactivate, false) => "Reactivate selected users?".to_owned(),
        (StatusAction::Deactivate, true) => "Deactivation report".to_owned(),
        (StatusAction::Reactivate, true) => "Reactivation report".to_owned(),
    }
}

fn confirm_class(action: StatusAction) -> &'static str {
    match action {
        StatusAction::Deactivate => BUTTON_DANGER,
        StatusAction::Reactivate => BUTTON_PRIMARY,
    }
}

/// Label of the confirm button, such as "Deactivate 12 users".
pub fn confirm_label(action: StatusAction, count: usize) -> String {
    format!("{} {}", action.label(), users_count(count))
}

/// Returns "1 user" or "`count` users".
pub fn users_count(count: usize) -> String {
    if count == 1 {
        "1 user".to_owned()
    } else {
        format!("{} users", format_count(count as u64))
    }
}

/// Past participle of the action in lower case, such as "deactivated".
pub fn past_participle(action: StatusAction) -> &'static str {
    match action {
        StatusAction::Deactivate => "deactivated",
        StatusAction::Reactivate => "reactivated",
    }
}

fn progressive(action: StatusAction) -> &'static str {
    match action {
        StatusAction::Deactivate => "Deactivating",
        StatusAction::Reactivate => "Reactivating",
    }
}

/// Sums up a report for people and screen readers, such as "12 users deactivated, 3 skipped."
pub fn report_summary(action: StatusAction, lines: &[BulkUserResult]) -> String {
    let changed = lines
        .iter()
        .filter(|line| line.outcome == BulkOutcome::Changed)
        .count();
    let skipped = lines.len() - changed;
    format!(
        "{} {}, {skipped} skipped.",
        users_count(changed),
        past_participle(action)
    )
}
