//! The users list: one page of the users that match a search and filters, in the order of
//! a sort, and how many match in all. Each kind of request has SQL of its own, so that each
//! reads an index rather than every user (`tests/query_plans.rs` checks this).

use domain::{SortDirection, User, UserSort, UserStatus};
use rusqlite::{Connection, ToSql, Transaction};

use super::list_filter::{self, ListFilter, PageStrategy};
use super::page_anchors::{ANCHOR_SPACING, PageAnchors, PageStart};
use super::username_keys::UsernameKeys;
use super::users::{USER_COLUMN_COUNT, USER_COLUMNS, user_from_row};

/// Filter, sort and page of the users list.
pub struct UserQuery {
    pub filter: ListFilter,
    pub sort: UserSort,
    pub direction: SortDirection,
    pub limit: i64,
    /// Users before the page, 0 or more.
    pub offset: i64,
}

/// Searches shorter than this match the start of a key: the trigram index of longer searches
/// can't find fewer than 3 characters.
pub const SUBSTRING_MIN_CHARS: usize = 3;

/// A search of the list, lower-cased like the keys it is matched against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Search {
    /// 3 characters or more: a substring of the username, "first last" or the email, found
    /// through the `users_search` trigram index.
    Substring(String),
    /// 1 or 2 characters: the start of the username, first name, last name or email, found
    /// through the indexes of those keys.
    Prefix(String),
}

impl Search {
    /// Reads the search text of the list: control characters are removed, each run of
    /// whitespace becomes one space, and the rest is lower-cased. Returns `None` for an
    /// empty search.
    pub fn parse(text: &str) -> Option<Search> {
        let words: Vec<String> = text
            .split_whitespace()
            .map(|word| word.chars().filter(|c| !c.is_control()).collect::<String>())
            .filter(|word| !word.is_empty())
            .collect();
        let text = words.join(" ").to_lowercase();
        match text.chars().count() {
            0 => None,
            count if count < SUBSTRING_MIN_CHARS => Some(Search::Prefix(text)),
            _ => Some(Search::Substring(text)),
        }
    }
}

/// Returns one page of the users matching `query`, and how many match in all, both from one
/// read transaction.
pub fn list(
    connection: &mut Connection,
    anchors: &PageAnchors,
    username_keys: &UsernameKeys,
    query: &UserQuery,
) -> rusqlite::Result<(Vec<User>, i64)> {
    let transaction = connection.transaction()?;
    let filter = &query.filter;
    let is_default_order =
        query.sort == UserSort::Username && query.direction == SortDirection::Asc;
    // The fast paths serve the default order with a search and a status filter at most.
    let page = if !is_default_order || filter.has_level_role_or_account() {
        list_sorted(&transaction, query)?
    } else {
        match (&filter.search, filter.status) {
            (None, _) => list_all(&transaction, anchors, query)?,
            (Some(search), None) => list_all_matches(&transaction, username_keys, search, query)?,
            (Some(search), Some(_)) => list_matches(&transaction, search, query)?,
        }
    };
    transaction.commit()?;
    Ok(page)
}

/// Lists in any order with any filter. The total comes from `user_counts` when only the
/// status is filtered, and from [`list_filter::count`] otherwise. The total then chooses the
/// way the page is found ([`PageStrategy::choose`]).
// NOTE: outside the default order there are no page anchors, so a deep page reads every user
// before it. A search, or a role and an account together, count every match.
fn list_sorted(
    transaction: &Transaction<'_>,
    query: &UserQuery,
) -> rusqlite::Result<(Vec<User>, i64)> {
    let filter = &query.filter;
    let is_counted = filter.search.is_none() && !filter.has_level_role_or_account();
    let total = if is_counted {
        count_shown(transaction, filter.status)?
    } else {
        list_filter::count(transaction, filter)?
    };
    if query.offset >= total {
        return Ok((Vec::new(), total));
    }
    let all = count_shown(transaction, None)?;
    let strategy = PageStrategy::choose(total, all, query.offset + query.limit);
    let users = list_filter::sorted_page(
        transaction,
        filter,
        (query.sort, query.direction),
        strategy,
        query.limit,
        query.offset,
    )?;
    Ok((users, total))
}

