//! Values of ARIA attributes that several views share.

/// Returns the `aria-disabled` value of a button whose request is running: `"true"` while
/// `is_busy`, otherwise no attribute. Unlike `disabled`, it keeps the button focusable, so
/// keyboard focus is not dropped on the page body while the request runs. The button's
/// handler must ignore presses meanwhile.
pub fn busy_state(is_busy: bool) -> Option<&'static str> {
    is_busy.then_some("true")
}
