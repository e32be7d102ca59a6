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

mod lists;

use lists::{PreviewLists, ReportTable};

/// Id of the report's Close button, which takes focus once the change is done.
const CLOSE_BUTTON_ID: &str = "bulk-status-close";

/// Previews `action` for `selection` when mounted, leaving out the users of `excluded`, and
/// sends it once confirmed. `on_done` gets the report's summary once the change has run;
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
    let preview_action = Action::new_local(|request: &BulkStatusRequest| {
        let request = request.clone();
        async move { api::bulk_status(&request).await }
    });
    let execute_action = Action::new_local(|request: &BulkStatusRequest| {
        let request = request.clone();
        async move { api::bulk_status(&request).await }
    });
    let preview_request = BulkStatusRequest {
        action,
        selection,
        dry_run: true,
    };

    let excluded = StoredValue::new(excluded);
    let preview = Memo::new(move |_| {
        preview_action.value().with(|value| match value {
            Some(Ok(result)) => Some(Ok(excluded.with_value(|ids| without(result, ids)))),
            Some(Err(error)) => Some(Err(error.clone())),
            None => None,
        })
    });
    let changing_ids = move || -> Vec<i64> {
        preview.with(|preview| match preview {
            Some(Ok(lines)) => lines
                .iter()
                .filter(|line| line.outcome == BulkOutcome::Changed)
                .map(|line| line.id)
                .collect(),
            _ => Vec::new(),
        })
    };
    let report = Memo::new(move |_| {
        let executed = execute_action.value().with(|value| match value {
            Some(Ok(result)) => Some(result.results.clone()),
            _ => None,
        })?;
        let skipped_before = preview.with(|preview| match preview {
            Some(Ok(lines)) => skipped_lines(lines),
            _ => Vec::new(),
        });
        Some([executed, skipped_before].concat())
    });
    let execute = move || {
        if execute_action.pending().get_untracked() {
            return;
        }
        execute_action.dispatch(BulkStatusRequest {
            action,
            selection: BulkSelection::Ids(changing_ids()),
            dry_run: false,
        });
    };

    preview_action.dispatch(preview_request.clone());
    Effect::new(move || {
        if let Some(lines) = report.get() {
            on_done.run(report_summary(action, &lines));
            request_animation_frame(|| focus_element(CLOSE_BUTTON_ID));
        }
    });
    Effect::new(move || {
        if let Some(Err(error)) = execute_action.value().get() {
            leptos::logging::warn!("bulk {} failed: {error}", action.label());
        }
    });

    let status_text = move || match (report.get(), preview_action.pending().get()) {
        (Some(lines), _) => report_summary(action, &lines),
        (None, true) => "Checking which users will change…".to_owned(),
        (None, false) if execute_action.pending().get() => {
            format!("{} users…", progressive(action))
        }
        (None, false) => String::new(),
    };
    let on_cancel = move || {
        if !execute_action.pending().get_untracked() {
            on_close.run(());
        }
    };
    let retry_preview = move || {
        preview_action.dispatch(preview_request.clone());
    };

    view! {
        <ModalDialog labelled_by="bulk-status-title" class="dialog-wide" on_cancel>
            <h2 class="dialog-title" id="bulk-status-title">
                {move || dialog_title(action, report.with(Option::is_some))}
            </h2>
            <p class="bulk-status-summary" role="status">
                {status_text}
            </p>
            {move || match (report.get(), preview.get()) {
                (Some(lines), _) => view! { <ReportTable action lines /> }.into_any(),
                (None, Some(Ok(lines))) => view! { <PreviewLists action lines /> }.into_any(),
                (None, Some(Err(error))) => {
                    let retry_preview = retry_preview.clone();
                    view! { <ErrorView error on_retry=move || retry_preview() /> }.into_any()
                }
                (None, None) => ().into_any(),
            }}
            {move || {
                execute_action
                    .value()
                    .get()
                    .and_then(Result::err)
                    .map(|error: ClientError| view! { <ErrorView error on_retry=execute /> })
            }}
            <div class="dialog-actions">
                {move || {
                    if report.with(Option::is_some) {
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
                                    aria-disabled=move || busy_state(execute_action.pending().get())
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
        format!("{count} users")
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