/// Lists without a search: the total comes from `user_counts`, and a deep page starts from
/// the nearest page anchor.
fn list_all(
    transaction: &Transaction<'_>,
    anchors: &PageAnchors,
    query: &UserQuery,
) -> rusqlite::Result<(Vec<User>, i64)> {
    let status = query.filter.status;
    let total = count_shown(transaction, status)?;
    if query.offset >= total {
        return Ok((Vec::new(), total));
    }
    let start = if query.offset < ANCHOR_SPACING {
        // Every key sorts after the empty string, so the page starts at the first user.
        Some(PageStart {
            key: String::new(),
            skip: query.offset,
        })
    } else {
        anchors.page_start(transaction, status, query.offset)?
    };
    let Some(start) = start else {
        return Ok((Vec::new(), total));
    };
    let sql = list_page_sql(status.is_some());
    let status = status.map(UserStatus::as_str);
    let mut params: Vec<(&str, &dyn ToSql)> = vec![
        (":start", &start.key),
        (":limit", &query.limit),
        (":skip", &start.skip),
    ];
    if let Some(status) = &status {
        params.push((":status", status));
    }
    let users = query_users(transaction, &sql, &params)?;
    Ok((users, total))
}

/// Returns the SQL of a page of the list without a search: the users from the key `:start`
/// on, after skipping `:skip` of them, with the status `:status` when `has_status`.
pub fn list_page_sql(has_status: bool) -> String {
    let status_filter = if has_status {
        "AND u.list_status = :status"
    } else {
        ""
    };
    format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.username_key >= :start {status_filter} \
         ORDER BY u.username_key, u.id LIMIT :limit OFFSET :skip"
    )
}

/// Returns how many users the list shows with the status filter `status`.
fn count_shown(connection: &Connection, status: Option<UserStatus>) -> rusqlite::Result<i64> {
    let mut statement = connection.prepare_cached(
        "SELECT coalesce(sum(count), 0) FROM user_counts \
         WHERE ?1 IS NULL OR list_status = ?1",
    )?;
    statement.query_row([status.map(UserStatus::as_str)], |row| row.get(0))
}

/// Lists the users matching a search, of any status. The ids of the matches come from the
/// indexes and are sorted in memory by [`UsernameKeys`], so no match is read in full but
/// the page's.
// NOTE: the time grows with the number of matches, because every match is counted and
// sorted. On the 2-core machine of BENCHMARKS.md, with 100,000 generated users, a search
// for a person took about 2 ms of CPU, and one for the main email domain (70,000 matches)
// about 45 ms.
fn list_all_matches(
    transaction: &Transaction<'_>,
    username_keys: &UsernameKeys,
    search: &Search,
    query: &UserQuery,
) -> rusqlite::Result<(Vec<User>, i64)> {
    let mut ids = matching_ids(transaction, search)?;
    username_keys.sort(transaction, &mut ids)?;
    let total = i64::try_from(ids.len()).unwrap_or(i64::MAX);
    let start = usize::try_from(query.offset).unwrap_or(usize::MAX);
    let count = usize::try_from(query.limit).unwrap_or_default();
    let mut statement = transaction.prepare_cached(&format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.id = ?1"
    ))?;
    let mut users = Vec::with_capacity(count);
    for id in ids.iter().skip(start).take(count) {
        users.push(statement.query_row([id], user_from_row)?);
    }
    Ok((users, total))
}

