//! The `outbox` table: emails stored instead of sent when no SMTP server is configured.

use domain::OutboxMessage;
use rusqlite::{Connection, params};

pub fn insert(
    connection: &Connection,
    recipient: &str,
    subject: &str,
    body: &str,
) -> rusqlite::Result<()> {
    connection.execute(
        "INSERT INTO outbox (recipient, subject, body, created_at) \
         VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        params![recipient, subject, body],
    )?;
    Ok(())
}

/// Returns the stored emails, newest first, only those to `recipient` when given (compared
/// after [`domain::normalize_key`]).
pub fn list(
    connection: &Connection,
    recipient: Option<&str>,
) -> rusqlite::Result<Vec<OutboxMessage>> {
    let key = recipient.map(domain::normalize_key);
    let mut statement = connection.prepare(
        "SELECT recipient, subject, body, created_at FROM outbox \
         WHERE ?1 IS NULL OR lower(trim(recipient)) = ?1 ORDER BY id DESC",
    )?;
    let rows = statement.query_map([key], |row| {
        Ok(OutboxMessage {
            recipient: row.get(0)?,
            subject: row.get(1)?,
            body: row.get(2)?,
            created_at: row.get(3)?,
        })
    })?;
    rows.collect()
}
