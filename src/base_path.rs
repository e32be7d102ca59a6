//! The path under which the app is hosted, such as `/admin` for `https://example.com/admin/`.
//!
//! `trunk build --public-url /admin/` writes `<base href="/admin/">` into index.html, and the
//! app reads that element back, so one build needs no other setting for its
//! sub-path. Routes and `navigate` take paths inside the app (`/users`) and the router adds
//! the base. Plain `<a href>` attributes and addresses read from `window.location` carry the
//! full path, so they go through [`href`] and [`strip`].

use std::sync::OnceLock;

static BASE: OnceLock<String> = OnceLock::new();

/// Returns the base path without a trailing slash: `""` when the app is hosted at the root.
pub fn base() -> &'static str {
    BASE.get_or_init(read_base)
}

/// Returns the address of the app's page `path` (which starts with `/`) for an `href`.
pub fn href(path: &str) -> String {
    format!("{}{path}", base())
}

/// Returns `pathname` without the base, such as `/users/42` for `/admin/users/42`. A path
/// outside the base is returned unchanged.
pub fn strip(pathname: &str) -> &str {
    strip_base(base(), pathname)
}

/// Returns `pathname` without `base`, keeping the leading `/`.
pub fn strip_base<'a>(base: &str, pathname: &'a str) -> &'a str {
    match pathname.strip_prefix(base) {
        Some(rest) if rest.starts_with('/') => rest,
        Some("") => "/",
        _ => pathname,
    }
}

/// Returns the path of a `<base href>` such as `/admin/` without its trailing slash.
pub fn normalize(base_pathname: &str) -> String {
    base_pathname.trim_end_matches('/').to_owned()
}

fn read_base() -> String {
    // The attribute is read instead of `document.baseURI` because a Content-Security-Policy
    // whose `base-uri` excludes the element makes the browser ignore it.
    let document = leptos::prelude::document();
    let base_href = document
        .query_selector("base[href]")
        .ok()
        .flatten()
        .and_then(|base| base.get_attribute("href"));
    let Some(base_href) = base_href else {
        return String::new();
    };
    let page = leptos::prelude::window()
        .location()
        .href()
        .unwrap_or_default();
    match web_sys::Url::new_with_base(&base_href, &page) {
        Ok(url) => normalize(&url.pathname()),
        Err(error) => {
            leptos::logging::error!("ignoring the invalid <base href={base_href:?}>: {error:?}");
            String::new()
        }
    }
}
