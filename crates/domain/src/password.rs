//! Password rules, shared by the set-password page (as a live checklist) and the backend
//! (which enforces them when an invitation is accepted).

use crate::normalize_key;

/// Minimum length a deployment uses unless it configures another.
pub const PASSWORD_MIN_CHARS_DEFAULT: usize = 12;
/// No configuration may set the minimum below this.
pub const PASSWORD_MIN_CHARS_FLOOR: usize = 8;
/// Longer passwords are rejected, so hashing time stays bounded.
pub const PASSWORD_MAX_CHARS: usize = 128;
/// Personal values shorter than this (after normalisation) are not looked for in the
/// password. A two-letter first name such as "Al" would otherwise reject every password
/// containing "al", which is most of them, while protecting almost nothing.
pub const PERSONAL_VALUE_MIN_CHARS: usize = 3;

/// Checklist label of the rule that a password must not be made only of whitespace.
pub const PASSWORD_NOT_BLANK_LABEL: &str = "Not only spaces";

/// Context of a password check: the user it is for, and the configured minimum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordContext {
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    /// Minimum length in characters. Values below [`PASSWORD_MIN_CHARS_FLOOR`] count as
    /// the floor.
    pub min_chars: usize,
}

/// One rule a password must meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PasswordRule {
    MinLength,
    MaxLength,
    /// Not empty and not made only of whitespace.
    NotBlank,
    NoUsername,
    NoFirstName,
    NoLastName,
    /// Neither the whole email address nor the part before the `@`.
    NoEmail,
}

/// The outcome of one rule for one password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordCheck {
    pub rule: PasswordRule,
    /// The rule as shown in a checklist, e.g. "At least 12 characters".
    pub label: String,
    pub is_met: bool,
}

/// Checks `password` against every rule that applies to `context`, in checklist order.
///
/// The length rules always apply. Each "doesn't contain" rule compares the lower-cased
/// password with the value normalised by [`normalize_key`] (trimmed, lower-cased), and is
/// left out when every value it covers is shorter than [`PERSONAL_VALUE_MIN_CHARS`]
/// characters, empty values included.
pub fn check_password(password: &str, context: &PasswordContext) -> Vec<PasswordCheck> {
    let min_chars = context.min_chars.max(PASSWORD_MIN_CHARS_FLOOR);
    let length = password.chars().count();
    let lowered = password.to_lowercase();
    let mut checks = vec![
        PasswordCheck {
            rule: PasswordRule::MinLength,
            label: format!("At least {min_chars} characters"),
            is_met: length >= min_chars,
        },
        PasswordCheck {
            rule: PasswordRule::MaxLength,
            label: format!("At most {PASSWORD_MAX_CHARS} characters"),
            is_met: length <= PASSWORD_MAX_CHARS,
        },
        PasswordCheck {
            rule: PasswordRule::NotBlank,
            label: PASSWORD_NOT_BLANK_LABEL.to_owned(),
            is_met: !password.chars().all(char::is_whitespace),
        },
    ];
    let email_local = context.email.trim().split('@').next().unwrap_or_default();
    let personal: [(PasswordRule, &str, Vec<&str>); 4] = [
        (
            PasswordRule::NoUsername,
            "Doesn't contain your username",
            vec![&context.username],
        ),
        (
            PasswordRule::NoFirstName,
            "Doesn't contain your first name",
            vec![&context.first_name],
        ),
        (
            PasswordRule::NoLastName,
            "Doesn't contain your last name",
            vec![&context.last_name],
        ),
        (
            PasswordRule::NoEmail,
            "Doesn't contain your email address",
            vec![&context.email, email_local],
        ),
    ];
    for (rule, label, values) in personal {
        let keys: Vec<String> = values
            .iter()
            .map(|value| normalize_key(value))
            .filter(|key| key.chars().count() >= PERSONAL_VALUE_MIN_CHARS)
            .collect();
        if keys.is_empty() {
            continue;
        }
        let is_met = keys.iter().all(|key| !lowered.contains(key.as_str()));
        checks.push(PasswordCheck {
            rule,
            label: label.to_owned(),
            is_met,
        });
    }
    checks
}

/// Checks `password` like [`check_password`] and returns a message listing every unmet rule,
/// suitable for showing at the password field.
pub fn validate_password(password: &str, context: &PasswordContext) -> Result<(), String> {
    let unmet: Vec<String> = check_password(password, context)
        .into_iter()
        .filter(|check| !check.is_met)
        .map(|check| check.label)
        .collect();
    if unmet.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "Choose a password that meets every rule: {}.",
            unmet.join("; ")
        ))
    }
}

#[cfg(test)]
mod tests;
