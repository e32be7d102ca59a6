//! Telling the app's own paths apart from addresses that would leave the app, for values that
//! arrive from outside such as the `next` parameter of the sign-in page.

/// Returns whether `path` is a path of this app: it starts with exactly one `/` and has no
/// backslash, whitespace or control character. Browsers read `//host` and `/\host` as another
/// site, so following anything else after sign-in could send the user away.
pub fn is_app_path(path: &str) -> bool {
    let mut chars = path.chars();
    chars.next() == Some('/')
        && !matches!(chars.next(), Some('/'))
        && !path
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
}

/// Joins a path and the router's `search`, which leptos_router 0.8 gives without its `?`, into
/// a path with its query, such as `/users?q=lind`.
pub fn with_query(path: &str, search: &str) -> String {
    let query = search.trim_start_matches('?');
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}
