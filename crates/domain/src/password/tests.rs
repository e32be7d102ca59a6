//! Guards the password rules: lengths, the configurable minimum, and the personal values
//! that must not appear, including the short-value and email local part rules, and the
//! rule against passwords made only of whitespace.

use super::*;

fn context() -> PasswordContext {
    PasswordContext {
        username: "ann.lee".to_owned(),
        first_name: "Ann".to_owned(),
        last_name: "Leeford".to_owned(),
        email: "a.lee@Example.com".to_owned(),
        min_chars: PASSWORD_MIN_CHARS_DEFAULT,
    }
}

fn unmet(password: &str, context: &PasswordContext) -> Vec<PasswordRule> {
    check_password(password, context)
        .into_iter()
        .filter(|check| !check.is_met)
        .map(|check| check.rule)
        .collect()
}

#[test]
fn personal_values_table() {
    use PasswordRule::*;
    let cases: &[(&str, &[PasswordRule])] = &[
        ("correct horse battery", &[]),
        ("my-ANN.LEE-password", &[NoUsername, NoFirstName]),
        ("xxANNxxxxxxxxx", &[NoFirstName]),
        ("leefordleeford", &[NoLastName]),
        ("LEEFORD rules ok", &[NoLastName]),
        ("a.lee@example.com!!", &[NoEmail]),
        ("prefix a.lee suffix", &[NoEmail]),
        ("short", &[MinLength]),
    ];
    for (password, expected) in cases {
        assert_eq!(
            &unmet(password, &context()),
            expected,
            "unmet rules of {password:?}"
        );
    }
}

#[test]
fn values_shorter_than_three_characters_are_not_checked() {
    let mut context = context();
    context.first_name = "Al".to_owned();
    context.last_name = " Li ".to_owned();
    context.username = "abc".to_owned();
    context.email = "jo@example.com".to_owned();
    let cases: &[(&str, bool)] = &[
        ("always alive and well", true),
        ("lightning lizard", true),
        ("xx abc xxxxxxxxxx", false),
        ("joe and jo and jojo", true),
        ("mail jo@example.com now", false),
    ];
    for (password, is_valid) in cases {
        let result = validate_password(password, &context);
        assert_eq!(result.is_ok(), *is_valid, "{password:?}: {result:?}");
    }
    let rules: Vec<PasswordRule> = check_password("anything long", &context)
        .iter()
        .map(|check| check.rule)
        .collect();
    assert!(
        !rules.contains(&PasswordRule::NoFirstName),
        "first name rule left out: {rules:?}"
    );
    assert!(
        !rules.contains(&PasswordRule::NoLastName),
        "last name rule left out: {rules:?}"
    );
    assert!(
        rules.contains(&PasswordRule::NoEmail),
        "the full email is still checked"
    );
}

#[test]
fn empty_values_never_count() {
    let context = PasswordContext {
        username: String::new(),
        first_name: "  ".to_owned(),
        last_name: String::new(),
        email: String::new(),
        min_chars: 12,
    };
    let checks = check_password("twelve chars", &context);
    assert_eq!(
        checks.len(),
        3,
        "only the length and not-blank rules apply: {checks:?}"
    );
    assert!(checks.iter().all(|check| check.is_met), "{checks:?}");
}

#[test]
fn minimum_is_configurable_with_a_floor_of_eight() {
    let cases: &[(usize, &str, bool)] = &[
        (12, "elevenchars", false),
        (12, "twelve chars", true),
        (16, "twelve chars", false),
        (8, "eight ch", true),
        (4, "seven c", false),
        (0, "eight ch", true),
    ];
    for &(min_chars, password, is_valid) in cases {
        let context = PasswordContext {
            min_chars,
            ..context()
        };
        let result = validate_password(password, &context);
        assert_eq!(
            result.is_ok(),
            is_valid,
            "min {min_chars}, {password:?}: {result:?}"
        );
    }
    let context = PasswordContext {
        min_chars: 4,
        ..context()
    };
    assert_eq!(
        check_password("", &context)[0].label,
        "At least 8 characters",
        "floor shown"
    );
}

#[test]
fn maximum_is_128_characters() {
    let at_max = "x".repeat(PASSWORD_MAX_CHARS);
    let over_max = "é".repeat(PASSWORD_MAX_CHARS + 1);
    assert_eq!(unmet(&at_max, &context()), [], "128 characters are allowed");
    assert_eq!(
        unmet(&over_max, &context()),
        [PasswordRule::MaxLength],
        "129 are not"
    );
}

#[test]
fn labels_and_message_name_the_rules() {
    let labels: Vec<String> = check_password("", &context())
        .into_iter()
        .map(|check| check.label)
        .collect();
    assert_eq!(
        labels,
        [
            "At least 12 characters",
            "At most 128 characters",
            "Not only spaces",
            "Doesn't contain your username",
            "Doesn't contain your first name",
            "Doesn't contain your last name",
            "Doesn't contain your email address",
        ],
        "checklist labels in order"
    );
    let message = validate_password("ann", &context()).unwrap_err();
    assert!(message.contains("At least 12 characters"), "{message}");
    assert!(
        message.contains("Doesn't contain your first name"),
        "{message}"
    );
}

#[test]
fn password_of_only_whitespace_is_rejected() {
    let blank = [
        " ".repeat(14),
        "\t".repeat(14),
        " \n ".repeat(5),
        "\u{3000}".repeat(14),
        String::new(),
    ];
    for password in &blank {
        let message = validate_password(password, &context()).expect_err(password);
        assert!(
            message.contains(PASSWORD_NOT_BLANK_LABEL),
            "{password:?} gave {message:?}"
        );
    }
    let spaced = "  spaces   around  ";
    assert_eq!(
        validate_password(spaced, &context()),
        Ok(()),
        "spaces beside other characters are allowed"
    );
}
