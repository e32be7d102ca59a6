//! Focus after in-app navigation. The router swaps the page without a reload, which would
//! leave focus on the removed link or button (so on the body), and the next Tab would start
//! from the top of the document. Moving focus to the main region makes keyboard and
//! screen-reader users continue from the new page's content.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::components::error_summary::focus_element;

/// Id of the app's `<main>` element, which has `tabindex="-1"` so that it can take focus.
pub const MAIN_ID: &str = "main";

/// Moves focus to the main region whenever the path changes after the first page. Pages that
/// focus something of their own, such as a field, do it in an animation frame, which runs
/// after this effect, so they win. Must be rendered inside the router.
#[component]
pub fn FocusMainOnNavigation() -> impl IntoView {
    let location = use_location();

    Effect::new(move |previous_path: Option<String>| {
        let path = location.pathname.get();
        if previous_path.is_some_and(|previous| previous != path) {
            focus_main();
        }
        path
    });
}

/// Moves focus to the main region, as after following a link to another page.
pub fn focus_main() {
    focus_element(MAIN_ID);
}
