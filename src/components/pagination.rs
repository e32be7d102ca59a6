//! "Showing 1–25 of 43" with Previous and Next buttons under the users list.

use domain::UserPage;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlButtonElement;

use crate::classes::BUTTON_SECONDARY;
use crate::format::format_count;

/// One of the two buttons, named so that focus can return to it after the page loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageButton {
    Previous,
    Next,
}

impl PageButton {
    pub fn id(self) -> &'static str {
        match self {
            PageButton::Previous => "pagination-previous",
            PageButton::Next => "pagination-next",
        }
    }

    fn other(self) -> PageButton {
        match self {
            PageButton::Previous => PageButton::Next,
            PageButton::Next => PageButton::Previous,
        }
    }
}

/// Renders the range shown and the buttons for `page`. `on_page` receives the 1-based page
/// number to load and the button that requested it.
#[component]
pub fn Pagination(
    page: UserPage,
    #[prop(into)] on_page: Callback<(u32, PageButton)>,
) -> impl IntoView {
    let current = page.page;
    let page_count = page.page_count();
    let (first, last) = shown_range(&page);
    let summary = if page.users.is_empty() {
        format!("Showing 0 of {}", format_count(page.total))
    } else {
        format!(
            "Showing {}–{} of {}",
            format_count(first),
            format_count(last),
            format_count(page.total)
        )
    };

    let is_first = current <= 1;
    let is_last = current >= page_count;

    view! {
        <nav class="pagination" aria-label="Pages">
            <p class="pagination-summary">{summary}</p>
            <div class="pagination-buttons">
                <button
                    type="button"
                    id=PageButton::Previous.id()
                    class=BUTTON_SECONDARY
                    disabled=is_first
                    on:click=move |_| on_page.run((current - 1, PageButton::Previous))
                >
                    "Previous"
                </button>
                <span class="pagination-page">{format!("Page {current} of {page_count}")}</span>
                <button
                    type="button"
                    id=PageButton::Next.id()
                    class=BUTTON_SECONDARY
                    disabled=is_last
                    on:click=move |_| on_page.run((current + 1, PageButton::Next))
                >
                    "Next"
                </button>
            </div>
        </nav>
    }
}

/// Returns the 1-based positions of the first and last user on `page` among all matches.
/// Only meaningful when the page has users.
pub fn shown_range(page: &UserPage) -> (u64, u64) {
    let first = u64::from(page.page.saturating_sub(1)) * u64::from(page.per_page) + 1;
    let last = first + page.users.len() as u64 - 1;
    (first, last)
}

/// Focuses `pressed` in the newly rendered pagination, or the other button when `pressed` is
/// disabled on this page, as Next is on the last one.
pub fn focus_page_button(pressed: PageButton) {
    let enabled_button = [pressed, pressed.other()].into_iter().find_map(|button| {
        document()
            .get_element_by_id(button.id())
            .and_then(|element| element.dyn_into::<HtmlButtonElement>().ok())
            .filter(|button| !button.disabled())
    });
    match enabled_button {
        Some(button) => {
            if let Err(error) = button.focus() {
                leptos::logging::warn!("could not focus the page button: {error:?}");
            }
        }
        None => leptos::logging::warn!("no enabled page button to focus after loading the page"),
    }
}
