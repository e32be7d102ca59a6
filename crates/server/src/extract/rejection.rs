//! Messages for request bodies and parameters that can't be read, in plain words: what was
//! wrong, at which field, and what to send instead, without serde or Rust type names.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde_json::Value;

/// Returns the member names of the struct that `T` deserializes from, or an empty list when
/// `T` is not a struct. `T` deserializes from a probe that records the names serde passes
/// to `deserialize_struct` and then fails.
pub fn field_names<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    let mut names: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldNamesProbe(&mut names));
    names
}

struct FieldNamesProbe<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for FieldNamesProbe<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("field names recorded"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// Describes a body that is not JSON at all: empty, cut short, or with a syntax error.
pub fn json_syntax(error: &serde_json::Error, expected: &[&str]) -> String {
    if error.is_eof() && error.line() == 1 && error.column() == 0 {
        return format!(
            "The request body is empty. Send a JSON object with the fields: {}.",
            expected.join(", ")
        );
    }
    let place = format!("line {}, column {}", error.line(), error.column());
    if error.is_eof() {
        format!(
            "The request body ends before its JSON is complete ({place}). Send the whole JSON object."
        )
    } else {
        format!(
            "The request body is not valid JSON: the error is at {place}. Check the quotes, \
             commas and brackets there."
        )
    }
}

/// Describes a JSON body that is not an object.
pub fn not_an_object(value: &Value, expected: &[&str]) -> String {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    format!(
        "The request body must be a JSON object with the fields: {}. It is {kind}.",
        expected.join(", ")
    )
}

/// Describes a value that has the wrong shape for `T`. `path` locates it (for example
/// `account_ids[1]`), `noun` is "field" or "parameter", and `expected` lists the names
/// `T` accepts.
pub fn data_error(message: &str, path: &str, noun: &str, expected: &[&str]) -> String {
    let expected_list = expected.join(", ");
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let name = rest.split("`, ").next().unwrap_or(rest);
        // Inside a nested object, such as `selection.matching.sort`, `expected` lists the
        // top-level names, so the names come from serde's message instead.
        if path.contains('.') {
            let allowed: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
            return format!(
                "The request has an unknown {noun} \"{path}\". Expected there: {}.",
                allowed.join(", ")
            );
        }
        return format!("The request has an unknown {noun} \"{name}\". Expected: {expected_list}.");
    }
    if message.ends_with("expected map with a single key") {
        // An object that names one of several kinds, such as `{"ids": [...]}`.
        return format!(
            "The {noun} \"{path}\" must be an object with exactly one member, which names \
             its kind. Check its value against the API documentation."
        );
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.trim_end_matches('`');
        return format!("The request is missing the required {noun} \"{name}\".");
    }
    if let Some(rest) = message.strip_prefix("duplicate field `") {
        let name = rest.trim_end_matches('`');
        return format!("The request has the {noun} \"{name}\" more than once. Send it once.");
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, allowed) = rest.split_once("`, expected ").unwrap_or((rest, ""));
        let allowed: Vec<&str> = allowed.split('`').skip(1).step_by(2).collect();
        return format!(
            "The {noun} \"{path}\" must be one of: {} (it is \"{value}\").",
            allowed.join(", ")
        );
    }
    let mismatch = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "));
    if let Some((actual, wanted)) = mismatch.and_then(|rest| rest.split_once(", expected ")) {
        return format!(
            "The {noun} \"{path}\" must be {}, not {}.",
            describe_expected(wanted),
            describe_actual(actual)
        );
    }
    format!("The {noun} \"{path}\" is not valid. Check its value against the API documentation.")
}

/// Puts serde's name of an expected type in the words of JSON.
fn describe_expected(wanted: &str) -> &str {
    match wanted {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => {
            "a whole number"
        }
        "a sequence" => "an array",
        "a boolean" => "true or false",
        "a map" => "a JSON object",
        wanted if wanted.starts_with("struct ") => "a JSON object",
        wanted => wanted,
    }
}

/// Puts serde's description of a received value in the words of JSON, without the
/// backticks serde puts around numbers.
fn describe_actual(actual: &str) -> String {
    match actual {
        "map" => "an object".to_owned(),
        "sequence" => "an array".to_owned(),
        "unit" => "null".to_owned(),
        actual => actual.replace('`', ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        count: i64,
    }

    #[test]
    fn field_names_of_a_struct() {
        assert_eq!(field_names::<Sample>(), ["name", "count"]);
        assert!(field_names::<i64>().is_empty(), "not a struct");
    }

    #[test]
    fn nested_unknown_field_lists_its_siblings() {
        let message = data_error(
            "unknown field `sort`, expected one of `q`, `status`, `level`",
            "selection.matching.sort",
            "field",
            &["action", "selection", "dry_run"],
        );
        assert_eq!(
            message,
            "The request has an unknown field \"selection.matching.sort\". Expected there: q, \
             status, level."
        );
    }

    #[test]
    fn single_key_object_names_its_shape() {
        let message = data_error(
            "invalid type: map, expected map with a single key",
            "selection",
            "field",
            &[],
        );
        assert!(
            message
                .starts_with("The field \"selection\" must be an object with exactly one member"),
            "{message}"
        );
    }

    #[test]
    fn type_mismatch_uses_json_words() {
        let message = data_error(
            "invalid type: string \"x\", expected i64",
            "count",
            "field",
            &[],
        );
        assert_eq!(
            message,
            "The field \"count\" must be a whole number, not string \"x\"."
        );
    }
}
