//! CSV text as RFC 4180 describes it: CRLF line ends, and fields with a comma, quote or line
//! break in double quotes. A UTF-8 byte order mark comes first, so that Excel reads it as
//! UTF-8, and values that spreadsheet programs would run as formulas are turned into text.

use std::collections::BTreeMap;

use domain::User;

/// Byte order mark written first, so that Excel reads the file as UTF-8 instead of the
/// system's code page.
pub const BYTE_ORDER_MARK: char = '\u{feff}';

/// Header row of [`users_csv`].
pub const USER_COLUMNS: [&str; 11] = [
    "Username",
    "First name",
    "Last name",
    "Email",
    "Work phone",
    "Administration level",
    "Status",
    "Roles",
    "Accounts",
    "Created",
    "Last sign-in",
];

/// Separator between the role names, and between the account numbers, in one field.
const LIST_SEPARATOR: &str = "; ";

/// Builds CSV text one record at a time.
pub struct CsvWriter {
    text: String,
}

impl CsvWriter {
    /// Starts the text with the byte order mark.
    pub fn new() -> CsvWriter {
        CsvWriter {
            text: BYTE_ORDER_MARK.to_string(),
        }
    }

    /// Appends one record, ended by CRLF.
    pub fn write_record<'a>(&mut self, fields: impl IntoIterator<Item = &'a str>) {
        for (index, field) in fields.into_iter().enumerate() {
            if index > 0 {
                self.text.push(',');
            }
            write_field(&mut self.text, field);
        }
        self.text.push_str("\r\n");
    }

    /// Returns the text written so far.
    pub fn finish(self) -> String {
        self.text
    }
}

impl Default for CsvWriter {
    fn default() -> Self {
        CsvWriter::new()
    }
}

/// Appends `value` to `out` as one field: with a leading apostrophe when a spreadsheet program
/// could read it as a formula, and in double quotes (doubling the quotes inside) when it
/// contains a comma, a double quote, CR or LF.
pub fn write_field(out: &mut String, value: &str) {
    let guard = if is_formula_like(value) { "'" } else { "" };
    let needs_quotes = value.contains([',', '"', '\r', '\n']);
    if !needs_quotes {
        out.push_str(guard);
        out.push_str(value);
        return;
    }
    out.push('"');
    out.push_str(guard);
    out.push_str(&value.replace('"', "\"\""));
    out.push('"');
}

/// Returns whether a spreadsheet program could run `value` as a formula or a command.
///
/// That is the case when it starts with `=`, `+`, `-` or `@`, with which spreadsheet programs
/// start a formula, or with TAB or CR, which they may skip before one. Two further cases are
/// treated the same way, because some programs read them as formulas too:
/// - the full-width forms `＝ ＋ － ＠` (U+FF1D, U+FF0B, U+FF0D, U+FF20), which Excel in
///   East Asian locales may turn into their ASCII forms on input;
/// - any of these characters after leading whitespace, which programs may trim first.
///
/// Such values get a leading apostrophe, which the programs show as text. This also marks
/// harmless values, such as a work phone `+14155550100`, which then opens as text.
pub fn is_formula_like(value: &str) -> bool {
    if value.starts_with(['\t', '\r']) {
        return true;
    }
    value
        .trim_start()
        .starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠'])
}

/// Names used by [`users_csv`] for the ids a user has.
#[derive(Clone, Debug, Default)]
pub struct ExportNames {
    /// Role id to role name.
    pub roles: BTreeMap<String, String>,
    /// Account id to account number.
    pub accounts: BTreeMap<i64, String>,
}

/// Returns the CSV file of `users`, in their order, with the columns of [`USER_COLUMNS`].
/// Roles and accounts show their names and numbers from `names`, or their ids where `names`
/// has none. Times are the backend's RFC 3339 UTC timestamps, which spreadsheets sort
/// correctly as text.
pub fn users_csv(users: &[User], names: &ExportNames) -> String {
    let mut writer = CsvWriter::new();
    writer.write_record(USER_COLUMNS);
    for user in users {
        let roles = join_names(
            user.roles
                .iter()
                .map(|id| names.roles.get(id).map_or(id.clone(), |name| name.clone())),
        );
        let accounts = join_names(user.account_ids.iter().map(|id| {
            names
                .accounts
                .get(id)
                .map_or_else(|| id.to_string(), |number| number.clone())
        }));
        writer.write_record([
            user.username.as_str(),
            &user.first_name,
            &user.last_name,
            &user.email,
            user.work_phone.as_deref().unwrap_or_default(),
            user.admin_level.label(),
            user.status.label(),
            &roles,
            &accounts,
            &user.created_at,
            user.last_sign_in_at.as_deref().unwrap_or_default(),
        ]);
    }
    writer.finish()
}

fn join_names(names: impl Iterator<Item = String>) -> String {
    names.collect::<Vec<_>>().join(LIST_SEPARATOR)
}
