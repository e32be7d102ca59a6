//! Writes the demo organisation into an empty database: roles, accounts and users, with
//! passwords for the two users who can sign in, and any generated users and accounts.

mod data;
mod generated;
mod names;

use anyhow::Context;
use domain::{AdminLevel, NewUser, UserStatus};
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

use crate::auth;
use crate::db::{self, catalog, user_changes, users};

pub use data::{ACCOUNTS, ROLES, USERS};
pub use generated::GeneratedSeed;

/// A password given to a seeded user, to be shown once to whoever started the server.
pub struct SeededPassword {
    pub username: &'static str,
    pub admin_level: AdminLevel,
    pub password: String,
    /// True when the server made the password up, false when it came from an option.
    pub is_generated: bool,
}

/// Seeds the database in one transaction if it has no users yet: the demo organisation and
/// the users and accounts of `generated`. Returns the passwords of the users who can sign
/// in. A database that has users is left as it is, and no passwords are returned.
pub fn seed_if_empty(
    connection: &mut Connection,
    admin_password: Option<&str>,
    viewer_password: Option<&str>,
    generated: GeneratedSeed,
) -> anyhow::Result<Vec<SeededPassword>> {
    if has_users(connection)? {
        warn_generated_ignored(generated);
        return Ok(Vec::new());
    }
    // Hash before locking the database: Argon2 takes a noticeable time on purpose.
    let passwords = [
        seeded_password(&USERS[0], admin_password)?,
        seeded_password(&USERS[1], viewer_password)?,
    ];
    let hashes = passwords
        .iter()
        .map(|seeded| auth::hash_password(&seeded.password))
        .collect::<anyhow::Result<Vec<String>>>()?;
    // Generated users who set a password share this hash of a password that is discarded,
    // so none of them can sign in.
    let generated_hash = auth::hash_password(&auth::generate_password()?)?;
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if has_users(&transaction)? {
        warn_generated_ignored(generated);
        return Ok(Vec::new());
    }
    insert_catalog(&transaction)?;
    insert_users(&transaction, &hashes)?;
    let started = std::time::Instant::now();
    generated::insert(&transaction, generated, &generated_hash, db::unix_now())
        .context("failed to insert the generated users and accounts")?;
    transaction.commit()?;
    tracing::info!(users = USERS.len(), "seeded the demo organisation");
    if !generated.is_empty() {
        tracing::info!(
            users = generated.users,
            accounts = generated.accounts,
            elapsed_ms = started.elapsed().as_millis(),
            "seeded generated users and accounts"
        );
    }
    Ok(passwords.into())
}

fn warn_generated_ignored(generated: GeneratedSeed) {
    if !generated.is_empty() {
        tracing::warn!(
            "the database already has users, so --seed-users and --seed-accounts are \
             ignored; start with an empty --data-dir to seed generated users"
        );
    }
}

fn has_users(connection: &Connection) -> rusqlite::Result<bool> {
    connection.query_row("SELECT EXISTS (SELECT 1 FROM users)", [], |row| row.get(0))
}

fn seeded_password(user: &data::SeedUser, given: Option<&str>) -> anyhow::Result<SeededPassword> {
    let (password, is_generated) = match given {
        Some(password) => (password.to_owned(), false),
        None => (auth::generate_password()?, true),
    };
    if password.chars().count() < 8 {
        anyhow::bail!(
            "the password for '{}' must have at least 8 characters",
            user.username
        );
    }
    Ok(SeededPassword {
        username: user.username,
        admin_level: user.admin_level,
        password,
        is_generated,
    })
}

/// Returns the snake_case id of a role name, e.g. `address_management`.
pub fn role_id(name: &str) -> String {
    name.to_lowercase().replace(' ', "_")
}

fn insert_catalog(transaction: &Transaction<'_>) -> rusqlite::Result<()> {
    for (name, description) in ROLES {
        transaction.execute(
            "INSERT INTO roles (id, name, description, enabled_by_default) VALUES (?1, ?2, ?3, 1)",
            params![role_id(name), name, description],
        )?;
    }
    for (index, (number, name)) in ACCOUNTS.iter().enumerate() {
        catalog::insert_account(transaction, index as i64 + 1, number, name)?;
    }
    Ok(())
}

/// Inserts the demo users, giving `password_hashes` to the first users in order.
fn insert_users(transaction: &Transaction<'_>, password_hashes: &[String]) -> anyhow::Result<()> {
    for (index, seed) in USERS.iter().enumerate() {
        let new_user = NewUser {
            username: seed.username.to_owned(),
            first_name: seed.first_name.to_owned(),
            last_name: seed.last_name.to_owned(),
            email: seed.email.to_owned(),
            work_phone: seed.work_phone.map(str::to_owned),
            admin_level: seed.admin_level,
            roles: seed.roles.iter().map(|&role| role.to_owned()).collect(),
            account_ids: seed.account_ids.to_vec(),
        };
        let valid = domain::validate_new_user(&new_user).map_err(|fields| {
            anyhow::anyhow!("seed user {} is invalid: {fields:?}", seed.username)
        })?;
        let status = if seed.active {
            UserStatus::Active
        } else {
            UserStatus::Deactivated
        };
        let password_hash = password_hashes.get(index).map(String::as_str);
        let keys = users::UserKeys::new_lenient(&valid.username, &valid.email);
        let id = user_changes::insert_row(
            transaction,
            &valid,
            &keys,
            status,
            password_hash,
            &created_at(index),
        )
        .with_context(|| format!("failed to insert seed user {}", seed.username))?;
        user_changes::grant(transaction, id, &valid.roles, &valid.account_ids)?;
    }
    Ok(())
}

/// A fixed creation time per seed user: one a day from 1 January 2025.
fn created_at(index: usize) -> String {
    let month = 1 + index / 28;
    let day = 1 + index % 28;
    format!("2025-{month:02}-{day:02}T09:{:02}:00Z", index % 60)
}
