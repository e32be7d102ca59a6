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
