//! Guards the CSV writer of the users export: RFC 4180 quoting, CRLF line ends, the UTF-8
//! byte order mark, the columns, and the apostrophe in front of values that spreadsheet
//! programs could run as formulas.

use console::csv::{CsvWriter, ExportNames, USER_COLUMNS, is_formula_like, users_csv, write_field};
use domain::{AdminLevel, User, UserStatus};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn field(value: &str) -> String {
    let mut out = String::new();
    write_field(&mut out, value);
    out
}

#[wasm_bindgen_test]
fn plain_values_stay_unquoted() {
    assert_eq!(field("ann.lee"), "ann.lee");
    assert_eq!(field(""), "");
    assert_eq!(field("Müller 株式会社"), "Müller 株式会社");
    assert_eq!(
        field("a=b"),
        "a=b",
        "= after the first character is harmless"
    );
}

#[wasm_bindgen_test]
fn special_characters_are_quoted() {
    assert_eq!(field("Lee, Ann"), "\"Lee, Ann\"", "a comma needs quotes");
    assert_eq!(
        field("say \"hi\""),
        "\"say \"\"hi\"\"\"",
        "quotes are doubled inside quotes"
    );
    assert_eq!(field("two\nlines"), "\"two\nlines\"", "LF needs quotes");
    assert_eq!(
        field("two\r\nlines"),
        "\"two\r\nlines\"",
        "CRLF needs quotes"
    );
}

#[wasm_bindgen_test]
fn formula_values_get_an_apostrophe() {
    let cases = [
        ("=1+1", "'=1+1"),
        ("+14155550100", "'+14155550100"),
        ("-5", "'-5"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "\"'\rcmd\""),
        ("  =HYPERLINK(\"x\")", "\"'  =HYPERLINK(\"\"x\"\")\""),
        ("＝1+1", "'＝1+1"),
        ("＋1", "'＋1"),
        ("－1", "'－1"),
        ("＠A1", "'＠A1"),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("=A1,B1", "\"'=A1,B1\""),
    ];
    for (value, expected) in cases {
        assert!(is_formula_like(value), "{value:?} is formula-like");
        assert_eq!(field(value), expected, "written form of {value:?}");
    }
}

#[wasm_bindgen_test]
fn ordinary_values_are_not_formula_like() {
    for value in [
        "ann",
        "",
        " ann",
        "1+1",
        "a@example.com",
        "'quoted",
        "Ann-Marie",
    ] {
        assert!(!is_formula_like(value), "{value:?} is not formula-like");
    }
}

#[wasm_bindgen_test]
fn writer_adds_bom_and_crlf() {
    let mut writer = CsvWriter::new();
    writer.write_record(["a", "b,c"]);
    writer.write_record(["", "d"]);
    assert_eq!(writer.finish(), "\u{feff}a,\"b,c\"\r\n,d\r\n");
}

fn user(id: i64, username: &str) -> User {
    User {
        id,
        username: username.to_owned(),
        first_name: "Ann".to_owned(),
        last_name: "Lee".to_owned(),
        email: format!("{username}@example.com"),
        work_phone: None,
        admin_level: AdminLevel::BasicUser,
        status: UserStatus::Active,
        roles: Vec::new(),
        account_ids: Vec::new(),
        created_at: "2026-01-02T03:04:05Z".to_owned(),
        last_sign_in_at: None,
        version: 1,
    }
}

#[wasm_bindgen_test]
fn users_csv_has_header_and_rows() {
    let mut first = user(1, "ann.lee");
    first.first_name = "=HYPERLINK(\"http://x\")".to_owned();
    first.last_name = "Lee, Jr.".to_owned();
    first.work_phone = Some("+14155550100".to_owned());
    first.admin_level = AdminLevel::AccountAdmin;
    first.roles = vec!["billing".to_owned(), "gone_role".to_owned()];
    first.account_ids = vec![2, 7];
    first.last_sign_in_at = Some("2026-02-03T04:05:06Z".to_owned());
    let mut second = user(2, "bo.kim");
    second.status = UserStatus::Deactivated;
    let mut names = ExportNames::default();
    names
        .roles
        .insert("billing".to_owned(), "Billing reports".to_owned());
    names.accounts.insert(2, "100-200".to_owned());

    let text = users_csv(&[first, second], &names);

    assert!(text.starts_with('\u{feff}'), "the text starts with the BOM");
    let lines: Vec<&str> = text['\u{feff}'.len_utf8()..].split("\r\n").collect();
    assert_eq!(
        lines.len(),
        4,
        "header, two rows and the empty end: {lines:?}"
    );
    assert_eq!(lines[0], USER_COLUMNS.join(","));
    assert_eq!(
        lines[1],
        "ann.lee,\"'=HYPERLINK(\"\"http://x\"\")\",\"Lee, Jr.\",ann.lee@example.com,\
         '+14155550100,Account Admin,Active,Billing reports; gone_role,100-200; 7,\
         2026-01-02T03:04:05Z,2026-02-03T04:05:06Z"
    );
    assert_eq!(
        lines[2],
        "bo.kim,Ann,Lee,bo.kim@example.com,,Basic User,Deactivated,,,2026-01-02T03:04:05Z,"
    );
    assert_eq!(lines[3], "", "the last record ends with CRLF");
}
