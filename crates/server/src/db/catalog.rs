//! Queries on the roles and accounts that users can be granted.

use domain::{Account, Role};
use rusqlite::{Connection, OptionalExtension};

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

pub fn accounts_list(connection: &Connection) -> rusqlite::Result<Vec<Account>> {
    let mut statement =
        connection.prepare("SELECT id, number, name FROM accounts ORDER BY number, id")?;
    let rows = statement.query_map([], |row| {
        Ok(Account {
            id: row.get(0)?,
            number: row.get(1)?,
            name: row.get(2)?,
        })
    })?;
    rows.collect()
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
