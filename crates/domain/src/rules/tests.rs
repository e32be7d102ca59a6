//! Tables of valid and invalid values at the edges of each rule.

use super::*;

#[test]
fn username_valid_values() {
    let cases = [
        ("abc", "abc"),
        ("  ann.lee  ", "ann.lee"),
        ("A_b-c.d@e", "A_b-c.d@e"),
        ("user@example.com", "user@example.com"),
        ("123", "123"),
        ("..a", "..a"),
        ("@@1", "@@1"),
        (&"a".repeat(64), &"a".repeat(64)),
    ];
    for (input, stored) in cases {
        assert_eq!(
            validate_username(input).as_deref(),
            Ok(stored),
            "input {input:?}"
        );
    }
}

#[test]
fn username_invalid_values() {
    let cases = [
        ("", "Enter a username."),
        ("   ", "Enter a username."),
        ("ab", "3 to 64 characters"),
        (" ab ", "3 to 64 characters"),
        (&"a".repeat(65), "(it has 65)"),
        ("ann lee", "can't contain spaces"),
        ("ann+lee", "\"+\""),
        ("ann/lee", "\"/\""),
        ("аnn", "\"а\""), // Cyrillic a
        ("ａｄｍｉｎ", "full-width \"ａ\". Type \"a\" instead"),
        ("ann＋lee", "can't contain \"＋\". Use letters"),
        ("jürgen", "\"ü\""),
        ("ann\u{0}lee", "U+0000"),
        ("...", "at least one letter or digit"),
        ("@@@", "at least one letter or digit"),
        ("_-.@", "at least one letter or digit"),
    ];
    for (input, expected) in cases {
        let message = validate_username(input).expect_err(input);
        assert!(
            message.contains(expected),
            "input {input:?} gave {message:?}"
        );
    }
}

#[test]
fn name_valid_values() {
    let cases = [
        ("Ann", "Ann"),
        ("  Ann  ", "Ann"),
        ("O'Brien-Smith", "O'Brien-Smith"),
        ("José María", "José María"),
        ("李", "李"),
        ("N'Dour 2nd", "N'Dour 2nd"),
        // Persian spells Alireza with a zero-width non-joiner between its two parts.
        ("علی\u{200C}رضا", "علی\u{200C}رضا"),
        // Malayalam writes this chillu form with a zero-width joiner after the virama.
        ("ന\u{0D4D}\u{200D}", "ന\u{0D4D}\u{200D}"),
        (
            "<img src=x onerror=alert(1)>",
            "<img src=x onerror=alert(1)>",
        ),
    ];
    for (input, stored) in cases {
        assert_eq!(
            validate_name("First name", input).as_deref(),
            Ok(stored),
            "input {input:?}"
        );
    }
    let longest = "é".repeat(NAME_MAX_CHARS);
    assert_eq!(
        validate_name("Last name", &longest),
        Ok(longest.clone()),
        "100 characters"
    );
}

#[test]
fn name_invalid_values() {
    let too_long = "x".repeat(NAME_MAX_CHARS + 1);
    let cases = [
        ("", "Enter a first name."),
        (" \t ", "Enter a first name."),
        ("Ann\tLee", "control characters"),
        ("Ann\nLee", "control characters"),
        ("\u{200B}", "invisible character U+200B"),
        ("Ann\u{202E}eeL", "invisible character U+202E"),
        ("Ann\u{00AD}", "invisible character U+00AD"),
        ("A\u{200F}nn", "invisible character U+200F"),
        ("A\u{2060}nn", "invisible character U+2060"),
        ("A\u{2066}nn\u{2069}", "invisible character U+2066"),
        ("\u{FEFF}Ann", "invisible character U+FEFF"),
        ("\u{200C}Ann", "invisible character U+200C"),
        ("\u{200D}", "invisible character U+200D"),
        ("Ann \u{200D}Lee", "invisible character U+200D"),
        ("A\u{200C}\u{200C}nn", "invisible character U+200C"),
        ("1234", "must contain at least one letter"),
        ("-'.", "must contain at least one letter"),
        (
            too_long.as_str(),
            "at most 100 characters long (it has 101)",
        ),
    ];
    for (input, expected) in cases {
        let message = validate_name("First name", input).expect_err(input);
        assert!(
            message.contains(expected),
            "input {input:?} gave {message:?}"
        );
    }
}

