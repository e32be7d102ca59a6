//! The username key of every user by id, kept in memory so a search can sort its matches
//! without reading each match from the database. No operation changes a username or deletes
//! a user, so the cache only grows: users newer than the cache are read when a search
//! meets them.

use std::sync::RwLock;

use rusqlite::Connection;

/// Username keys by user id, shared by every connection.
#[derive(Default)]
pub struct UsernameKeys {
    /// Index `id` contains the key of user `id`; `None` where no user has that id.
    keys: RwLock<Vec<Option<Box<str>>>>,
}

impl UsernameKeys {
    /// Sorts `ids` by username key and then id, as the list is ordered, and drops ids that
    /// no user has. Users with ids above the cached ones are read from `connection` first.
    pub fn sort(&self, connection: &Connection, ids: &mut Vec<i64>) -> rusqlite::Result<()> {
        let Some(&max_id) = ids.iter().max() else {
            return Ok(());
        };
        if !self.covers(max_id) {
            self.read_newer(connection)?;
        }
        let keys = self
            .keys
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let key_of = |id: i64| {
            usize::try_from(id)
                .ok()
                .and_then(|index| keys.get(index))
                .and_then(Option::as_deref)
        };
        ids.retain(|&id| key_of(id).is_some());
        ids.sort_unstable_by(|&a, &b| key_of(a).cmp(&key_of(b)).then(a.cmp(&b)));
        Ok(())
    }

    fn covers(&self, id: i64) -> bool {
        let keys = self
            .keys
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        usize::try_from(id).is_ok_and(|index| index < keys.len())
    }

    /// Appends the keys of the users whose ids are above the cached ones.
    fn read_newer(&self, connection: &Connection) -> rusqlite::Result<()> {
        let mut keys = self
            .keys
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let first_id = i64::try_from(keys.len()).unwrap_or(i64::MAX);
        let mut statement = connection
            .prepare_cached("SELECT id, username_key FROM users WHERE id >= ?1 ORDER BY id")?;
        let mut rows = statement.query([first_id])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let key: String = row.get(1)?;
            let Ok(index) = usize::try_from(id) else {
                continue;
            };
            if keys.len() <= index {
                keys.resize(index + 1, None);
            }
            keys[index] = Some(key.into_boxed_str());
        }
        Ok(())
    }
}