/// Returns the ids of the users that `search` matches, in no particular order.
fn matching_ids(transaction: &Transaction<'_>, search: &Search) -> rusqlite::Result<Vec<i64>> {
    let mut statement = transaction.prepare_cached(matching_ids_sql(search))?;
    let id = |row: &rusqlite::Row<'_>| row.get::<_, i64>(0);
    match search {
        Search::Substring(text) => {
            let phrase = fts_phrase(text);
            statement.query_map(&[(":phrase", &phrase)], id)?.collect()
        }
        Search::Prefix(start) => {
            let end = PrefixEnd::after(start);
            let params: [(&str, &dyn ToSql); 2] = [(":start", start), (":end", &end)];
            statement.query_map(params.as_slice(), id)?.collect()
        }
    }
}

/// Lists the users of one status matching a search. The matches are counted, and sorted for
/// the page, through the users_search_keys index.
fn list_matches(
    transaction: &Transaction<'_>,
    search: &Search,
    query: &UserQuery,
) -> rusqlite::Result<(Vec<User>, i64)> {
    let status = query.filter.status.map(UserStatus::as_str);
    let mut params: Vec<(&str, &dyn ToSql)> = Vec::new();
    // Bound here, so they live as long as `params`, which borrows them.
    let phrase;
    let prefix_end;
    match search {
        Search::Substring(text) => {
            phrase = fts_phrase(text);
            params.push((":phrase", &phrase));
        }
        Search::Prefix(start) => {
            prefix_end = PrefixEnd::after(start);
            params.push((":start", start));
            params.push((":end", &prefix_end));
        }
    }
    if let Some(status) = &status {
        params.push((":status", status));
    }
    let count_params_len = params.len();
    params.push((":limit", &query.limit));
    params.push((":offset", &query.offset));

    let page_sql = search_page_sql(search, status.is_some());
    let mut statement = transaction.prepare_cached(&page_sql)?;
    let rows = statement.query_map(params.as_slice(), |row| {
        Ok((user_from_row(row)?, row.get::<_, i64>(USER_COLUMN_COUNT)?))
    })?;
    let mut users = Vec::new();
    let mut total = 0;
    for row in rows {
        let (user, matches) = row?;
        users.push(user);
        total = matches;
    }

    // A page past the last match has no row to carry the count.
    if users.is_empty() && query.offset > 0 {
        let count_sql = search_count_sql(search, status.is_some());
        total = transaction
            .prepare_cached(&count_sql)?
            .query_row(&params[..count_params_len], |row| row.get(0))?;
    }
    Ok((users, total))
}

/// Returns the SQL of a page of the users that `search` matches, with the status `:status`
/// when `has_status`. Each row has the user's columns and then the number of all matches.
///
/// INDEXED BY makes SQLite read the username key and status of each match from
/// users_search_keys, which is small enough to stay cached, instead of from its row. The
/// page's ids are chosen first, so the roles and accounts are read for the page's users only.
pub fn search_page_sql(search: &Search, has_status: bool) -> String {
    let matching_ids = matching_ids_sql(search);
    let status_filter = search_status_filter(has_status);
    format!(
        "SELECT {USER_COLUMNS}, page.total FROM ( \
             SELECT u.id, count(*) OVER () AS total \
             FROM users u INDEXED BY users_search_keys \
             WHERE u.id IN ({matching_ids}) {status_filter} \
             ORDER BY u.username_key, u.id LIMIT :limit OFFSET :offset \
         ) AS page JOIN users u ON u.id = page.id \
         ORDER BY u.username_key, u.id"
    )
}

/// Returns the SQL that counts the users that `search` matches, with the status `:status`
/// when `has_status`.
pub fn search_count_sql(search: &Search, has_status: bool) -> String {
    let matching_ids = matching_ids_sql(search);
    let status_filter = search_status_filter(has_status);
    format!(
        "SELECT count(*) FROM users u INDEXED BY users_search_keys \
         WHERE u.id IN ({matching_ids}) {status_filter}"
    )
}

fn search_status_filter(has_status: bool) -> &'static str {
    if has_status {
        "AND u.list_status = :status"
    } else {
        ""
    }
}

