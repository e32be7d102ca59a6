//! Formatting of values the backend sends, for people to read.

use js_sys::{Date, Object, Reflect};
use wasm_bindgen::JsValue;

/// Formats an RFC 3339 timestamp as a date and time in the browser's language and time zone,
/// e.g. "8 Jun 2025, 09:30". Returns the timestamp unchanged when the browser can't parse it.
pub fn format_timestamp(timestamp: &str) -> String {
    let date = Date::new(&JsValue::from_str(timestamp));
    if date.get_time().is_nan() {
        leptos::logging::warn!("not a valid timestamp: {timestamp}");
        return timestamp.to_owned();
    }
    let options = Object::new();
    for (key, value) in [("dateStyle", "medium"), ("timeStyle", "short")] {
        if let Err(error) = Reflect::set(&options, &key.into(), &value.into()) {
            leptos::logging::warn!("could not set the date option {key}: {error:?}");
        }
    }
    String::from(date.to_locale_string("default", &options))
}

/// Formats a count with a comma between each group of three digits, e.g. "2,004".
pub fn format_count(count: u64) -> String {
    let digits = count.to_string();
    let mut formatted = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            formatted.push(',');
        }
        formatted.push(digit);
    }
    formatted
}
