//! Readers of query parameters shared by the list operations, each with the 400 or 422 that
//! docs/api.md gives for a bad value.

/// A paging query parameter and its allowed range, which starts at 1.
pub(super) struct PagingParam {
    pub(super) field: &'static str,
    pub(super) label: &'static str,
    pub(super) default: u32,
    pub(super) max: u32,
}

pub(super) enum PagingError {
    NotANumber(String),
    OutOfRange(String),
}

impl PagingParam {
    pub(super) fn parse(&self, value: Option<&str>) -> Result<u32, PagingError> {
        let value = value.unwrap_or_default().trim();
        if value.is_empty() {
            return Ok(self.default);
        }
        let message = format!(
            "{} must be a whole number from 1 to {} (it is \"{value}\").",
            self.label, self.max
        );
        let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PagingError::NotANumber(message));
        }
        match value.parse::<u32>() {
            Ok(number) if (1..=self.max).contains(&number) => Ok(number),
            _ => Err(PagingError::OutOfRange(message)),
        }
    }
}

/// Reads an id such as the `after` of the accounts list, labelled `label` in messages.
/// Missing or empty is `None`. A value that is not a whole number is
/// [`PagingError::NotANumber`], and one below 1 or above `i64::MAX` is
/// [`PagingError::OutOfRange`].
pub(super) fn parse_id(label: &str, value: Option<&str>) -> Result<Option<i64>, PagingError> {
    let value = value.unwrap_or_default().trim();
    if value.is_empty() {
        return Ok(None);
    }
    let message = format!(
        "{label} must be a whole number from 1 to {} (it is \"{value}\").",
        i64::MAX
    );
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PagingError::NotANumber(message));
    }
    match value.parse::<i64>() {
        Ok(id) if id >= 1 => Ok(Some(id)),
        _ => Err(PagingError::OutOfRange(message)),
    }
}
