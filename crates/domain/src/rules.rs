//! Validation and normalisation rules for user fields, shared by the app and the backend.
//!
//! Each `validate_*` function trims its input and returns the value to store, or a message
//! that can be shown next to the field.

use crate::field;
use crate::{AdminLevel, FieldErrors, NewUser, UserUpdate};

pub const USERNAME_MIN_CHARS: usize = 3;
pub const USERNAME_MAX_CHARS: usize = 64;
pub const NAME_MAX_CHARS: usize = 100;
/// RFC 5321 limits a forward path to 256 octets, which leaves 254 for the address.
pub const EMAIL_MAX_CHARS: usize = 254;
const EMAIL_LOCAL_MAX_CHARS: usize = 64;
/// E.164 allows at most 15 digits, country code included.
pub const PHONE_MAX_DIGITS: usize = 15;
/// The shortest numbers in use (for example in Niue, +683 and four digits) have 7 digits.
const PHONE_MIN_DIGITS: usize = 7;

/// Returns the trimmed value lower-cased, so `Ann.Lee` and ` ann.lee ` compare equal.
///
/// For ASCII values, such as every valid username, this equals [`crate::username_key`]. The
/// unique indexes of the backend use [`crate::username_key`] and [`crate::email_key`], which
/// also fold Unicode compatibility forms.
pub fn normalize_key(value: &str) -> String {
    value.trim().to_lowercase()
}

/// Checks a username: 3 to 64 characters from ASCII letters, digits, `.`, `_`, `-` and `@`,
/// with at least one letter or digit.
///
/// Letters are limited to ASCII so that no two usernames can look alike while differing in
/// script (a Cyrillic `а` beside a Latin `a`). Full-width forms such as `ａｄｍｉｎ`, which
/// East Asian keyboards type, are rejected with a message that names the ASCII character to
/// type instead, rather than converted silently: the username is shown and typed at sign-in
/// exactly as stored.
pub fn validate_username(value: &str) -> Result<String, String> {
    let username = value.trim();
    if username.is_empty() {
        return Err("Enter a username.".to_owned());
    }
    let is_allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@');
    if let Some(bad) = username.chars().find(|&c| !is_allowed(c)) {
        if let Some(ascii) = ascii_of_full_width(bad)
            && is_allowed(ascii)
        {
            return Err(format!(
                "Username can't contain the full-width \"{bad}\". Type \"{ascii}\" instead \
                 (switch the keyboard to half-width input)."
            ));
        }
        return Err(format!(
            "Username can't contain {}. Use letters A-Z, digits, and . _ - @ only.",
            describe_char(bad)
        ));
    }
    let length = username.chars().count();
    if !(USERNAME_MIN_CHARS..=USERNAME_MAX_CHARS).contains(&length) {
        return Err(format!(
            "Username must be {USERNAME_MIN_CHARS} to {USERNAME_MAX_CHARS} characters long \
             (it has {length})."
        ));
    }
    if !username.chars().any(|c| c.is_ascii_alphanumeric()) {
        return Err(
            "Username must contain at least one letter or digit, not only . _ - @.".to_owned(),
        );
    }
    Ok(username.to_owned())
}

/// Returns the ASCII character of which `c` is the full-width form (U+FF01 to U+FF5E).
fn ascii_of_full_width(c: char) -> Option<char> {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0),
        _ => None,
    }
}

/// Checks a first or last name: required, at most 100 characters, with at least one letter.
/// Control characters, and the invisible format characters that hide or reorder text, are
/// rejected. `label` is the field's name as shown to people, e.g. "First name".
pub fn validate_name(label: &str, value: &str) -> Result<String, String> {
    let name = value.trim();
    if name.is_empty() {
        return Err(format!("Enter a {}.", label.to_lowercase()));
    }
    if name.chars().any(char::is_control) {
        return Err(format!(
            "{label} can't contain control characters such as tabs."
        ));
    }
    if let Some(hidden) = first_hidden_format_char(name) {
        return Err(format!(
            "{label} can't contain the invisible character U+{:04X}, which hides or reorders \
             text. Delete it, or type the name again.",
            u32::from(hidden)
        ));
    }
    if !name.chars().any(char::is_alphabetic) {
        return Err(format!("{label} must contain at least one letter."));
    }
    let length = name.chars().count();
    if length > NAME_MAX_CHARS {
        return Err(format!(
            "{label} must be at most {NAME_MAX_CHARS} characters long (it has {length})."
        ));
    }
    Ok(name.to_owned())
}

