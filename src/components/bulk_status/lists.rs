//! The contents of the bulk status dialog: the preview's lists of who will change and who is
//! skipped, grouped by reason, and the report's line per user.

use domain::{BulkOutcome, BulkUserResult, StatusAction};
use leptos::prelude::*;

use super::{past_participle, users_count};
use crate::format::format_count;

/// Reasons to skip a user, in the order the preview lists them.
const SKIP_REASONS: [BulkOutcome; 4] = [
    BulkOutcome::AlreadyInState,
    BulkOutcome::Yourself,
    BulkOutcome::LastAccountAdmin,
    BulkOutcome::NotFound,
];

/// Renders who will change and who is skipped. A long list scrolls inside the dialog.
#[component]
pub fn PreviewLists(action: StatusAction, lines: Vec<BulkUserResult>) -> impl IntoView {
    let changing: Vec<&BulkUserResult> = lines
        .iter()
        .filter(|line| line.outcome == BulkOutcome::Changed)
        .collect();
    let heading = match changing.len() {
        0 if lines.is_empty() => "No user matches this selection any more.".to_owned(),
        0 => format!(
            "No selected user can be {}: every one is skipped for the reason shown.",
            past_participle(action)
        ),
        1 => format!("This user will be {}", past_participle(action)),
        count => format!(
            "These {} users will be {}",
            format_count(count as u64),
            past_participle(action)
        ),
    };
    // Each message, such as the invitation email of a user who returns to invited, heads the
    // users it applies to, so the admin sees every side effect before confirming.
    let mut groups: Vec<(&str, Vec<&BulkUserResult>)> = Vec::new();
    for line in changing {
        match groups
            .iter_mut()
            .find(|(message, _)| *message == line.message)
        {
            Some((_, group)) => group.push(line),
            None => groups.push((line.message.as_str(), vec![line])),
        }
    }
    let changing = groups
        .into_iter()
        .map(|(message, group)| {
            let note = format!("{message} ({})", format_count(group.len() as u64));
            view! {
                <p class="bulk-group-note">{note}</p>
                {name_list(&group)}
            }
        })
        .collect_view();
    let skipped = SKIP_REASONS
        .into_iter()
        .filter_map(|reason| {
            let group: Vec<&BulkUserResult> =
                lines.iter().filter(|line| line.outcome == reason).collect();
            (!group.is_empty()).then(|| {
                let title = format!("{} ({})", skip_reason(action, reason), group.len());
                view! {
                    <h4 class="bulk-group-title">{title}</h4>
                    {name_list(&group)}
                }
            })
        })
        .collect_view();
    let skipped_count = lines
        .iter()
        .filter(|line| line.outcome.is_skipped())
        .count();

    // The region can take focus, so that keyboard users can scroll a long list.
    view! {
        <div class="bulk-lists" tabindex="0" role="region" aria-label="Users in this change">
            <h3 class="bulk-heading" id="bulk-changing">{heading}</h3>
            {changing}
            {(skipped_count > 0)
                .then(|| {
                    view! {
                        <h3 class="bulk-heading">{format!("Skipped: {}", users_count(skipped_count))}</h3>
                        {skipped}
                    }
                })}
        </div>
    }
}

/// Renders the outcome and message of each user of a finished change.
#[component]
pub fn ReportTable(action: StatusAction, lines: Vec<BulkUserResult>) -> impl IntoView {
    let rows = lines
        .into_iter()
        .map(|line| {
            let outcome = match line.outcome {
                BulkOutcome::Changed => action_done(action).to_owned(),
                reason => format!("Skipped: {}", skip_reason(action, reason)),
            };
            view! {
                <tr class="bulk-report-row" data-outcome=outcome_name(line.outcome)>
                    <td>{user_label(&line)}</td>
                    <td>{outcome}</td>
                    <td>{line.message}</td>
                </tr>
            }
        })
        .collect_view();

    view! {
        <div class="bulk-lists" tabindex="0" role="region" aria-label="Outcome per user">
            <table class="bulk-report">
                <thead>
                    <tr>
                        <th scope="col">"User"</th>
                        <th scope="col">"Outcome"</th>
                        <th scope="col">"Message"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn name_list(lines: &[&BulkUserResult]) -> impl IntoView + use<> {
    let items = lines
        .iter()
        .map(|line| view! { <li>{user_label(line)}</li> })
        .collect_view();
    view! { <ul class="bulk-list">{items}</ul> }
}

/// Names a user as "First Last (username)", or by id when no user has it.
fn user_label(line: &BulkUserResult) -> String {
    match (&line.first_name, &line.last_name, &line.username) {
        (Some(first), Some(last), Some(username)) => format!("{first} {last} ({username})"),
        (_, _, Some(username)) => username.clone(),
        _ => format!("User {}", line.id),
    }
}

fn skip_reason(action: StatusAction, reason: BulkOutcome) -> &'static str {
    match (reason, action) {
        (BulkOutcome::AlreadyInState, StatusAction::Deactivate) => "Already deactivated",
        (BulkOutcome::AlreadyInState, StatusAction::Reactivate) => "Not deactivated",
        (BulkOutcome::Yourself, _) => "You",
        (BulkOutcome::LastAccountAdmin, _) => "Last account admin",
        (BulkOutcome::NotFound, _) => "Not found",
        (BulkOutcome::Changed, _) => "Changed",
    }
}

fn action_done(action: StatusAction) -> &'static str {
    match action {
        StatusAction::Deactivate => "Deactivated",
        StatusAction::Reactivate => "Reactivated",
    }
}

/// Wire name of an outcome, as a hook for the stylesheet and tests.
fn outcome_name(outcome: BulkOutcome) -> &'static str {
    match outcome {
        BulkOutcome::Changed => "changed",
        BulkOutcome::AlreadyInState => "already_in_state",
        BulkOutcome::Yourself => "yourself",
        BulkOutcome::LastAccountAdmin => "last_account_admin",
        BulkOutcome::NotFound => "not_found",
    }
}
