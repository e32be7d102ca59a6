//! The document title of each page: "<page> – Customer Portal".

use leptos::prelude::document;

/// Product name shown in the header and in every document title.
pub const PRODUCT_NAME: &str = "Customer Portal";

/// Sets the document title for a page.
pub fn set_page_title(page: &str) {
    document().set_title(&format!("{page} – {PRODUCT_NAME}"));
}
