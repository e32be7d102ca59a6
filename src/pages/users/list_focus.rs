//! Focus on the users list while a page loads. A control pressed inside the results, such as
//! Next or Try again, is removed with the old list. So focus moves to its counterpart in the
//! new list instead of falling to the page body.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use domain::UserSort;

use crate::components::pagination::{PageButton, focus_page_button};
use crate::components::user_table::sort_button_id;

/// The error view's next step: Try again, or Sign in again after the session ended.
const ERROR_ACTION: &str = ".results [role=alert] button, .results [role=alert] a";
/// The table of users, or the sentence that reports no users.
const LOADED_LIST: &str = ".results .user-table, .results .empty";

/// A press inside the results whose control the next loaded list removes, so that focus
/// would fall to the page body.
#[derive(Clone, Copy, Debug)]
pub enum ListFocus {
    /// Previous or Next was pressed: it takes focus again on the new page.
    PageButton(PageButton),
    /// The sort button in the header of this column was pressed: it takes focus again in the
    /// newly sorted table.
    SortButton(UserSort),
    /// The load failed and the error view's Try again has focus. It contains the page button
    /// pressed before, if any, for the retry.
    Failed(Option<PageButton>),
    /// Try again was pressed, after a failure that followed the page button it contains, if
    /// any.
    Retry(Option<PageButton>),
}

/// Moves focus once a list has loaded, according to the press in `pending`. After a failure
/// focus goes to Try again (or Sign in again), and after the retry to the page button pressed
/// before the failure, or else to the list. A failure also takes focus when nothing has it.
/// Returns the state to keep for a retry after a failure.
pub fn focus_after_load(pending: Option<ListFocus>, has_failed: bool) -> Option<ListFocus> {
    let pressed = match pending {
        Some(ListFocus::PageButton(button) | ListFocus::Retry(Some(button))) => Some(button),
        _ => None,
    };
    if has_failed {
        let is_pressed_in_list = matches!(
            pending,
            Some(ListFocus::PageButton(_) | ListFocus::SortButton(_) | ListFocus::Retry(_))
        );
        if !is_pressed_in_list && !is_focus_lost() {
            return pending;
        }
        focus_first(ERROR_ACTION, "the error's Try again button or link");
        return Some(ListFocus::Failed(pressed));
    }
    match pending {
        Some(ListFocus::PageButton(button) | ListFocus::Retry(Some(button))) => {
            focus_page_button(button);
        }
        Some(ListFocus::SortButton(column)) => {
            focus_first(&format!("#{}", sort_button_id(column)), "the sort button");
        }
        Some(ListFocus::Retry(None)) => focus_first(LOADED_LIST, "the loaded list"),
        Some(ListFocus::Failed(_)) | None => {}
    }
    None
}

/// Returns whether focus is on the page body, which is where it falls when the focused
/// element is removed.
fn is_focus_lost() -> bool {
    let document = document();
    match document.active_element() {
        Some(active) => document.body().is_some_and(|body| *body == active),
        None => true,
    }
}

/// Focuses the first element matching `css`, which `what` names in the log when it fails.
fn focus_first(css: &str, what: &str) {
    let element = document()
        .query_selector(css)
        .inspect_err(|error| leptos::logging::warn!("could not look for {what}: {error:?}"))
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<HtmlElement>().ok());
    match element {
        Some(element) => {
            if let Err(error) = element.focus() {
                leptos::logging::warn!("could not focus {what}: {error:?}");
            }
        }
        None => leptos::logging::warn!("could not focus {what}: it is not in the page"),
    }
}
