//! Schema migrations, applied in order at start. `PRAGMA user_version` records how many ran.

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::{catalog, users};

mod unicode_keys;

/// One migration: SQL, or a Rust step for data that SQL can't compute as the server does.
enum Migration {
    Sql(&'static str),
    Rust(fn(&Transaction<'_>) -> anyhow::Result<()>),
}

/// Each entry is one migration. Append new ones, and never edit one that has shipped.
const MIGRATIONS: &[Migration] = &[
    Migration::Sql(
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
    ),
    Migration::Sql(
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
    ),
    Migration::Sql(
        r"
-- 1 when the invitation was revoked because its user was deactivated, so the link can say
-- so after reactivation instead of claiming a newer invitation replaced it.
ALTER TABLE invitations ADD COLUMN revoked_by_deactivation INTEGER NOT NULL DEFAULT 0;
",
    ),
    Migration::Sql(LIST_INDEXES),
    Migration::Rust(fill_last_name_keys),
    Migration::Sql(WRITE_SAFETY),
    Migration::Rust(unicode_keys::recompute),
    Migration::Sql(ACCOUNT_KEYS),
    Migration::Rust(fill_account_keys),
    Migration::Sql(ACCOUNT_SEARCH),
    Migration::Sql(LIST_SORTS_AND_FILTERS),
    Migration::Sql(GROUP_COUNTS),
];

/// The version of each user, which the `ETag` of `GET /users/{id}` carries, and the stored
/// results of creates sent with an `Idempotency-Key`.
const WRITE_SAFETY: &str = r"
-- Raised by the trigger below on every change to a users row, whatever the statement sets.
-- Changes to roles and accounts always update the row too (crate::db::user_edit).
ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE TRIGGER users_version AFTER UPDATE ON users
WHEN new.version = old.version
BEGIN
    UPDATE users SET version = old.version + 1 WHERE id = new.id;
END;

-- The first successful answer to POST /users for each admin and Idempotency-Key, so that a
-- retry gets it again instead of creating a second user. request_hash is the SHA-256 of the
-- request body as parsed, so a different body with the same key is detected.
CREATE TABLE idempotency_keys (
    admin_id INTEGER NOT NULL REFERENCES users (id),
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id),
    response_status INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (admin_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
";

/// Lower-cased copies of each account's number and name, which searches compare.
const ACCOUNT_KEYS: &str = r"
ALTER TABLE accounts ADD COLUMN number_key TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
";

/// Indexes that let the accounts list search and count without reading every account.
const ACCOUNT_SEARCH: &str = r"
-- Searches of one or two characters match the start of the number or name.
CREATE INDEX accounts_number_key ON accounts (number_key);
CREATE INDEX accounts_name_key ON accounts (name_key);

-- Longer searches match any part of the number or name through the trigrams of the keys.
CREATE VIRTUAL TABLE accounts_search USING fts5 (
    number_key, name_key,
    content = 'accounts', content_rowid = 'id', tokenize = 'trigram case_sensitive 1'
);
INSERT INTO accounts_search (accounts_search) VALUES ('rebuild');
CREATE TRIGGER accounts_search_insert AFTER INSERT ON accounts BEGIN
    INSERT INTO accounts_search (rowid, number_key, name_key)
    VALUES (new.id, new.number_key, new.name_key);
END;
CREATE TRIGGER accounts_search_update AFTER UPDATE OF number_key, name_key ON accounts BEGIN
    INSERT INTO accounts_search (accounts_search, rowid, number_key, name_key)
    VALUES ('delete', old.id, old.number_key, old.name_key);
    INSERT INTO accounts_search (rowid, number_key, name_key)
    VALUES (new.id, new.number_key, new.name_key);
END;
CREATE TRIGGER accounts_search_delete AFTER DELETE ON accounts BEGIN
    INSERT INTO accounts_search (accounts_search, rowid, number_key, name_key)
    VALUES ('delete', old.id, old.number_key, old.name_key);
END;

-- How many accounts there are, so the unfiltered list's total needs no count.
CREATE TABLE account_count (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    count INTEGER NOT NULL
);
INSERT INTO account_count (id, count) SELECT 1, count(*) FROM accounts;
CREATE TRIGGER account_count_insert AFTER INSERT ON accounts BEGIN
    UPDATE account_count SET count = count + 1;
END;
CREATE TRIGGER account_count_delete AFTER DELETE ON accounts BEGIN
    UPDATE account_count SET count = count - 1;
END;
";

/// Indexes that let the users list sort by each column and filter by level, role and account
/// without reading every user. An index on one column also contains the rowid (the user id),
/// so it returns ties in id order, as the list breaks them.
const LIST_SORTS_AND_FILTERS: &str = r"
CREATE INDEX users_admin_level ON users (admin_level);
-- A level filter in the default order (users_list_status does the same for a status).
CREATE INDEX users_admin_level_username ON users (admin_level, username_key);
CREATE INDEX users_list_status_id ON users (list_status);
CREATE INDEX users_created_at ON users (created_at);

-- Users who never signed in come last in both directions, so each direction sorts by its own
-- key: 'never' sorts after every timestamp, and '' before every one.
CREATE INDEX users_last_sign_in_asc ON users (coalesce(last_sign_in_at, 'never'));
CREATE INDEX users_last_sign_in_desc ON users (coalesce(last_sign_in_at, ''));

-- The users of one role or account; the primary keys start with the user id.
CREATE INDEX user_roles_role_id ON user_roles (role_id, user_id);
CREATE INDEX user_accounts_account_id ON user_accounts (account_id, user_id);
";

/// Counts of the users of each role and account by status and level, so that the total of
/// a filtered list without a search needs no count over the users (crate::db::list_filter).
const GROUP_COUNTS: &str = r"
-- A status and level filter finds its users without reading each user's row.
CREATE INDEX users_list_status_admin_level ON users (list_status, admin_level);

-- How many users of each group have each status and level. A group is all users
-- (role_id '' and account_id 0), the users of one role (account_id 0), or the users with
-- access to one account (role_id ''); account ids start at 1.
CREATE TABLE user_group_counts (
    role_id TEXT NOT NULL,
    account_id INTEGER NOT NULL,
    list_status TEXT NOT NULL,
    admin_level TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (role_id, account_id, list_status, admin_level)
) WITHOUT ROWID;
INSERT INTO user_group_counts
SELECT '', 0, list_status, admin_level, count(*) FROM users GROUP BY list_status, admin_level;
INSERT INTO user_group_counts
SELECT r.role_id, 0, u.list_status, u.admin_level, count(*)
FROM user_roles r JOIN users u ON u.id = r.user_id
GROUP BY r.role_id, u.list_status, u.admin_level;
INSERT INTO user_group_counts
SELECT '', a.account_id, u.list_status, u.admin_level, count(*)
FROM user_accounts a JOIN users u ON u.id = a.user_id
GROUP BY a.account_id, u.list_status, u.admin_level;

-- A new user has no roles or accounts yet; those inserts count themselves.
CREATE TRIGGER users_group_counts_insert AFTER INSERT ON users BEGIN
    INSERT INTO user_group_counts VALUES ('', 0, new.list_status, new.admin_level, 1)
    ON CONFLICT DO UPDATE SET count = count + 1;
END;

-- Each statement finds its rows through the primary key, so a bulk change of many users
-- stays cheap.
CREATE TRIGGER users_group_counts_update AFTER UPDATE OF status, is_invited, admin_level
ON users
WHEN old.list_status IS NOT new.list_status OR old.admin_level IS NOT new.admin_level
BEGIN
    UPDATE user_group_counts SET count = count - 1
    WHERE role_id = '' AND account_id = 0
        AND list_status = old.list_status AND admin_level = old.admin_level;
    UPDATE user_group_counts SET count = count - 1
    WHERE role_id IN (SELECT role_id FROM user_roles WHERE user_id = old.id)
        AND account_id = 0 AND list_status = old.list_status AND admin_level = old.admin_level;
    UPDATE user_group_counts SET count = count - 1
    WHERE role_id = '' AND account_id IN (SELECT account_id FROM user_accounts WHERE user_id = old.id)
        AND list_status = old.list_status AND admin_level = old.admin_level;
    INSERT INTO user_group_counts VALUES ('', 0, new.list_status, new.admin_level, 1)
    ON CONFLICT DO UPDATE SET count = count + 1;
    INSERT INTO user_group_counts
    SELECT role_id, 0, new.list_status, new.admin_level, 1 FROM user_roles WHERE user_id = new.id
    ON CONFLICT DO UPDATE SET count = count + 1;
    INSERT INTO user_group_counts
    SELECT '', account_id, new.list_status, new.admin_level, 1 FROM user_accounts
    WHERE user_id = new.id
    ON CONFLICT DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER user_roles_group_counts_insert AFTER INSERT ON user_roles BEGIN
    INSERT INTO user_group_counts
    SELECT new.role_id, 0, list_status, admin_level, 1 FROM users WHERE id = new.user_id
    ON CONFLICT DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER user_roles_group_counts_delete AFTER DELETE ON user_roles BEGIN
    UPDATE user_group_counts SET count = count - 1
    WHERE role_id = old.role_id AND account_id = 0 AND (list_status, admin_level) =
        (SELECT list_status, admin_level FROM users WHERE id = old.user_id);
END;
CREATE TRIGGER user_roles_group_counts_update AFTER UPDATE ON user_roles BEGIN
    UPDATE user_group_counts SET count = count - 1
    WHERE role_id = old.role_id AND account_id = 0 AND (list_status, admin_level) =
        (SELECT list_status, admin_level FROM users WHERE id = old.user_id);
    INSERT INTO user_group_counts
    SELECT new.role_id, 0, list_status, admin_level, 1 FROM users WHERE id = new.user_id
    ON CONFLICT DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER user_accounts_group_counts_insert AFTER INSERT ON user_accounts BEGIN
    INSERT INTO user_group_counts
    SELECT '', new.account_id, list_status, admin_level, 1 FROM users WHERE id = new.user_id
    ON CONFLICT DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER user_accounts_group_counts_delete AFTER DELETE ON user_accounts BEGIN
    UPDATE user_group_counts SET count = count - 1
    WHERE role_id = '' AND account_id = old.account_id AND (list_status, admin_level) =
        (SELECT list_status, admin_level FROM users WHERE id = old.user_id);
END;
CREATE TRIGGER user_accounts_group_counts_update AFTER UPDATE ON user_accounts BEGIN
    UPDATE user_group_counts SET count = count - 1
    WHERE role_id = '' AND account_id = old.account_id AND (list_status, admin_level) =
        (SELECT list_status, admin_level FROM users WHERE id = old.user_id);
    INSERT INTO user_group_counts
    SELECT '', new.account_id, list_status, admin_level, 1 FROM users WHERE id = new.user_id
    ON CONFLICT DO UPDATE SET count = count + 1;
END;
";

/// Sets the search keys of the accounts stored before they existed, lower-cased in Rust as
/// [`catalog::insert_account`] does, because SQLite's `lower()` changes ASCII letters only.
fn fill_account_keys(transaction: &Transaction<'_>) -> anyhow::Result<()> {
    let mut select = transaction.prepare("SELECT id, number, name FROM accounts")?;
    let mut update =
        transaction.prepare("UPDATE accounts SET number_key = ?2, name_key = ?3 WHERE id = ?1")?;
    let rows = select.query_map([], |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (id, number, name) = row?;
        update.execute(rusqlite::params![
            id,
            catalog::account_key(&number),
            catalog::account_key(&name)
        ])?;
    }
    Ok(())
}

/// Indexes that let the users list filter, search and page without reading every user.
const LIST_INDEXES: &str = r"
-- The status as the API shows it. The filter of the list compares it, and its index returns
-- the users of one status in username order.
ALTER TABLE users ADD COLUMN list_status TEXT GENERATED ALWAYS AS (
    CASE WHEN status = 'deactivated' THEN 'deactivated'
    WHEN is_invited THEN 'invited' ELSE 'active' END
) VIRTUAL;
DROP INDEX users_status_username_key;
CREATE INDEX users_list_status ON users (list_status, username_key);

-- Searches of one or two characters match the start of the username, first name (the start
-- of name_key), last name or email. last_name_key is the lower-cased last name.
ALTER TABLE users ADD COLUMN last_name_key TEXT NOT NULL DEFAULT '';
CREATE INDEX users_name_key ON users (name_key);
CREATE INDEX users_last_name_key ON users (last_name_key);

-- A search sorts its matches by username. This index gives the username key and status of a
-- user id without reading the user's row, which is larger and on another page for each match.
CREATE INDEX users_search_keys ON users (id, username_key, list_status);

-- Longer searches match any part of the username, name or email through the trigrams of the
-- keys. The index reads the keys from the users table, and the triggers keep it in step.
CREATE VIRTUAL TABLE users_search USING fts5 (
    username_key, name_key, email_key,
    content = 'users', content_rowid = 'id', tokenize = 'trigram case_sensitive 1'
);
INSERT INTO users_search (users_search) VALUES ('rebuild');
CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_search (rowid, username_key, name_key, email_key)
    VALUES (new.id, new.username_key, new.name_key, new.email_key);
END;
CREATE TRIGGER users_search_update AFTER UPDATE OF username_key, name_key, email_key ON users
BEGIN
    INSERT INTO users_search (users_search, rowid, username_key, name_key, email_key)
    VALUES ('delete', old.id, old.username_key, old.name_key, old.email_key);
    INSERT INTO users_search (rowid, username_key, name_key, email_key)
    VALUES (new.id, new.username_key, new.name_key, new.email_key);
END;
CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_search (users_search, rowid, username_key, name_key, email_key)
    VALUES ('delete', old.id, old.username_key, old.name_key, old.email_key);
END;

-- How many users the list shows per status, so its total needs no count over the users.
CREATE TABLE user_counts (
    list_status TEXT PRIMARY KEY,
    count INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO user_counts (list_status, count)
SELECT shown.status, (SELECT count(*) FROM users WHERE list_status = shown.status)
FROM (SELECT 'active' AS status UNION ALL SELECT 'invited' UNION ALL SELECT 'deactivated')
    AS shown;

-- A number that grows with every change to which users the list shows or in what order, so
-- the server can tell when the page positions it caches (crate::db::page_anchors) are stale.
CREATE TABLE list_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO list_version (id, version) VALUES (1, 0);

CREATE TRIGGER users_list_insert AFTER INSERT ON users BEGIN
    UPDATE user_counts SET count = count + 1 WHERE list_status = new.list_status;
    UPDATE list_version SET version = version + 1;
END;
CREATE TRIGGER users_list_update AFTER UPDATE OF username_key, status, is_invited ON users
BEGIN
    UPDATE user_counts SET count = count - 1 WHERE list_status = old.list_status;
    UPDATE user_counts SET count = count + 1 WHERE list_status = new.list_status;
    UPDATE list_version SET version = version + 1;
END;
CREATE TRIGGER users_list_delete AFTER DELETE ON users BEGIN
    UPDATE user_counts SET count = count - 1 WHERE list_status = old.list_status;
    UPDATE list_version SET version = version + 1;
END;
";

/// Sets `last_name_key` of the users stored before it existed, lower-cased in Rust as the
/// server does on insert, because SQLite's `lower()` changes ASCII letters only.
fn fill_last_name_keys(transaction: &Transaction<'_>) -> anyhow::Result<()> {
    let mut select = transaction.prepare("SELECT id, last_name FROM users")?;
    let mut update = transaction.prepare("UPDATE users SET last_name_key = ?2 WHERE id = ?1")?;
    let rows = select.query_map([], |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (id, last_name) = row?;
        update.execute(rusqlite::params![id, users::last_name_key(&last_name)])?;
    }
    Ok(())
}

/// Applies the migrations that the database has not seen yet, each in its own transaction.
pub fn apply(connection: &mut Connection) -> anyhow::Result<()> {
    apply_first(connection, MIGRATIONS.len())
}

/// Applies the first `count` migrations that the database has not seen yet.
fn apply_first(connection: &mut Connection, count: usize) -> anyhow::Result<()> {
    for (index, migration) in MIGRATIONS.iter().take(count).enumerate() {
        let version = index as i64 + 1;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current: i64 =
            transaction.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if current < version {
            match migration {
                Migration::Sql(sql) => transaction.execute_batch(sql)?,
                Migration::Rust(step) => step(&transaction)?,
            }
            transaction.pragma_update(None, "user_version", version)?;
            tracing::info!(version, "applied database migration");
        }
        transaction.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inserts a user as the schema of the first 3 migrations stores one.
    fn insert_old_user(connection: &Connection, id: i64, username: &str, last_name: &str) {
        let key = username.to_lowercase();
        let name_key = format!("ana {last_name}").to_lowercase();
        connection
            .execute(
                "INSERT INTO users (id, username, username_key, first_name, last_name, \
                     name_key, email, email_key, admin_level, status, created_at) \
                 VALUES (?1, ?2, ?3, 'Ana', ?4, ?5, ?6, ?6, 'basic_user', 'active', \
                     '2025-01-01T00:00:00Z')",
                rusqlite::params![
                    id,
                    username,
                    key,
                    last_name,
                    name_key,
                    format!("{key}@example.com")
                ],
            )
            .expect("a user in the old schema");
    }

    #[test]
    fn list_indexes_cover_users_stored_before_them() {
        let mut connection = Connection::open_in_memory().expect("an in-memory database");
        apply_first(&mut connection, 3).expect("the first 3 migrations");
        insert_old_user(&connection, 1, "ana.oezdemir", "ÖZDEMİR");
        insert_old_user(&connection, 2, "ana.li", "Li");

        apply(&mut connection).expect("the list migrations");

        let last_name_key: String = connection
            .query_row("SELECT last_name_key FROM users WHERE id = 1", [], |row| {
                row.get(0)
            })
            .expect("the backfilled key");
        assert_eq!(
            last_name_key,
            "ÖZDEMİR".to_lowercase(),
            "lower-cased as Rust does"
        );
        let found: i64 = connection
            .query_row(
                "SELECT rowid FROM users_search WHERE users_search MATCH '\"oezd\"'",
                [],
                |row| row.get(0),
            )
            .expect("the search index has the old user");
        assert_eq!(
            found, 1,
            "the trigram index was built from the stored users"
        );
        let active: i64 = connection
            .query_row(
                "SELECT count FROM user_counts WHERE list_status = 'active'",
                [],
                |row| row.get(0),
            )
            .expect("the active count");
        assert_eq!(active, 2, "the counts start from the stored users");
    }

    /// Inserts a user as the schema before the Unicode keys stores one: keys lower-cased.
    fn insert_lower_keyed_user(connection: &Connection, id: i64, username: &str, email: &str) {
        connection
            .execute(
                "INSERT INTO users (id, username, username_key, first_name, last_name, \
                     name_key, email, email_key, admin_level, status, created_at) \
                 VALUES (?1, ?2, ?3, 'Ana', 'Li', 'ana li', ?4, ?5, 'basic_user', 'active', \
                     '2025-01-01T00:00:00Z')",
                rusqlite::params![
                    id,
                    username,
                    username.to_lowercase(),
                    email,
                    email.to_lowercase()
                ],
            )
            .expect("a user with lower-cased keys");
    }

    const BEFORE_UNICODE_KEYS: usize = 6;

    #[test]
    fn unicode_keys_recomputed_for_stored_users() {
        let mut connection = Connection::open_in_memory().expect("an in-memory database");
        apply_first(&mut connection, BEFORE_UNICODE_KEYS).expect("the earlier migrations");
        insert_lower_keyed_user(&connection, 1, "Ana.Li", "Ana@Bücher.example");

        apply(&mut connection).expect("the key migration");

        let (username_key, email_key): (String, String) = connection
            .query_row(
                "SELECT username_key, email_key FROM users WHERE id = 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .expect("the recomputed keys");
        assert_eq!(username_key, "ana.li");
        assert_eq!(email_key, "ana@xn--bcher-kva.example");
        let version: i64 = connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .expect("the schema version");
        assert_eq!(version, MIGRATIONS.len() as i64);
    }

    #[test]
    fn unicode_key_collisions_stop_the_migration() {
        let mut connection = Connection::open_in_memory().expect("an in-memory database");
        apply_first(&mut connection, BEFORE_UNICODE_KEYS).expect("the earlier migrations");
        insert_lower_keyed_user(&connection, 1, "ana.li", "ana@example.com");
        insert_lower_keyed_user(&connection, 2, "ana.lee", "ana@ｅｘａｍｐｌｅ.com");
        insert_lower_keyed_user(&connection, 3, "bo@example.com", "bo.one@example.com");
        insert_lower_keyed_user(&connection, 4, "bo.two", "BO@example.com");

        let error = apply(&mut connection).expect_err("colliding keys");

        let report = format!("{error:#}");
        assert!(report.contains("2 groups of users"), "{report}");
        assert!(
            report.contains("email key \"ana@example.com\": users 1 (ana@example.com), 2"),
            "{report}"
        );
        assert!(
            report.contains("username and email key \"bo@example.com\": users 3"),
            "{report}"
        );
        let version: i64 = connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .expect("the schema version");
        assert_eq!(
            version, BEFORE_UNICODE_KEYS as i64,
            "the key migration was rolled back"
        );
        let email_key: String = connection
            .query_row("SELECT email_key FROM users WHERE id = 2", [], |row| {
                row.get(0)
            })
            .expect("the old key");
        assert_eq!(
            email_key, "ana@ｅｘａｍｐｌｅ.com",
            "the stored keys are unchanged"
        );
    }

    #[test]
    fn account_search_covers_accounts_stored_before_it() {
        let mut connection = Connection::open_in_memory().expect("an in-memory database");
        apply_first(&mut connection, 5).expect("the migrations before the account keys");
        connection
            .execute(
                "INSERT INTO accounts (id, number, name) VALUES (7, 'AB-1', 'Özdemir Ltd')",
                [],
            )
            .expect("an account in the old schema");

        apply(&mut connection).expect("the account migrations");

        let name_key: String = connection
            .query_row("SELECT name_key FROM accounts WHERE id = 7", [], |row| {
                row.get(0)
            })
            .expect("the backfilled key");
        assert_eq!(name_key, "özdemir ltd", "lower-cased as Rust does");
        let found: i64 = connection
            .query_row(
                "SELECT rowid FROM accounts_search WHERE accounts_search MATCH '\"zdem\"'",
                [],
                |row| row.get(0),
            )
            .expect("the search index has the old account");
        assert_eq!(
            found, 7,
            "the trigram index was built from the stored accounts"
        );
        let count: i64 = connection
            .query_row("SELECT count FROM account_count", [], |row| row.get(0))
            .expect("the account count");
        assert_eq!(count, 1, "the count starts from the stored accounts");
    }

    #[test]
    fn group_counts_cover_users_stored_before_them() {
        let mut connection = Connection::open_in_memory().expect("an in-memory database");
        apply_first(&mut connection, MIGRATIONS.len() - 1).expect("the earlier migrations");
        insert_old_user(&connection, 1, "ana.li", "Li");
        insert_old_user(&connection, 2, "ana.bo", "Bo");
        connection
            .execute_batch(
                "INSERT OR IGNORE INTO roles (id, name, description, enabled_by_default) \
                     VALUES ('ordering', 'Ordering', '', 1); \
                 INSERT INTO accounts (id, number, name, number_key, name_key) \
                     VALUES (7, 'AB-7', 'Bo Ltd', 'ab-7', 'bo ltd'); \
                 UPDATE users SET status = 'deactivated' WHERE id = 2; \
                 INSERT INTO user_roles (user_id, role_id) VALUES (1, 'ordering'), (2, 'ordering'); \
                 INSERT INTO user_accounts (user_id, account_id) VALUES (2, 7);",
            )
            .expect("roles and accounts in the old schema");

        apply(&mut connection).expect("the group counts migration");

        let count = |role: &str, account: i64, status: &str| -> i64 {
            connection
                .query_row(
                    "SELECT coalesce(sum(count), 0) FROM user_group_counts \
                     WHERE role_id = ?1 AND account_id = ?2 AND list_status = ?3",
                    rusqlite::params![role, account, status],
                    |row| row.get(0),
                )
                .expect("a group count")
        };
        assert_eq!(count("", 0, "active"), 1, "active users");
        assert_eq!(count("", 0, "deactivated"), 1, "deactivated users");
        assert_eq!(count("ordering", 0, "active"), 1, "active orderers");
        assert_eq!(
            count("ordering", 0, "deactivated"),
            1,
            "deactivated orderers"
        );
        assert_eq!(
            count("", 7, "deactivated"),
            1,
            "deactivated users of account 7"
        );
        assert_eq!(count("", 7, "active"), 0, "active users of account 7");
    }
}
