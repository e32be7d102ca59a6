//! Queries on the roles and accounts that users can be granted: the roles, and the accounts
//! searched and paged in number order or fetched by id.

use domain::{Account, Role};
use rusqlite::{Connection, OptionalExtension, ToSql, params};

use super::user_list::{PrefixEnd, Search, fts_phrase};

pub fn roles_list(connection: &Connection) -> rusqlite::Result<Vec<Role>> {
    let mut statement = connection
        .prepare("SELECT id, name, description, enabled_by_default FROM roles ORDER BY name, id")?;
    let rows = statement.query_map([], |row| {
        Ok(Role {
            id: row.get(0)?,
            name: row.get(1)?,
            description: row.get(2)?,
            enabled_by_default: row.get(3)?,
        })
    })?;
    rows.collect()
}

/// Search and page of the accounts list.
pub struct AccountQuery {
    pub search: Option<Search>,
    /// Number of the last account of the previous page, after which the page starts.
    pub after_number: Option<String>,
    /// Accounts per page, 1 or more.
    pub limit: i64,
}

/// Returns the search key of an account's number or name: the text lower-cased, as
/// [`Search::parse`] lower-cases the search.
pub fn account_key(text: &str) -> String {
    text.to_lowercase()
}

/// Inserts an account with its search keys. The triggers add it to the search index.
pub fn insert_account(
    connection: &Connection,
    id: i64,
    number: &str,
    name: &str,
) -> rusqlite::Result<()> {
    let mut statement = connection.prepare_cached(
        "INSERT INTO accounts (id, number, name, number_key, name_key) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    statement.execute(params![
        id,
        number,
        name,
        account_key(number),
        account_key(name)
    ])?;
    Ok(())
}

/// Returns the number of the account `id`, or `None` when there is no such account.
pub fn account_number(connection: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    connection
        .prepare_cached("SELECT number FROM accounts WHERE id = ?1")?
        .query_row([id], |row| row.get(0))
        .optional()
}

/// Returns one page of the accounts matching `query` in number order, how many match in
/// all, and whether more follow the page, all from one read transaction.
pub fn accounts_page(
    connection: &mut Connection,
    query: &AccountQuery,
) -> rusqlite::Result<(Vec<Account>, i64, bool)> {
    let transaction = connection.transaction()?;
    let phrase;
    let prefix_end;
    let mut search_params: Vec<(&str, &dyn ToSql)> = Vec::new();
    match &query.search {
        None => {}
        Some(Search::Substring(text)) => {
            phrase = fts_phrase(text);
            search_params.push((":phrase", &phrase));
        }
        Some(Search::Prefix(start)) => {
            prefix_end = PrefixEnd::after(start);
            search_params.push((":start", start));
            search_params.push((":end", &prefix_end));
        }
    }
    let total: i64 = transaction
        .prepare_cached(account_count_sql(query.search.as_ref()))?
        .query_row(search_params.as_slice(), |row| row.get(0))?;

    // One row more than the page shows whether another page follows.
    let limit = query.limit + 1;
    let mut page_params = search_params;
    page_params.push((":limit", &limit));
    if let Some(after) = &query.after_number {
        page_params.push((":after", after));
    }
    let sql = account_page_sql(query.search.as_ref(), query.after_number.is_some());
    let mut statement = transaction.prepare_cached(&sql)?;
    let mut accounts = statement
        .query_map(page_params.as_slice(), account_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    drop(statement);
    transaction.commit()?;

    let has_more = accounts.len() as i64 > query.limit;
    accounts.truncate(usize::try_from(query.limit).unwrap_or_default());
    Ok((accounts, total, has_more))
}

/// Returns the SQL of a page of the accounts that `search` matches, or of every account, in
/// number order: `:limit` of them, after the number `:after` when `has_after`.
///
/// CROSS JOIN makes SQLite read the matches first and look each one up by id, instead of
/// walking every account in number order to test whether it matches.
pub fn account_page_sql(search: Option<&Search>, has_after: bool) -> String {
    let after_filter = if has_after {
        "WHERE a.number > :after"
    } else {
        ""
    };
    let source = match search {
        None => "accounts a".to_owned(),
        Some(search) => format!(
            "({}) AS matches CROSS JOIN accounts a ON a.id = matches.id",
            matching_account_ids_sql(search)
        ),
    };
    format!(
        "SELECT a.id, a.number, a.name FROM {source} {after_filter} \
         ORDER BY a.number LIMIT :limit"
    )
}

/// Returns the SQL that counts the accounts that `search` matches, or every account.
pub fn account_count_sql(search: Option<&Search>) -> &'static str {
    match search {
        None => "SELECT count FROM account_count",
        Some(Search::Substring(_)) => {
            "SELECT count(*) FROM accounts_search WHERE accounts_search MATCH :phrase"
        }
        Some(Search::Prefix(_)) => {
            "SELECT count(*) FROM (\
                 SELECT id FROM accounts WHERE number_key >= :start AND number_key < :end \
                 UNION SELECT id FROM accounts WHERE name_key >= :start AND name_key < :end)"
        }
    }
}

/// Returns a SELECT of the ids of the accounts that `search` matches, in a column `id`.
fn matching_account_ids_sql(search: &Search) -> &'static str {
    match search {
        Search::Substring(_) => {
            "SELECT rowid AS id FROM accounts_search WHERE accounts_search MATCH :phrase"
        }
        Search::Prefix(_) => {
            "SELECT id FROM accounts WHERE number_key >= :start AND number_key < :end \
             UNION SELECT id FROM accounts WHERE name_key >= :start AND name_key < :end"
        }
    }
}

/// Returns the accounts of `ids` in number order, leaving out ids that no account has.
pub fn accounts_by_id(connection: &Connection, ids: &[i64]) -> rusqlite::Result<Vec<Account>> {
    let mut statement =
        connection.prepare_cached("SELECT id, number, name FROM accounts WHERE id = ?1")?;
    let mut accounts = Vec::with_capacity(ids.len());
    for &id in ids {
        if let Some(account) = statement.query_row([id], account_from_row).optional()?
            && !accounts.contains(&account)
        {
            accounts.push(account);
        }
    }
    accounts.sort_by(|a: &Account, b: &Account| a.number.cmp(&b.number));
    Ok(accounts)
}

fn account_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        id: row.get(0)?,
        number: row.get(1)?,
        name: row.get(2)?,
    })
}

/// Returns the role ids of `ids` that no role has, in the given order.
pub fn unknown_roles(connection: &Connection, ids: &[String]) -> rusqlite::Result<Vec<String>> {
    let mut statement = connection.prepare_cached("SELECT 1 FROM roles WHERE id = ?1")?;
    let mut unknown = Vec::new();
    for id in ids {
        if statement.query_row([id], |_| Ok(())).optional()?.is_none() {
            unknown.push(id.clone());
        }
    }
    Ok(unknown)
}

/// Returns the account ids of `ids` that no account has, in the given order.
pub fn unknown_accounts(connection: &Connection, ids: &[i64]) -> rusqlite::Result<Vec<i64>> {
    let mut statement = connection.prepare_cached("SELECT 1 FROM accounts WHERE id = ?1")?;
    let mut unknown = Vec::new();
    for &id in ids {
        if statement.query_row([id], |_| Ok(())).optional()?.is_none() {
            unknown.push(id);
        }
    }
    Ok(unknown)
}
