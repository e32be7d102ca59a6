//! The migration to Unicode-aware uniqueness keys: `domain::username_key` and
//! `domain::email_key` replace the lower-cased values, and a username may no longer equal the
//! email key of another user (nor an email the username key of another user).
//!
//! Users stored before it can collide under the new keys, for example `Ann@Ｅxample.com` and
//! `ann@example.com`. The migration then fails and the server does not start: its error lists
//! every group of colliding users, and the transaction leaves the database as it was. The
//! operator changes all but one user of each group (see docs/api.md, "Uniqueness keys") and
//! starts the server again. Merging or renaming users silently would lose track of who is who.

use std::fmt::Write as _;

use rusqlite::Transaction;

/// Creates the indexes and triggers that enforce the keys, after the keys are recomputed.
///
/// The triggers reject a username key that equals another user's email key, and the reverse.
/// The server checks both first to name the colliding field (`crate::db::user_changes`), so the
/// triggers only guard against writers that skip those checks.
pub const KEY_CONSTRAINTS: &str = r"
CREATE UNIQUE INDEX users_username_key ON users (username_key);
CREATE UNIQUE INDEX users_email_key ON users (email_key);
CREATE TRIGGER users_keys_cross_insert BEFORE INSERT ON users
WHEN EXISTS (SELECT 1 FROM users WHERE email_key = new.username_key)
    OR EXISTS (SELECT 1 FROM users WHERE username_key = new.email_key)
BEGIN
    SELECT RAISE(ABORT, 'a username key equals the email key of another user');
END;
CREATE TRIGGER users_keys_cross_update BEFORE UPDATE OF username_key, email_key ON users
WHEN EXISTS (SELECT 1 FROM users WHERE email_key = new.username_key AND id <> new.id)
    OR EXISTS (SELECT 1 FROM users WHERE username_key = new.email_key AND id <> new.id)
BEGIN
    SELECT RAISE(ABORT, 'a username key equals the email key of another user');
END;
";

/// Groups of users that share a key, as (kind of key, key, users), found before the unique
/// indexes are built again.
const COLLISIONS_SQL: &str = "\
SELECT 'username', username_key, group_concat(id || ' (' || username || ')', ', ') \
FROM users GROUP BY username_key HAVING count(*) > 1 \
UNION ALL \
SELECT 'email', email_key, group_concat(id || ' (' || email || ')', ', ') \
FROM users GROUP BY email_key HAVING count(*) > 1 \
UNION ALL \
SELECT 'username and email', a.username_key, \
    a.id || ' (username ' || a.username || '), ' || b.id || ' (email ' || b.email || ')' \
FROM users a JOIN users b ON b.email_key = a.username_key AND b.id <> a.id";

/// Recomputes the username and email keys of every user, then builds the unique indexes and
/// the cross-field triggers, or fails with the list of colliding users.
pub fn recompute(transaction: &Transaction<'_>) -> anyhow::Result<()> {
    transaction.execute_batch("DROP INDEX users_username_key; DROP INDEX users_email_key;")?;
    update_keys(transaction)?;
    let collisions = find_collisions(transaction)?;
    if !collisions.is_empty() {
        anyhow::bail!(collision_report(&collisions));
    }
    transaction.execute_batch(KEY_CONSTRAINTS)?;
    Ok(())
}

fn update_keys(transaction: &Transaction<'_>) -> anyhow::Result<()> {
    let mut select = transaction.prepare("SELECT id, username, email FROM users")?;
    // Only changed rows are written, so their versions and search entries stay as they were.
    let mut update = transaction.prepare(
        "UPDATE users SET username_key = ?2, email_key = ?3 \
         WHERE id = ?1 AND (username_key IS NOT ?2 OR email_key IS NOT ?3)",
    )?;
    let rows = select.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (id, username, email) = row?;
        let email_key = domain::email_key(&email).unwrap_or_else(|message| {
            // The email passed the rules of its time; keep it usable under the folded form.
            tracing::warn!(user_id = id, %message, "stored email has no IDNA form");
            domain::fold_key(&email)
        });
        update.execute(rusqlite::params![
            id,
            domain::username_key(&username),
            email_key
        ])?;
    }
    Ok(())
}

/// A group of users sharing one key.
struct Collision {
    kind: String,
    key: String,
    users: String,
}

fn find_collisions(transaction: &Transaction<'_>) -> rusqlite::Result<Vec<Collision>> {
    let mut select = transaction.prepare(COLLISIONS_SQL)?;
    let rows = select.query_map([], |row| {
        Ok(Collision {
            kind: row.get(0)?,
            key: row.get(1)?,
            users: row.get(2)?,
        })
    })?;
    rows.collect()
}

fn collision_report(collisions: &[Collision]) -> String {
    let mut report = format!(
        "{} groups of users share a uniqueness key once compatibility forms (such as full-width \
         letters), accents and case are folded. The database was left unchanged. Change the \
         username or email of all but one user in each group, then start the server again:",
        collisions.len()
    );
    for collision in collisions {
        let _ = write!(
            report,
            "\n  {} key \"{}\": users {}",
            collision.kind, collision.key, collision.users
        );
    }
    report
}
