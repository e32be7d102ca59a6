//! The document title of each page: "<page> – Customer Portal", with "Error: " in front while
//! a form page shows errors. Screen readers read the title first when a page loads or its tab
//! gets focus, so with the prefix people learn at once that the form needs fixing.

use leptos::prelude::{Effect, Get, Signal, document};

/// Product name shown in the header and in every document title.
pub const PRODUCT_NAME: &str = "Customer Portal";
/// Prefix of the title while the page's form shows errors.
pub const ERROR_PREFIX: &str = "Error: ";

/// Sets the document title for a page.
pub fn set_page_title(page: &str) {
    document().set_title(&page_title(page, false));
}

/// Returns the document title of `page`, with [`ERROR_PREFIX`] in front when `has_errors`.
pub fn page_title(page: &str, has_errors: bool) -> String {
    let prefix = if has_errors { ERROR_PREFIX } else { "" };
    format!("{prefix}{page} – {PRODUCT_NAME}")
}

/// Keeps the title of a form page current: `page` names it, and [`ERROR_PREFIX`] leads it
/// while `has_errors` is true. While `is_shown` is false the title is left to another view,
/// such as the page that replaces a form whose link stopped working.
pub fn track_form_page_title(
    page: impl Into<Signal<String>>,
    has_errors: impl Into<Signal<bool>>,
    is_shown: impl Into<Signal<bool>>,
) {
    let (page, has_errors, is_shown) = (page.into(), has_errors.into(), is_shown.into());
    Effect::new(move || {
        if is_shown.get() {
            document().set_title(&page_title(&page.get(), has_errors.get()));
        }
    });
}
