//! Cached positions in the users list without a search: every 256th username key in list
//! order, per status filter. A deep page then starts at the anchor before its first user
//! and skips fewer than 256 users, instead of every user before it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use domain::UserStatus;
use rusqlite::Connection;

/// Users from one anchor to the next.
pub const ANCHOR_SPACING: i64 = 256;

/// Anchors of one filtered list as of one `list_version`.
struct Anchors {
    version: i64,
    /// Username keys at positions 0, 256, 512, … of the list.
    keys: Vec<String>,
}

/// The anchors of each status filter, shared by all connections and rebuilt from the
/// database when `list_version` shows that users were added or changed status.
#[derive(Default)]
pub struct PageAnchors {
    by_status: Mutex<HashMap<Option<UserStatus>, Arc<Anchors>>>,
}

/// The start of a page of the list: the users from `key` on, after skipping `skip` of them.
pub struct PageStart {
    pub key: String,
    pub skip: i64,
}

impl PageAnchors {
    /// Returns where the page whose first user is at `offset` starts in the list filtered by
    /// `status`, or `None` when the list has no user at `offset`.
    ///
    /// Call it inside the read transaction of the page query, so the anchors it reads or
    /// rebuilds come from the same snapshot as the page.
    pub fn page_start(
        &self,
        connection: &Connection,
        status: Option<UserStatus>,
        offset: i64,
    ) -> rusqlite::Result<Option<PageStart>> {
        let version = list_version(connection)?;
        let anchors = match self.cached(status, version) {
            Some(anchors) => anchors,
            None => self.rebuild(connection, status, version)?,
        };
        let index = usize::try_from(offset / ANCHOR_SPACING).unwrap_or(usize::MAX);
        Ok(anchors.keys.get(index).map(|key| PageStart {
            key: key.clone(),
            skip: offset % ANCHOR_SPACING,
        }))
    }

    fn cached(&self, status: Option<UserStatus>, version: i64) -> Option<Arc<Anchors>> {
        let by_status = self
            .by_status
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        by_status
            .get(&status)
            .filter(|anchors| anchors.version == version)
            .cloned()
    }

    /// Reads the anchors of `status` in one pass over its index and caches them.
    fn rebuild(
        &self,
        connection: &Connection,
        status: Option<UserStatus>,
        version: i64,
    ) -> rusqlite::Result<Arc<Anchors>> {
        let anchors = Arc::new(Anchors {
            version,
            keys: read_anchor_keys(connection, status)?,
        });
        let mut by_status = self
            .by_status
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Another request may have cached newer anchors meanwhile; the newest version stays.
        let is_newer = by_status
            .get(&status)
            .is_none_or(|cached| cached.version < version);
        if is_newer {
            by_status.insert(status, Arc::clone(&anchors));
        }
        Ok(anchors)
    }
}

fn list_version(connection: &Connection) -> rusqlite::Result<i64> {
    connection
        .prepare_cached("SELECT version FROM list_version WHERE id = 1")?
        .query_row([], |row| row.get(0))
}

/// Returns the SQL that reads the username keys of the list in order, of the status `?1`
/// when `has_status`.
pub fn anchor_keys_sql(has_status: bool) -> &'static str {
    if has_status {
        "SELECT u.username_key FROM users u WHERE u.list_status = ?1 \
         ORDER BY u.username_key, u.id"
    } else {
        "SELECT u.username_key FROM users u ORDER BY u.username_key, u.id"
    }
}

/// Reads every [`ANCHOR_SPACING`]th username key of the list filtered by `status`.
fn read_anchor_keys(
    connection: &Connection,
    status: Option<UserStatus>,
) -> rusqlite::Result<Vec<String>> {
    let mut statement = connection.prepare_cached(anchor_keys_sql(status.is_some()))?;
    let mut rows = match status {
        None => statement.query([])?,
        Some(status) => statement.query([status.as_str()])?,
    };
    let mut keys = Vec::new();
    let mut position: i64 = 0;
    while let Some(row) = rows.next()? {
        if position % ANCHOR_SPACING == 0 {
            keys.push(row.get(0)?);
        }
        position += 1;
    }
    Ok(keys)
}
