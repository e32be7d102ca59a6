//! The notice that a save is taking long, so that a slow server does not look like a form
//! that stopped working.

use std::time::Duration;

use leptos::prelude::*;

/// How long a save runs before the notice appears. Most saves finish well within it.
pub const SLOW_SAVE_AFTER: Duration = Duration::from_secs(4);

const SLOW_SAVE_MESSAGE: &str = "Still saving. The server is slow to respond. What you typed \
     stays in the form, so wait here rather than saving again.";

/// Shows a notice, in a live region, once `pending` has held for [`SLOW_SAVE_AFTER`], and
/// removes it when the save ends.
// NOTE: a save that never ends keeps the notice up; the app sets no timeout of its own, so
// the browser's fetch timeout decides when it fails.
#[component]
pub fn SlowSaveNotice(#[prop(into)] pending: Signal<bool>) -> impl IntoView {
    let is_slow = RwSignal::new(false);
    // Counts saves, so a timer of an earlier save that ended does not show the notice.
    let save_number = StoredValue::new(0_u64);

    Effect::new(move || {
        if !pending.get() {
            is_slow.set(false);
            return;
        }
        save_number.update_value(|number| *number += 1);
        let started = save_number.get_value();
        set_timeout(
            move || {
                let is_same_save = save_number.try_get_value() == Some(started);
                if is_same_save && pending.try_get_untracked() == Some(true) {
                    is_slow.try_set(true);
                }
            },
            SLOW_SAVE_AFTER,
        );
    });

    view! {
        <p class="status-message slow-save" role="status">
            {move || is_slow.get().then_some(SLOW_SAVE_MESSAGE)}
        </p>
    }
}
