//! The checklist of password rules on the set-password page. Each rule shows whether the
//! typed password meets it, and a polite live region sums this up once typing pauses.

use std::time::Duration;

use domain::{PasswordCheck, PasswordContext, PasswordRule, check_password};
use leptos::prelude::*;

/// Pause after the last keystroke before the summary is announced, so that screen readers
/// are not interrupted at every character.
const ANNOUNCE_DELAY: Duration = Duration::from_millis(500);

/// Lists every rule of `domain::check_password` for `context`, marked met or not met.
#[component]
pub fn PasswordChecklist(
    /// Id of the list, which the password input names in `aria-describedby`.
    id: &'static str,
    password: RwSignal<String>,
    context: PasswordContext,
) -> impl IntoView {
    let (announcement, set_announcement) = signal(String::new());
    let announce_timer = StoredValue::new(None::<TimeoutHandle>);

    let checks = Memo::new(move |_| check_password(&password.get(), &context));

    on_cleanup(move || {
        if let Some(handle) = announce_timer.try_get_value().flatten() {
            handle.clear();
        }
    });
    // Skips the first run, because nothing has been typed yet.
    Effect::new(move |has_run: Option<bool>| {
        let summary = checks.with(|checks| met_summary(checks));
        if has_run.is_some() {
            schedule_announcement(announce_timer, summary, set_announcement);
        }
        true
    });

    view! {
        <div class="password-rules">
            <p class="password-rules-title">"Your password must meet these requirements:"</p>
            <ul class="rule-list" id=id>
                {move || checks.get().into_iter().map(|check| view! { <RuleItem check /> }).collect_view()}
            </ul>
            <p class="visually-hidden" role="status" aria-live="polite" id="password-rules-status">
                {move || announcement.get()}
            </p>
        </div>
    }
}

#[component]
fn RuleItem(check: PasswordCheck) -> impl IntoView {
    let (class, icon, state) = if check.is_met {
        ("rule rule-met", "✓", " (met)")
    } else {
        ("rule rule-unmet", "✗", " (not met)")
    };

    view! {
        <li class=class data-rule=rule_key(check.rule)>
            <span class="rule-icon" aria-hidden="true">{icon}</span>
            <span class="rule-label">{check.label}</span>
            <span class="visually-hidden">{state}</span>
        </li>
    }
}

/// Replaces any pending announcement with `summary`, announced after [`ANNOUNCE_DELAY`].
fn schedule_announcement(
    timer: StoredValue<Option<TimeoutHandle>>,
    summary: String,
    set_announcement: WriteSignal<String>,
) {
    if let Some(handle) = timer.get_value() {
        handle.clear();
    }
    let announce = move || {
        set_announcement.try_set(summary);
    };
    match set_timeout_with_handle(announce, ANNOUNCE_DELAY) {
        Ok(handle) => timer.set_value(Some(handle)),
        Err(error) => leptos::logging::error!("could not schedule the announcement: {error:?}"),
    }
}

/// Summarises the checklist, e.g. "3 of 5 requirements met".
pub fn met_summary(checks: &[PasswordCheck]) -> String {
    let met = checks.iter().filter(|check| check.is_met).count();
    format!("{met} of {} requirements met", checks.len())
}

/// Stable name of a rule, set as `data-rule` on its list item.
pub fn rule_key(rule: PasswordRule) -> &'static str {
    match rule {
        PasswordRule::MinLength => "min-length",
        PasswordRule::MaxLength => "max-length",
        PasswordRule::NotBlank => "not-blank",
        PasswordRule::NoUsername => "no-username",
        PasswordRule::NoFirstName => "no-first-name",
        PasswordRule::NoLastName => "no-last-name",
        PasswordRule::NoEmail => "no-email",
    }
}