/// Returns a SELECT of the ids of the users that `search` matches. A prefix is looked up in
/// the index of each key, and the union drops the users found twice.
pub fn matching_ids_sql(search: &Search) -> &'static str {
    match search {
        Search::Substring(_) => "SELECT rowid FROM users_search WHERE users_search MATCH :phrase",
        Search::Prefix(_) => {
            "SELECT id FROM users WHERE username_key >= :start AND username_key < :end \
             UNION SELECT id FROM users WHERE name_key >= :start AND name_key < :end \
             UNION SELECT id FROM users WHERE last_name_key >= :start AND last_name_key < :end \
             UNION SELECT id FROM users WHERE email_key >= :start AND email_key < :end"
        }
    }
}

/// Quotes `text` as an FTS5 string, in which every character is literal. With the trigram
/// tokenizer the string matches any value that contains it.
pub(crate) fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The smallest value above every key that starts with a given prefix: the prefix with its
/// last character raised by one, since SQLite compares text as UTF-8 bytes, which sort like
/// the characters they encode.
pub(crate) enum PrefixEnd {
    Text(String),
    /// The prefix ends in U+10FFFF, which has no successor. SQLite sorts every text value
    /// before every blob, so a blob bounds every key.
    AfterAllText,
}

impl PrefixEnd {
    pub(crate) fn after(prefix: &str) -> PrefixEnd {
        let mut chars: Vec<char> = prefix.chars().collect();
        while let Some(last) = chars.pop() {
            if let Some(next) = next_char(last) {
                chars.push(next);
                return PrefixEnd::Text(chars.into_iter().collect());
            }
        }
        PrefixEnd::AfterAllText
    }
}

impl ToSql for PrefixEnd {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            PrefixEnd::Text(text) => text.to_sql(),
            PrefixEnd::AfterAllText => Ok(rusqlite::types::ToSqlOutput::Borrowed(
                rusqlite::types::ValueRef::Blob(&[]),
            )),
        }
    }
}

/// Returns the next Unicode scalar value after `c`, stepping over the surrogate range.
fn next_char(c: char) -> Option<char> {
    match c {
        '\u{D7FF}' => Some('\u{E000}'),
        char::MAX => None,
        _ => char::from_u32(u32::from(c) + 1),
    }
}

fn query_users(
    connection: &Connection,
    sql: &str,
    params: &[(&str, &dyn ToSql)],
) -> rusqlite::Result<Vec<User>> {
    let mut statement = connection.prepare_cached(sql)?;
    let rows = statement.query_map(params, user_from_row)?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_normalises_text() {
        let cases = [
            (
                "  Avery \t Lindqvist\n",
                Some(Search::Substring("avery lindqvist".into())),
            ),
            (
                "lind\u{0}qvist",
                Some(Search::Substring("lindqvist".into())),
            ),
            ("MÜ", Some(Search::Prefix("mü".into()))),
            (" a ", Some(Search::Prefix("a".into()))),
            ("a b", Some(Search::Substring("a b".into()))),
            ("\u{0} \t", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(Search::parse(text), expected, "search {text:?}");
        }
    }

    #[test]
    fn fts_phrase_doubles_quotes() {
        assert_eq!(fts_phrase(r#"say "hi""#), r#""say ""hi""""#);
        assert_eq!(fts_phrase("o'brien"), r#""o'brien""#);
    }

    #[test]
    fn prefix_end_raises_last_character() {
        let text = |prefix: &str| match PrefixEnd::after(prefix) {
            PrefixEnd::Text(text) => Some(text),
            PrefixEnd::AfterAllText => None,
        };
        assert_eq!(text("ab").as_deref(), Some("ac"), "ASCII");
        assert_eq!(text("zü").as_deref(), Some("zý"), "non-ASCII");
        assert_eq!(
            text("a\u{D7FF}").as_deref(),
            Some("a\u{E000}"),
            "skips surrogates"
        );
        assert_eq!(
            text("a\u{10FFFF}").as_deref(),
            Some("b"),
            "drops a last U+10FFFF"
        );
        assert_eq!(text("\u{10FFFF}"), None, "nothing follows U+10FFFF alone");
    }
}