#[test]
fn email_valid_values() {
    let local_64 = format!("{}@example.com", "a".repeat(64));
    let cases = [
        "ann@example.com",
        "  ann.lee@example.com ",
        "ann+tag@sub.example.co.uk",
        "o'brien@example.ie",
        "a@b.co",
        "ANN@EXAMPLE.COM",
        "x_y-z@my-domain.org",
        "ann@exämple.com",
        "ann@bu\u{0308}cher.example",
        "ann@пример.рф",
        "ann@xn--e1afmkfd.xn--p1ai",
        local_64.as_str(),
    ];
    for input in cases {
        assert_eq!(
            validate_email(input).as_deref(),
            Ok(input.trim()),
            "input {input:?}"
        );
    }
}

#[test]
fn email_invalid_values() {
    let local_65 = format!("{}@example.com", "a".repeat(65));
    let too_long = format!("a@{}.com", "b".repeat(250));
    let cases = [
        ("", "Enter an email address."),
        ("ann", "missing an @"),
        ("@example.com", "before the @"),
        ("ann.@example.com", "before the @"),
        (".ann@example.com", "before the @"),
        ("an..n@example.com", "before the @"),
        ("ann lee@example.com", "before the @"),
        ("ann@@example.com", "more than one @"),
        ("ann@example@example.com", "more than one @"),
        (local_65.as_str(), "before the @"),
        ("ann@", "after the @"),
        ("ann@example", "after the @"),
        ("ann@example.c", "after the @"),
        ("ann@example.123", "after the @"),
        ("ann@-example.com", "after the @"),
        ("ann@example-.com", "after the @"),
        ("ann@exa mple.com", "after the @"),
        ("ann@example..com", "after the @"),
        ("ann@exa\u{202E}mple.com", "after the @"),
        ("ann@exa\u{3000}mple.com", "after the @"),
        ("ann@xn--p1ai.1x", "after the @"),
        (too_long.as_str(), "at most 254"),
    ];
    for (input, expected) in cases {
        let message = validate_email(input).expect_err(input);
        assert!(
            message.contains(expected),
            "input {input:?} gave {message:?}"
        );
    }
}

#[test]
fn work_phone_valid_values() {
    let cases = [
        ("", None),
        ("   ", None),
        ("+14155550123", Some("+14155550123")),
        ("+1 (415) 555-0123", Some("+14155550123")),
        (" +44 20 7946 0958 ", Some("+442079460958")),
        ("+49.30.123456", Some("+4930123456")),
        ("+6834002", Some("+6834002")),
        ("+123456789012345", Some("+123456789012345")),
        ("+1(415)555-0123", Some("+14155550123")),
        ("+1 415-555.0123", Some("+14155550123")),
    ];
    for (input, stored) in cases {
        let expected = Ok(stored.map(str::to_owned));
        assert_eq!(normalize_work_phone(input), expected, "input {input:?}");
    }
}

#[test]
fn work_phone_invalid_values() {
    let cases = [
        ("4155550123", "must start with +"),
        ("00441234567", "must start with +"),
        ("+0441234567", "can't start with 0"),
        ("+1415555012x", "\"x\""),
        ("+1 415 555 0123 ext 4", "\"e\""),
        ("+1+4155550123", "\"+\""),
        ("+", "(it has 0)"),
        ("+123456", "(it has 6)"),
        ("+1234567890123456", "(it has 16)"),
        ("+1/415/5550123", "\"/\""),
        ("+1-----2---3-4-5-6-7", "Separate groups of digits"),
        ("+1  415 555 0123", "Separate groups of digits"),
        ("+1 - 415 555 0123", "Separate groups of digits"),
        ("+ 14155550123", "Separate groups of digits"),
        ("+1 415 555 0123-", "Separate groups of digits"),
        ("+1 (415 555 0123", "Separate groups of digits"),
        ("+1 415) 555 0123", "Separate groups of digits"),
        ("+1 () 4155550123", "Separate groups of digits"),
        ("+1 ((415)) 5550123", "Separate groups of digits"),
        ("+1 (-415) 5550123", "Separate groups of digits"),
        ("+44 (0)20 7946 0958", "Leave out the (0)"),
        ("+44(0)2079460958", "Leave out the (0)"),
    ];
    for (input, expected) in cases {
        let message = normalize_work_phone(input).expect_err(input);
        assert!(
            message.contains(expected),
            "input {input:?} gave {message:?}"
        );
    }
}

