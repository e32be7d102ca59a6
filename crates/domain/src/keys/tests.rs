//! Pairs of values that must share a uniqueness key, and pairs that must not.

use super::*;

#[test]
fn username_key_collides_case_and_width() {
    let same = [
        ("Admin", "admin"),
        ("  ANN.LEE ", "ann.lee"),
        ("ａｄｍｉｎ", "admin"),
        ("ＡＤＭＩＮ", "admin"),
        ("ﬁona", "fiona"),
    ];
    for (variant, plain) in same {
        assert_eq!(
            username_key(variant),
            username_key(plain),
            "{variant:?} and {plain:?}"
        );
    }
}

#[test]
fn fold_key_collides_composed_and_decomposed() {
    let composed = "J\u{00FC}rgen";
    let decomposed = "Ju\u{0308}rgen";
    assert_eq!(fold_key(composed), fold_key(decomposed));
    assert_eq!(fold_key("STRASSE"), fold_key("straße"), "ß folds to ss");
    assert_eq!(
        fold_key("ΣΊΣΥΦΟΣ"),
        fold_key("σίσυφος"),
        "final sigma folds"
    );
}

#[test]
fn fold_key_keeps_different_scripts_apart() {
    assert_ne!(
        fold_key("ann"),
        fold_key("\u{0430}nn"),
        "Cyrillic а is not a"
    );
    assert_ne!(fold_key("ann.lee"), fold_key("ann_lee"));
}

#[test]
fn email_key_canonical_domain() {
    let cases = [
        ("Ann@Example.COM", "ann@example.com"),
        ("ann@ｅｘａｍｐｌｅ.com", "ann@example.com"),
        ("ann@bücher.example", "ann@xn--bcher-kva.example"),
        ("ann@BU\u{0308}CHER.example", "ann@xn--bcher-kva.example"),
        ("ann@xn--bcher-kva.example", "ann@xn--bcher-kva.example"),
        ("  ANN@münchen.DE  ", "ann@xn--mnchen-3ya.de"),
    ];
    for (email, key) in cases {
        assert_eq!(email_key(email).as_deref(), Ok(key), "email {email:?}");
    }
}

#[test]
fn email_key_rejects_invalid_idna() {
    let long_label = format!("ann@{}.example", "ü".repeat(70));
    let message = email_key(&long_label).expect_err("a label over 63 bytes encoded");
    assert!(
        message.contains("not a valid international domain name"),
        "message {message:?}"
    );
}

#[test]
fn username_and_email_keys_compare() {
    assert_eq!(
        username_key("Ann@Example.com"),
        email_key("ann@EXAMPLE.com").unwrap(),
        "a username shaped like an email has the same key as that email"
    );
}
