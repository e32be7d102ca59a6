//! Performance marks that `cargo xtask bench` reads to time the first load. Each is set once
//! per page load and costs one `performance.mark` call.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Set when `main` starts, right after the wasm module is instantiated.
pub const WASM_START: &str = "console:wasm-start";
/// Set once after the frame that first shows rows of the users list.
pub const FIRST_USER_ROW_PAINTED: &str = "console:first-user-row-painted";

static IS_FIRST_ROW_MARKED: AtomicBool = AtomicBool::new(false);

/// Adds the performance mark `name` to the page's timeline. A browser without the User
/// Timing API gets no mark, and the app runs on.
pub fn mark(name: &str) {
    let Some(performance) = web_sys::window().and_then(|window| window.performance()) else {
        return;
    };
    if let Err(error) = performance.mark(name) {
        leptos::logging::warn!("could not set the performance mark {name}: {error:?}");
    }
}

/// Sets [`FIRST_USER_ROW_PAINTED`] the first time it is called in a page load, once the
/// rows now in the DOM have been painted. A `requestAnimationFrame` callback runs just
/// before the next frame is rendered, and a zero timeout queued from it runs after that
/// frame, so the mark falls right after the paint.
pub fn mark_first_user_row_painted() {
    if IS_FIRST_ROW_MARKED.swap(true, Ordering::Relaxed) {
        return;
    }
    leptos::prelude::request_animation_frame(|| {
        leptos::prelude::set_timeout(|| mark(FIRST_USER_ROW_PAINTED), Duration::ZERO);
    });
}
