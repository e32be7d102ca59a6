//! SQLite access: a small pool of connections to one database file, used from blocking
//! threads so that queries never stall the async runtime.

pub mod bulk_status;
pub mod catalog;
pub mod idempotency;
pub mod invitations;
pub mod list_filter;
mod migrations;
pub mod outbox;
pub mod page_anchors;
pub mod sessions;
pub mod user_changes;
pub mod user_edit;
pub mod user_list;
pub mod username_keys;
pub mod users;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use rusqlite::Connection;
use tokio::sync::Semaphore;

use crate::error::AppError;
use page_anchors::PageAnchors;
use username_keys::UsernameKeys;

/// How long a connection waits for another writer's lock before failing with "busy".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
// NOTE: while reads and writes never pause, as in the create scenario of `cargo xtask bench`,
// SQLite's automatic checkpoints can't restart the WAL file, which then keeps growing (to
// hundreds of MiB there) until the load stops.
/// Connections that run queries at the same time; further requests wait for one. Three keep
/// both cores of a small server busy while one query waits on the disk, and bound the
/// memory: each connection caches up to [`CACHE_KIB`] of pages.
pub const MAX_CONNECTIONS: usize = 3;
/// Page cache of each connection.
const CACHE_KIB: i64 = 8 * 1024;

/// Handle to the database, cheap to clone.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Pool>,
}

struct Pool {
    path: PathBuf,
    /// One per connection that may be in use.
    permits: Semaphore,
    idle: Mutex<Vec<Connection>>,
    page_anchors: Arc<PageAnchors>,
    username_keys: Arc<UsernameKeys>,
}

impl Db {
    /// Opens (or creates) the database file, switches it to WAL mode and applies any
    /// migrations not yet recorded in its `user_version`.
    pub fn open(path: &Path) -> anyhow::Result<Db> {
        let mut connection = open_connection(path)
            .with_context(|| format!("failed to open database {}", path.display()))?;
        connection
            .pragma_update(None, "journal_mode", "WAL")
            .context("failed to switch the database to WAL mode")?;
        migrations::apply(&mut connection).context("failed to migrate the database")?;
        let pool = Pool {
            path: path.to_owned(),
            idle: Mutex::new(vec![connection]),
            permits: Semaphore::new(MAX_CONNECTIONS),
            page_anchors: Arc::default(),
            username_keys: Arc::default(),
        };
        Ok(Db {
            inner: Arc::new(pool),
        })
    }

    /// Returns the cached positions of the users list, shared by every connection.
    pub fn page_anchors(&self) -> Arc<PageAnchors> {
        Arc::clone(&self.inner.page_anchors)
    }

    /// Returns the cached username keys that sort search matches, shared by every connection.
    pub fn username_keys(&self) -> Arc<UsernameKeys> {
        Arc::clone(&self.inner.username_keys)
    }

    /// Runs `work` with a connection on the current thread, for start-up before serving.
    pub fn with_connection<T>(
        &self,
        work: impl FnOnce(&mut Connection) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let mut connection = self
            .inner
            .checkout()
            .context("failed to open a database connection")?;
        let result = work(&mut connection);
        self.inner.checkin(connection);
        result
    }

    /// Runs `work` with a connection on a blocking thread and returns its result.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, AppError> + Send + 'static,
    {
        let pool = Arc::clone(&self.inner);
        // Held until the work is done, so at most MAX_CONNECTIONS connections are in use.
        let _permit = self
            .inner
            .permits
            .acquire()
            .await
            .map_err(|error| AppError::Internal(error.into()))?;
        tokio::task::spawn_blocking(move || {
            let mut connection = pool.checkout()?;
            let result = work(&mut connection);
            pool.checkin(connection);
            result
        })
        .await?
    }
}

impl Pool {
    fn checkout(&self) -> rusqlite::Result<Connection> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .pop();
        match idle {
            Some(connection) => Ok(connection),
            None => open_connection(&self.path),
        }
    }

    fn checkin(&self, connection: Connection) {
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if idle.len() < MAX_CONNECTIONS {
            idle.push(connection);
        }
    }
}

fn open_connection(path: &Path) -> rusqlite::Result<Connection> {
    let connection = Connection::open(path)?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    connection.pragma_update(None, "foreign_keys", true)?;
    // In WAL mode NORMAL loses no data on a crash of the process, only on a power loss.
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    // A negative size is in KiB.
    connection.pragma_update(None, "cache_size", -CACHE_KIB)?;
    Ok(connection)
}

/// Current time as seconds since the Unix epoch, as stored in the sessions table.
pub fn unix_now() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    now.map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or_default()
}