/// Returns the first hidden format character of `name` that isn't a joiner after a visible
/// character.
///
/// The zero-width non-joiner (U+200C) and joiner (U+200D) are part of the spelling of names in
/// Persian, in several Indic scripts (where a name may end in one) and in emoji sequences, so
/// they are allowed right after a visible character. At the start of the name, or after a space
/// or another format character, they only hide text.
fn first_hidden_format_char(name: &str) -> Option<char> {
    let mut previous: Option<char> = None;
    name.chars().find(|&c| {
        let is_joiner = matches!(c, '\u{200C}' | '\u{200D}');
        let follows_visible =
            previous.is_some_and(|p| !p.is_whitespace() && !is_hidden_format_char(p));
        previous = Some(c);
        is_hidden_format_char(c) && !(is_joiner && follows_visible)
    })
}

/// Returns whether `c` is a Unicode format character that renders as nothing or reorders the
/// text around it. These are the soft hyphen, the zero-width characters, the bidirectional
/// marks, embeddings, overrides and isolates, the invisible operators and the byte order mark.
fn is_hidden_format_char(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Checks an email address of the form `local@domain.tld`.
///
/// The local part may use ASCII letters, digits and ``!#$%&'*+/=?^_`{|}~-``, with single dots
/// between them; the domain needs at least two labels of letters, digits and inner hyphens,
/// and a top-level label of at least two letters or an `xn--` label. Domain labels may be
/// international (`bücher.example`): this check accepts any visible non-ASCII character in
/// them, and the backend converts the domain with IDNA ([`crate::email_key`]), which rejects
/// what DNS can't hold.
// NOTE: non-ASCII characters in the local part (RFC 6531) and quoted local parts are rejected.
pub fn validate_email(value: &str) -> Result<String, String> {
    const HINT: &str = "Enter an email address like name@example.com.";
    let email = value.trim();
    if email.is_empty() {
        return Err("Enter an email address.".to_owned());
    }
    if email.chars().count() > EMAIL_MAX_CHARS {
        return Err(format!(
            "Email must be at most {EMAIL_MAX_CHARS} characters long."
        ));
    }
    let Some((local, domain)) = email.rsplit_once('@') else {
        return Err(format!("Email is missing an @. {HINT}"));
    };
    if local.contains('@') {
        return Err(format!("Email can't contain more than one @. {HINT}"));
    }
    if !is_valid_email_local(local) {
        return Err(format!("The part before the @ is not valid. {HINT}"));
    }
    if !is_valid_email_domain(domain) {
        return Err(format!(
            "The part after the @ is not a valid domain. {HINT}"
        ));
    }
    Ok(email.to_owned())
}

fn is_valid_email_local(local: &str) -> bool {
    let is_atom_char = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    !local.is_empty()
        && local.len() <= EMAIL_LOCAL_MAX_CHARS
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(is_atom_char))
}

fn is_valid_email_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let is_label_char = |c: char| {
        c.is_ascii_alphanumeric()
            || c == '-'
            || (!c.is_ascii() && !c.is_whitespace() && !c.is_control() && !is_hidden_format_char(c))
    };
    let is_label = |label: &&str| {
        (1..=63).contains(&label.chars().count())
            && label.chars().all(is_label_char)
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    let top_level = labels.last().copied().unwrap_or_default();
    let is_top_level = top_level.starts_with("xn--")
        || (top_level.chars().count() >= 2
            && top_level
                .chars()
                .all(|c| c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())));
    labels.len() >= 2 && labels.iter().all(is_label) && is_top_level
}

/// Normalises an optional work phone to E.164: `+`, a country code starting with 1-9, and
/// 7 to 15 digits in all.
///
/// People may group the digits: one space, dash or dot between groups, and brackets around
/// a group of digits, as in `+1 (415) 555-0123`, which is stored as `+14155550123`. Other
/// characters, and separators that don't sit alone between two groups (`+1--415`), are
/// rejected. Empty input means no phone.
pub fn normalize_work_phone(value: &str) -> Result<Option<String>, String> {
    const HINT: &str = "Use international format: + and country code, e.g. +14155550123.";
    let phone = value.trim();
    if phone.is_empty() {
        return Ok(None);
    }
    let Some(rest) = phone.strip_prefix('+') else {
        return Err(format!("Work phone must start with +. {HINT}"));
    };
    let is_allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')');
    if let Some(bad) = rest.chars().find(|&c| !is_allowed(c)) {
        return Err(format!(
            "Work phone can't contain {}. {HINT}",
            describe_char(bad)
        ));
    }
    if rest.contains("(0)") {
        return Err(format!(
            "Leave out the (0): it is dialled only within the country, e.g. +44 20 7946 0958 \
             rather than +44 (0)20 7946 0958. {HINT}"
        ));
    }
    let Some(digits) = phone_digits(rest) else {
        return Err(format!(
            "Separate groups of digits with one space, dash or dot, and put brackets only \
             around digits, e.g. +1 (415) 555-0123. {HINT}"
        ));
    };
    if digits.starts_with('0') {
        return Err(format!("The country code can't start with 0. {HINT}"));
    }
    let count = digits.len();
    if !(PHONE_MIN_DIGITS..=PHONE_MAX_DIGITS).contains(&count) {
        return Err(format!(
            "Work phone must have {PHONE_MIN_DIGITS} to {PHONE_MAX_DIGITS} digits \
             (it has {count}). {HINT}"
        ));
    }
    Ok(Some(format!("+{digits}")))
}

