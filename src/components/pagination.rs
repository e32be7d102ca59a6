//! "Showing 1–25 of 43" with Previous and Next buttons under the users list.

use domain::UserPage;
use leptos::prelude::*;

use crate::classes::BUTTON_SECONDARY;

/// Range shown and navigation for `page`; `on_page` gets the 1-based page number to load.
#[component]
pub fn Pagination(page: UserPage, #[prop(into)] on_page: Callback<u32>) -> impl IntoView {
    let current = page.page;
    let page_count = page.page_count();
    let (first, last) = shown_range(&page);
    let summary = if page.users.is_empty() {
        format!("Showing 0 of {}", page.total)
    } else {
        format!("Showing {first}–{last} of {}", page.total)
    };

    let is_first = current <= 1;
    let is_last = current >= page_count;

    view! {
        <nav class="pagination" aria-label="Pages">
            <p class="pagination-summary">{summary}</p>
            <div class="pagination-buttons">
                <button
                    type="button"
                    class=BUTTON_SECONDARY
                    disabled=is_first
                    on:click=move |_| on_page.run(current - 1)
                >
                    "Previous"
                </button>
                <span class="pagination-page">{format!("Page {current} of {page_count}")}</span>
                <button
                    type="button"
                    class=BUTTON_SECONDARY
                    disabled=is_last
                    on:click=move |_| on_page.run(current + 1)
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
