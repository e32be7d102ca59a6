//! The one error body the backend sends for every failed request.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Messages keyed by JSON field name (see [`crate::field`]).
pub type FieldErrors = BTreeMap<String, String>;

/// Error body of every non-2xx response: a message for people, plus one message per
/// invalid field. `fields` is empty when the error concerns the request as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub message: String,
    #[serde(default)]
    pub fields: FieldErrors,
}

impl ApiError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            fields: FieldErrors::new(),
        }
    }

    /// Builds an error about one field, with a general message that points to it.
    pub fn for_field(field: &str, message: impl Into<String>) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(field.to_owned(), message.into());
        Self {
            message: "Check the highlighted field.".to_owned(),
            fields,
        }
    }

    /// Builds an error from several field messages.
    pub fn for_fields(fields: FieldErrors) -> Self {
        let message = if fields.len() == 1 {
            "Check the highlighted field."
        } else {
            "Check the highlighted fields."
        };
        Self {
            message: message.to_owned(),
            fields,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        for (field, message) in &self.fields {
            write!(f, "; {field}: {message}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_member_deserializes_as_empty() {
        let error: ApiError = serde_json::from_str(r#"{"message":"Sign in first."}"#).unwrap();
        assert_eq!(error.message, "Sign in first.");
        assert!(error.fields.is_empty(), "fields should default to empty");
    }

    #[test]
    fn for_field_names_only_that_field() {
        let error = ApiError::for_field("email", "Email already exists.");
        assert_eq!(error.fields.len(), 1);
        assert_eq!(error.fields["email"], "Email already exists.");
    }
}
