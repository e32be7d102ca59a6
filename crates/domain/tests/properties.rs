//! Property tests of the rules: no rule panics on any string, every normalisation and key
//! function is idempotent, and a value a rule accepted passes the rule again unchanged.

use domain::{
    PasswordContext, check_password, email_key, fold_key, normalize_key, normalize_work_phone,
    username_key, validate_email, validate_name, validate_password, validate_username,
};
use proptest::prelude::*;

/// Strings mixing ASCII, the characters the rules treat specially (full-width forms,
/// combining marks, format characters, `@` and `.`) and any other Unicode scalar.
fn text() -> impl Strategy<Value = String> {
    let special = prop_oneof![
        Just('@'),
        Just('.'),
        Just('-'),
        Just(' '),
        Just('\u{0308}'),
        Just('\u{200D}'),
        Just('\u{202E}'),
        Just('ß'),
        Just('İ'),
        Just('ﬁ'),
        Just('。'),
        proptest::char::range('\u{FF01}', '\u{FF5E}'),
    ];
    let any_char = prop_oneof![
        4 => proptest::char::range('!', '~'),
        2 => special,
        1 => any::<char>(),
    ];
    proptest::collection::vec(any_char, 0..80).prop_map(|chars| chars.into_iter().collect())
}

/// Strings shaped like email addresses, so the domain rules and IDNA run more often than
/// with [`text`] alone.
fn email_like() -> impl Strategy<Value = String> {
    (
        text(),
        text(),
        prop_oneof![Just("com"), Just("de"), Just("xn--p1ai"), Just("рф")],
    )
        .prop_map(|(local, domain, top)| format!("{local}@{domain}.{top}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn rules_never_panic(value in text(), other in text()) {
        let _ = validate_username(&value);
        let _ = validate_name("First name", &value);
        let _ = validate_email(&value);
        let _ = normalize_work_phone(&value);
        let _ = normalize_key(&value);
        let _ = fold_key(&value);
        let _ = username_key(&value);
        let _ = email_key(&value);
        let context = PasswordContext {
            username: other.clone(),
            first_name: other.clone(),
            last_name: value.clone(),
            email: other,
            min_chars: 12,
        };
        let _ = check_password(&value, &context);
        let _ = validate_password(&value, &context);
    }

    #[test]
    fn keys_are_idempotent(value in text()) {
        let key = fold_key(&value);
        prop_assert_eq!(fold_key(&key), key.clone());
        prop_assert_eq!(username_key(&key), key);
        let lower = normalize_key(&value);
        prop_assert_eq!(normalize_key(&lower), lower);
    }

    #[test]
    fn email_key_is_idempotent(email in email_like()) {
        if let Ok(key) = email_key(&email) {
            prop_assert_eq!(email_key(&key), Ok(key.clone()), "key of {:?}", email);
        }
    }

    #[test]
    fn accepted_values_pass_again(value in text()) {
        if let Ok(username) = validate_username(&value) {
            prop_assert_eq!(validate_username(&username), Ok(username.clone()));
            let key = username_key(&username);
            prop_assert_eq!(validate_username(&key), Ok(key.clone()), "key of {:?}", username);
            prop_assert_eq!(key, normalize_key(&username), "ASCII keys are lower case");
        }
        if let Ok(name) = validate_name("Last name", &value) {
            prop_assert_eq!(validate_name("Last name", &name), Ok(name.clone()));
        }
        if let Ok(Some(phone)) = normalize_work_phone(&value) {
            prop_assert_eq!(normalize_work_phone(&phone), Ok(Some(phone.clone())));
        }
    }

    #[test]
    fn accepted_emails_pass_again(email in email_like()) {
        if let Ok(valid) = validate_email(&email) {
            prop_assert_eq!(validate_email(&valid), Ok(valid.clone()));
            if let Ok(key) = email_key(&valid) {
                prop_assert_eq!(validate_email(&key), Ok(key.clone()), "key of {:?}", valid);
            }
        }
    }
}
