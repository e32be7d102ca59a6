//! Schema migrations, applied in order at start. `PRAGMA user_version` records how many ran.

use rusqlite::{Connection, TransactionBehavior};

/// Each entry is one migration. Append new ones, and never edit one that has shipped.
const MIGRATIONS: &[&str] = &[
    r"
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE roles (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    enabled_by_default INTEGER NOT NULL
);

-- username_key and email_key are domain::normalize_key of the stored values; name_key is
-- 'first last' lower-cased, for search.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    work_phone TEXT,
    admin_level TEXT NOT NULL CHECK (admin_level IN ('basic_user', 'account_admin')),
    status TEXT NOT NULL CHECK (status IN ('active', 'deactivated')),
    password_hash TEXT,
    created_at TEXT NOT NULL,
    last_sign_in_at TEXT
);
CREATE UNIQUE INDEX users_username_key ON users (username_key);
CREATE UNIQUE INDEX users_email_key ON users (email_key);
CREATE INDEX users_status_username_key ON users (status, username_key, id);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id),
    role_id TEXT NOT NULL REFERENCES roles (id),
    PRIMARY KEY (user_id, role_id)
) WITHOUT ROWID;

CREATE TABLE user_accounts (
    user_id INTEGER NOT NULL REFERENCES users (id),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (user_id, account_id)
) WITHOUT ROWID;

-- Only the SHA-256 of a session token is stored, so a copy of the database can't sign in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);
",
    r"
-- is_invited is 1 from creation until the user sets a password through an invitation. It is
-- kept apart from status, so a deactivated user who never set a password returns to
-- invited on reactivation. Users stored before this migration stay as they were.
ALTER TABLE users ADD COLUMN is_invited INTEGER NOT NULL DEFAULT 0;

-- Only the SHA-256 of an invitation token is stored. An invitation works while used_at and
-- revoked_at are NULL and expires_at (seconds since the Unix epoch) is in the future.
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    revoked_at INTEGER
);
CREATE INDEX invitations_user_id ON invitations (user_id);

-- Emails stored instead of sent when no SMTP server is configured.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
",
    r"
-- 1 when the invitation was revoked because its user was deactivated, so the link can say
-- so after reactivation instead of claiming a newer invitation replaced it.
ALTER TABLE invitations ADD COLUMN revoked_by_deactivation INTEGER NOT NULL DEFAULT 0;
",
];

/// Applies the migrations that the database has not seen yet, each in its own transaction.
pub fn apply(connection: &mut Connection) -> rusqlite::Result<()> {
    for (index, sql) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: i64 =
            transaction.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if current < version {
            transaction.execute_batch(sql)?;
            transaction.pragma_update(None, "user_version", version)?;
            tracing::info!(version, "applied database migration");
        }
        transaction.commit()?;
    }
    Ok(())
}