/// Returns the digits of a phone number after its `+`, or `None` when its grouping is not
/// groups of digits, each optionally in brackets, with at most one space, dash or dot
/// between two groups. `grouped` contains only digits and those five characters.
fn phone_digits(grouped: &str) -> Option<String> {
    let mut digits = String::with_capacity(PHONE_MAX_DIGITS);
    let mut chars = grouped.chars().peekable();
    while chars.peek().is_some() {
        let is_bracketed = chars.next_if_eq(&'(').is_some();
        let group_start = digits.len();
        while let Some(digit) = chars.next_if(char::is_ascii_digit) {
            digits.push(digit);
        }
        if digits.len() == group_start || (is_bracketed && chars.next_if_eq(&')').is_none()) {
            return None;
        }
        let has_separator = chars.next_if(|&c| matches!(c, ' ' | '-' | '.')).is_some();
        if has_separator && chars.peek().is_none() {
            return None;
        }
    }
    Some(digits)
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "spaces".to_owned(),
        c if c.is_control() => format!("the control character U+{:04X}", u32::from(c)),
        c => format!("\"{c}\""),
    }
}

/// A [`NewUser`] that passed every rule: values trimmed, phone normalised, roles and
/// accounts sorted without repeats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidNewUser {
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub work_phone: Option<String>,
    pub admin_level: AdminLevel,
    pub roles: Vec<String>,
    pub account_ids: Vec<i64>,
}

/// A [`UserUpdate`] that passed every rule, normalised like [`ValidNewUser`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidUserUpdate {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub work_phone: Option<String>,
    pub admin_level: AdminLevel,
    pub roles: Vec<String>,
    pub account_ids: Vec<i64>,
}

/// Checks every field of a new user and collects one message per invalid field.
///
/// Whether the roles and accounts exist is left to the caller, which has the lists.
pub fn validate_new_user(user: &NewUser) -> Result<ValidNewUser, FieldErrors> {
    let update = UserUpdate {
        username: None,
        first_name: user.first_name.clone(),
        last_name: user.last_name.clone(),
        email: user.email.clone(),
        work_phone: user.work_phone.clone(),
        admin_level: user.admin_level,
        roles: user.roles.clone(),
        account_ids: user.account_ids.clone(),
    };
    match (
        validate_username(&user.username),
        validate_user_update(&update),
    ) {
        (Ok(username), Ok(valid)) => Ok(ValidNewUser {
            username,
            first_name: valid.first_name,
            last_name: valid.last_name,
            email: valid.email,
            work_phone: valid.work_phone,
            admin_level: valid.admin_level,
            roles: valid.roles,
            account_ids: valid.account_ids,
        }),
        (username, update) => {
            let mut errors = update.err().unwrap_or_default();
            if let Err(message) = username {
                errors.insert(field::USERNAME.to_owned(), message);
            }
            Err(errors)
        }
    }
}

/// Checks the changeable fields of a user with the same rules as [`validate_new_user`], and
/// collects one message per invalid field.
///
/// The `username` member is not checked here: only the caller knows the stored username it
/// must equal.
pub fn validate_user_update(user: &UserUpdate) -> Result<ValidUserUpdate, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut check = |name: &str, result: Result<String, String>| match result {
        Ok(value) => value,
        Err(message) => {
            errors.insert(name.to_owned(), message);
            String::new()
        }
    };
    let first_name = check(
        field::FIRST_NAME,
        validate_name("First name", &user.first_name),
    );
    let last_name = check(
        field::LAST_NAME,
        validate_name("Last name", &user.last_name),
    );
    let email = check(field::EMAIL, validate_email(&user.email));
    let work_phone = normalize_work_phone(user.work_phone.as_deref().unwrap_or_default())
        .unwrap_or_else(|message| {
            errors.insert(field::WORK_PHONE.to_owned(), message);
            None
        });
    if user.account_ids.is_empty() {
        errors.insert(
            field::ACCOUNT_IDS.to_owned(),
            "Select at least one account.".to_owned(),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut roles = user.roles.clone();
    roles.sort();
    roles.dedup();
    let mut account_ids = user.account_ids.clone();
    account_ids.sort_unstable();
    account_ids.dedup();
    Ok(ValidUserUpdate {
        first_name,
        last_name,
        email,
        work_phone,
        admin_level: user.admin_level,
        roles,
        account_ids,
    })
}

#[cfg(test)]
mod tests;
