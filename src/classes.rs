//! CSS class lists used in more than one view (the rules are in style/main.css).

pub const BUTTON_PRIMARY: &str = "button button-primary";
pub const BUTTON_SECONDARY: &str = "button button-secondary";
pub const BUTTON_DANGER: &str = "button button-danger";
/// A button that looks like a link, for actions inside text.
pub const BUTTON_LINK: &str = "button-link";