#[test]
fn normalize_key_trims_and_lowercases() {
    assert_eq!(normalize_key("  Ann.Lee "), "ann.lee");
    assert_eq!(normalize_key("ANN@Example.COM"), "ann@example.com");
    assert_eq!(
        normalize_key(&normalize_key(" MiXeD ")),
        normalize_key(" MiXeD ")
    );
}

fn valid_new_user() -> NewUser {
    NewUser {
        username: " ann.lee ".to_owned(),
        first_name: "Ann".to_owned(),
        last_name: "Lee".to_owned(),
        email: "ann.lee@example.com".to_owned(),
        work_phone: Some("+1 415 555 0123".to_owned()),
        admin_level: AdminLevel::AccountAdmin,
        roles: vec![
            "porting".to_owned(),
            "billing_reports".to_owned(),
            "porting".to_owned(),
        ],
        account_ids: vec![3, 1, 3],
    }
}

#[test]
fn new_user_normalised_when_valid() {
    let valid = validate_new_user(&valid_new_user()).expect("valid user");
    assert_eq!(valid.username, "ann.lee");
    assert_eq!(valid.work_phone.as_deref(), Some("+14155550123"));
    assert_eq!(valid.roles, ["billing_reports", "porting"]);
    assert_eq!(valid.account_ids, [1, 3]);
}

#[test]
fn new_user_without_roles_is_valid() {
    let user = NewUser {
        roles: vec![],
        work_phone: None,
        ..valid_new_user()
    };
    let valid = validate_new_user(&user).expect("roles are optional");
    assert!(valid.roles.is_empty());
    assert_eq!(valid.work_phone, None);
}

#[test]
fn new_user_reports_every_invalid_field() {
    let user = NewUser {
        username: "a b".to_owned(),
        first_name: String::new(),
        last_name: " ".to_owned(),
        email: "nope".to_owned(),
        work_phone: Some("555".to_owned()),
        admin_level: AdminLevel::BasicUser,
        roles: vec![],
        account_ids: vec![],
    };
    let errors = validate_new_user(&user).expect_err("invalid user");
    let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        [
            "account_ids",
            "email",
            "first_name",
            "last_name",
            "username",
            "work_phone"
        ],
        "one message per invalid field"
    );
}

#[test]
fn user_update_uses_the_new_user_rules() {
    let update = UserUpdate {
        username: Some("ignored here".to_owned()),
        first_name: " Ann ".to_owned(),
        last_name: String::new(),
        email: "not-an-email".to_owned(),
        work_phone: Some("0123".to_owned()),
        admin_level: AdminLevel::BasicUser,
        roles: vec![],
        account_ids: vec![],
    };
    let errors = validate_user_update(&update).expect_err("invalid update");
    let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        ["account_ids", "email", "last_name", "work_phone"],
        "one message per invalid field, none for the username"
    );
}

#[test]
fn user_update_normalised_when_valid() {
    let update = UserUpdate {
        username: None,
        first_name: " Ann ".to_owned(),
        last_name: "Lee".to_owned(),
        email: " ann@example.com ".to_owned(),
        work_phone: Some("+1 415 555 0100".to_owned()),
        admin_level: AdminLevel::AccountAdmin,
        roles: vec!["b".to_owned(), "a".to_owned(), "b".to_owned()],
        account_ids: vec![3, 1, 3],
    };
    let valid = validate_user_update(&update).expect("valid update");
    assert_eq!(valid.first_name, "Ann", "trimmed");
    assert_eq!(valid.email, "ann@example.com", "trimmed");
    assert_eq!(valid.work_phone.as_deref(), Some("+14155550100"), "E.164");
    assert_eq!(valid.roles, ["a", "b"], "sorted, no repeats");
    assert_eq!(valid.account_ids, [1, 3], "sorted, no repeats");
}
