//! Stored answers of `POST /users` requests sent with an `Idempotency-Key`, so a retry of
//! the same request gets the first answer instead of creating a second user.

use rusqlite::{Connection, OptionalExtension, params};

/// How long a key is remembered: a client retries within seconds or minutes, and 24 hours
/// also covers a laptop that slept through a retry.
pub const KEY_TTL_SECONDS: i64 = 24 * 60 * 60;

/// An admin's key for one request, and the SHA-256 of that request's parsed body.
#[derive(Clone, Debug)]
pub struct IdempotencyKey {
    pub admin_id: i64,
    pub key: String,
    pub request_hash: String,
}

/// A stored answer: its status, JSON body and the id of the user it created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResponse {
    pub user_id: i64,
    pub status: u16,
    pub body: String,
}

/// The entry stored under a key that has not expired.
#[derive(Debug)]
pub enum Lookup {
    Unused,
    /// The key answered this same request before.
    SameRequest(StoredResponse),
    /// The key was used for a request with another body.
    OtherRequest,
}

/// Looks up `key` as of `now` (seconds since the Unix epoch); expired keys count as unused.
pub fn find(connection: &Connection, key: &IdempotencyKey, now: i64) -> rusqlite::Result<Lookup> {
    let stored = connection
        .query_row(
            "SELECT request_hash, user_id, response_status, response_body \
             FROM idempotency_keys WHERE admin_id = ?1 AND key = ?2 AND expires_at > ?3",
            params![key.admin_id, key.key, now],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    StoredResponse {
                        user_id: row.get(1)?,
                        status: row.get(2)?,
                        body: row.get(3)?,
                    },
                ))
            },
        )
        .optional()?;
    Ok(match stored {
        None => Lookup::Unused,
        Some((hash, response)) if hash == key.request_hash => Lookup::SameRequest(response),
        Some(_) => Lookup::OtherRequest,
    })
}

/// Stores the answer to `key`'s request, replacing an expired entry, and deletes the other
/// expired entries. Call it in the transaction that made the change the answer reports.
pub fn store(
    connection: &Connection,
    key: &IdempotencyKey,
    response: &StoredResponse,
    now: i64,
) -> rusqlite::Result<()> {
    connection.execute("DELETE FROM idempotency_keys WHERE expires_at <= ?1", [now])?;
    connection.execute(
        "INSERT INTO idempotency_keys (admin_id, key, request_hash, user_id, response_status, \
             response_body, created_at, expires_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            key.admin_id,
            key.key,
            key.request_hash,
            response.user_id,
            response.status,
            response.body,
            now,
            now + KEY_TTL_SECONDS
        ],
    )?;
    Ok(())
}
