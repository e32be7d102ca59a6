//! Users and accounts generated on first start beside the demo organisation, as asked by
//! `--seed-users` and `--seed-accounts`: varied, realistic and the same on every run, and
//! quick to insert (100,000 users in a few seconds).

use std::collections::HashSet;
use std::sync::LazyLock;

use domain::{AdminLevel, UserStatus};
use rusqlite::{Statement, Transaction, params};

use super::data::{ACCOUNTS, ALL_ROLES, USERS};
use super::names::{
    ACCOUNT_ORGANISATIONS, ACCOUNT_PLACES, ACCOUNT_SITES, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES,
    ascii_name,
};
use crate::db::{catalog, users};

/// How many users and accounts to generate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GeneratedSeed {
    pub users: u32,
    pub accounts: u32,
}

impl GeneratedSeed {
    pub fn is_empty(self) -> bool {
        self.users == 0 && self.accounts == 0
    }
}

/// Percentages of the generated users with each trait.
const ADMIN_PERCENT: u64 = 3;
const DEACTIVATED_PERCENT: u64 = 10;
const INVITED_PERCENT: u64 = 8;
const WORK_PHONE_PERCENT: u64 = 30;
/// Deactivated users who were deactivated before they set a password.
const DEACTIVATED_UNINVITED_PERCENT: u64 = 25;
/// Users with a password who have signed in at least once.
const SIGNED_IN_PERCENT: u64 = 90;
/// Users are created over the 6 years before the seed.
const CREATION_SPAN_SECONDS: u64 = 6 * 365 * 24 * 60 * 60;
/// Step through the full names, coprime with their count (120 × 150 = 2^4 × 3^2 × 5^3), so
/// that consecutive users get unrelated names and every name comes once per round.
const NAME_STRIDE: u64 = 7_919;
/// Start value of the random numbers, so every run generates the same users.
const RANDOM_SEED: u64 = 0x0C0F_FEE5_EED5_2025;

/// The usernames and email local parts of the demo users, lower-cased: generated users
/// must not take them.
static DEMO_NAMES: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let usernames = USERS.iter().map(|user| user.username);
    let local_parts = USERS.iter().filter_map(|user| user.email.split('@').next());
    usernames
        .chain(local_parts)
        .map(domain::normalize_key)
        .collect()
});

/// Inserts `seed.accounts` accounts after the demo ones and then `seed.users` users.
///
/// Generated users who have a password share `password_hash`, so that no Argon2 hash is
/// computed per user. `now` (seconds since the Unix epoch) ends the span of creation and
/// sign-in times.
pub fn insert(
    transaction: &Transaction<'_>,
    seed: GeneratedSeed,
    password_hash: &str,
    now: i64,
) -> rusqlite::Result<()> {
    insert_accounts(transaction, seed.accounts)?;
    let account_count = (ACCOUNTS.len() as u64) + u64::from(seed.accounts);
    let deferred = defer_user_indexes(transaction)?;
    let mut statements = UserStatements::prepare(transaction)?;
    let mut random = Random(RANDOM_SEED);
    for index in 0..u64::from(seed.users) {
        let user = generate_user(index, &mut random, account_count, now);
        statements.insert(&user, password_hash)?;
    }
    drop(statements);
    transaction.execute_batch("INSERT INTO users_search (users_search) VALUES ('rebuild')")?;
    for sql in deferred {
        transaction.execute_batch(&sql)?;
    }
    Ok(())
}

/// Drops the indexes of the users table and of the users' roles and accounts, the trigger that adds each new user to the search
/// index and the trigger that compares each new user's keys with the other users' keys, and
/// returns the SQL that creates them again. The caller then rebuilds the search index from
/// the users table. Generated usernames have no `@`, so none can equal an email key.
///
/// Users arrive in no order of their keys, so each insert would change pages all over every
/// index. Building each index once afterwards sorts the keys instead, which takes a third of
/// the time. Creating a unique index fails when two users share a key, so uniqueness is still
/// checked.
fn defer_user_indexes(transaction: &Transaction<'_>) -> rusqlite::Result<Vec<String>> {
    let mut select = transaction.prepare(
        "SELECT type, name, sql FROM sqlite_schema \
         WHERE type = 'index' AND sql IS NOT NULL \
                 AND tbl_name IN ('users', 'user_roles', 'user_accounts') \
             OR type = 'trigger' AND tbl_name = 'users' \
                 AND name IN ('users_search_insert', 'users_keys_cross_insert')",
    )?;
    let deferred = select
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<(String, String, String)>>>()?;
    for (kind, name, _) in &deferred {
        let kind = if kind == "index" { "INDEX" } else { "TRIGGER" };
        let name = name.replace('"', "\"\"");
        transaction.execute_batch(&format!("DROP {kind} \"{name}\""))?;
    }
    Ok(deferred.into_iter().map(|(_, _, sql)| sql).collect())
}

fn insert_accounts(transaction: &Transaction<'_>, count: u32) -> rusqlite::Result<()> {
    for index in 0..count {
        let id = ACCOUNTS.len() as i64 + 1 + i64::from(index);
        catalog::insert_account(
            transaction,
            id,
            &account_number(index),
            &account_name(index),
        )?;
    }
    Ok(())
}

/// Returns a number such as `7300-0012-07`, unique for indexes below 990,000.
fn account_number(index: u32) -> String {
    format!("7300-{:04}-{:02}", index / 99, index % 99 + 1)
}

/// Returns a name such as `Meridian Labs - Riverside Pharmacy`, with a number after it once
/// every organisation, place and site has been used.
fn account_name(index: u32) -> String {
    let index = index as usize;
    let organisation = ACCOUNT_ORGANISATIONS[index % ACCOUNT_ORGANISATIONS.len()];
    let index = index / ACCOUNT_ORGANISATIONS.len();
    let place = ACCOUNT_PLACES[index % ACCOUNT_PLACES.len()];
    let index = index / ACCOUNT_PLACES.len();
    let site = ACCOUNT_SITES[index % ACCOUNT_SITES.len()];
    let round = index / ACCOUNT_SITES.len();
    if round == 0 {
        format!("{organisation} - {place} {site}")
    } else {
        format!("{organisation} - {place} {site} {}", round + 1)
    }
}

/// One generated user, ready to insert.
#[derive(Debug)]
pub(super) struct GeneratedUser {
    pub username: String,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub email: String,
    pub work_phone: Option<String>,
    pub admin_level: AdminLevel,
    /// Active or deactivated. `is_invited` is true while no password was ever set.
    pub status: UserStatus,
    pub is_invited: bool,
    pub roles: Vec<&'static str>,
    pub account_ids: Vec<i64>,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
    pub last_sign_in_at: Option<i64>,
}

/// Generates user number `index`. The name comes from `index`, so usernames are unique:
/// the n-th repeat of a full name gets the number n + 1 after it, as in `mei.wong2`.
pub(super) fn generate_user(
    index: u64,
    random: &mut Random,
    account_count: u64,
    now: i64,
) -> GeneratedUser {
    let name_count = (FIRST_NAMES.len() * LAST_NAMES.len()) as u64;
    let name = (index * NAME_STRIDE) % name_count;
    let first_name = FIRST_NAMES[(name % FIRST_NAMES.len() as u64) as usize];
    let last_name = LAST_NAMES[(name / FIRST_NAMES.len() as u64) as usize];
    let repeat = index / name_count;
    let username = username_for(first_name, last_name, repeat, index);

    let domain = pick_email_domain(random);
    let (status, is_invited) = pick_status(random);
    let admin_level = if random.is_hit(ADMIN_PERCENT) {
        AdminLevel::AccountAdmin
    } else {
        AdminLevel::BasicUser
    };

    let created_at = now - random.below(CREATION_SPAN_SECONDS) as i64;
    let has_signed_in = !is_invited && random.is_hit(SIGNED_IN_PERCENT);
    let last_sign_in_at =
        has_signed_in.then(|| created_at + random.below((now - created_at).max(1) as u64) as i64);
    GeneratedUser {
        email: format!("{username}@{domain}"),
        username,
        first_name,
        last_name,
        work_phone: random
            .is_hit(WORK_PHONE_PERCENT)
            .then(|| work_phone(random)),
        admin_level,
        status,
        is_invited,
        roles: pick_roles(random, admin_level),
        account_ids: pick_accounts(random, account_count),
        created_at,
        last_sign_in_at,
    }
}

/// Returns `first.last`, with `repeat + 1` after it from the second repeat on. A username
/// that a demo user has gets `-<index>` after it instead, which no other name produces.
fn username_for(first_name: &str, last_name: &str, repeat: u64, index: u64) -> String {
    let mut username = format!("{}.{}", ascii_name(first_name), ascii_name(last_name));
    if repeat > 0 {
        username.push_str(&(repeat + 1).to_string());
    }
    if DEMO_NAMES.contains(&username) {
        username.push_str(&format!("-{index}"));
    }
    username
}

/// Most users are at the health organisation, fewer at the others.
fn pick_email_domain(random: &mut Random) -> &'static str {
    match random.below(100) {
        0..70 => EMAIL_DOMAINS[0],
        70..85 => EMAIL_DOMAINS[1],
        85..95 => EMAIL_DOMAINS[2],
        _ => EMAIL_DOMAINS[3],
    }
}

/// Returns the stored status and whether the user still has no password.
fn pick_status(random: &mut Random) -> (UserStatus, bool) {
    let draw = random.below(100);
    if draw < DEACTIVATED_PERCENT {
        let is_invited = random.is_hit(DEACTIVATED_UNINVITED_PERCENT);
        (UserStatus::Deactivated, is_invited)
    } else if draw < DEACTIVATED_PERCENT + INVITED_PERCENT {
        (UserStatus::Active, true)
    } else {
        (UserStatus::Active, false)
    }
}

/// Account admins get every role; basic users get up to 3 roles, some none.
fn pick_roles(random: &mut Random, admin_level: AdminLevel) -> Vec<&'static str> {
    if admin_level == AdminLevel::AccountAdmin {
        return ALL_ROLES.to_vec();
    }
    let count = random.below(4) as usize;
    let mut roles: Vec<&'static str> = Vec::with_capacity(count);
    while roles.len() < count {
        let role = ALL_ROLES[random.below(ALL_ROLES.len() as u64) as usize];
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    roles
}

/// Returns 1 to 3 distinct account ids from 1 to `account_count`.
fn pick_accounts(random: &mut Random, account_count: u64) -> Vec<i64> {
    let count = (1 + random.below(3)).min(account_count) as usize;
    let mut account_ids = Vec::with_capacity(count);
    while account_ids.len() < count {
        let id = 1 + random.below(account_count) as i64;
        if !account_ids.contains(&id) {
            account_ids.push(id);
        }
    }
    account_ids
}

/// Returns a work phone in E.164 with a fictional subscriber number where the country has
/// a range for them, such as +1 415 555 0123.
fn work_phone(random: &mut Random) -> String {
    let subscriber = random.below(10_000);
    match random.below(5) {
        0 => format!("+1415555{subscriber:04}"),
        1 => format!("+1212555{subscriber:04}"),
        2 => format!("+44207946{subscriber:04}"),
        3 => format!("+61491570{subscriber:04}"),
        _ => format!("+3491234{subscriber:04}"),
    }
}

/// The prepared inserts of generated users, their roles and their accounts.
struct UserStatements<'transaction> {
    user: Statement<'transaction>,
    role: Statement<'transaction>,
    account: Statement<'transaction>,
}

impl<'transaction> UserStatements<'transaction> {
    fn prepare(transaction: &'transaction Transaction<'_>) -> rusqlite::Result<Self> {
        Ok(UserStatements {
            user: transaction.prepare(
                "INSERT INTO users (username, username_key, first_name, last_name, name_key, \
                     last_name_key, email, email_key, work_phone, admin_level, status, \
                     is_invited, password_hash, created_at, last_sign_in_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, \
                     strftime('%Y-%m-%dT%H:%M:%SZ', ?14, 'unixepoch'), \
                     strftime('%Y-%m-%dT%H:%M:%SZ', ?15, 'unixepoch'))",
            )?,
            role: transaction
                .prepare("INSERT INTO user_roles (user_id, role_id) VALUES (?1, ?2)")?,
            account: transaction
                .prepare("INSERT INTO user_accounts (user_id, account_id) VALUES (?1, ?2)")?,
        })
    }

    fn insert(&mut self, user: &GeneratedUser, password_hash: &str) -> rusqlite::Result<()> {
        let password_hash = (!user.is_invited).then_some(password_hash);
        let keys = users::UserKeys::new_lenient(&user.username, &user.email);
        let id = self.user.insert(params![
            user.username,
            keys.username,
            user.first_name,
            user.last_name,
            users::name_key(user.first_name, user.last_name),
            users::last_name_key(user.last_name),
            user.email,
            keys.email,
            user.work_phone,
            user.admin_level.as_str(),
            user.status.as_str(),
            user.is_invited,
            password_hash,
            user.created_at,
            user.last_sign_in_at,
        ])?;
        for role in &user.roles {
            self.role.execute(params![id, role])?;
        }
        for account_id in &user.account_ids {
            self.account.execute(params![id, account_id])?;
        }
        Ok(())
    }
}

/// SplitMix64 random numbers: small and fast, and its sequence for a start value never
/// changes, unlike a library generator's across versions.
pub(super) struct Random(pub u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Returns a number from 0 to `bound - 1`. The modulo bias is below 1 in 10^12 for
    /// the bounds used here, all under 2^32.
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    /// Returns true `percent` times in 100.
    fn is_hit(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[cfg(test)]
mod tests {
    use domain::NewUser;

    use super::*;

    /// A fixed time, 2025-06-01T00:00:00Z, so the tests don't depend on the clock.
    const NOW: i64 = 1_748_736_000;

    fn generate(count: u64) -> Vec<GeneratedUser> {
        let mut random = Random(RANDOM_SEED);
        (0..count)
            .map(|index| generate_user(index, &mut random, 50, NOW))
            .collect()
    }

    #[test]
    fn name_stride_visits_every_full_name() {
        let name_count = (FIRST_NAMES.len() * LAST_NAMES.len()) as u64;
        let names: HashSet<u64> = (0..name_count)
            .map(|index| (index * NAME_STRIDE) % name_count)
            .collect();
        assert_eq!(
            names.len() as u64,
            name_count,
            "the stride is coprime with the count"
        );
    }

    #[test]
    fn generated_users_pass_the_rules() {
        for user in generate(3_000) {
            let new_user = NewUser {
                username: user.username.clone(),
                first_name: user.first_name.to_owned(),
                last_name: user.last_name.to_owned(),
                email: user.email.clone(),
                work_phone: user.work_phone.clone(),
                admin_level: user.admin_level,
                roles: user.roles.iter().map(|role| (*role).to_owned()).collect(),
                account_ids: user.account_ids.clone(),
            };
            let checked = domain::validate_new_user(&new_user);
            assert!(checked.is_ok(), "{user:?} breaks a rule: {checked:?}");
        }
    }

    #[test]
    fn usernames_stay_unique_past_one_round_of_names() {
        let users = generate(40_000);
        let usernames: HashSet<&str> = users.iter().map(|u| u.username.as_str()).collect();
        assert_eq!(usernames.len(), users.len(), "every username is unique");
        let demo: HashSet<String> = USERS
            .iter()
            .map(|user| domain::normalize_key(user.username))
            .collect();
        assert!(
            users.iter().all(|user| !demo.contains(&user.username)),
            "no demo username is generated again"
        );
        assert!(
            usernames.contains("mei.wong2"),
            "a second Mei Wong gets a 2"
        );
    }

    #[test]
    fn generated_users_mix_statuses_levels_and_phones() {
        let users = generate(10_000);
        let share = |matches: fn(&GeneratedUser) -> bool| {
            users.iter().filter(|user| matches(user)).count() * 100 / users.len()
        };
        let deactivated = share(|u| u.status == UserStatus::Deactivated);
        let invited = share(|u| u.status == UserStatus::Active && u.is_invited);
        let admins = share(|u| u.admin_level == AdminLevel::AccountAdmin);
        let phones = share(|u| u.work_phone.is_some());
        let signed_in = share(|u| u.last_sign_in_at.is_some());
        assert!(
            (8..=12).contains(&deactivated),
            "about 10% deactivated: {deactivated}%"
        );
        assert!((6..=10).contains(&invited), "about 8% invited: {invited}%");
        assert!(
            (2..=4).contains(&admins),
            "about 3% account admins: {admins}%"
        );
        assert!(
            (27..=33).contains(&phones),
            "about 30% with a work phone: {phones}%"
        );
        assert!(
            (70..=85).contains(&signed_in),
            "most have signed in: {signed_in}%"
        );
    }

    #[test]
    fn times_fall_in_the_six_years_before_now() {
        for user in generate(2_000) {
            let earliest = NOW - CREATION_SPAN_SECONDS as i64;
            assert!(
                (earliest..=NOW).contains(&user.created_at),
                "created within the span: {user:?}"
            );
            if let Some(signed_in) = user.last_sign_in_at {
                assert!(
                    (user.created_at..=NOW).contains(&signed_in),
                    "signed in after creation: {user:?}"
                );
            }
        }
    }

    #[test]
    fn account_numbers_and_names_are_readable() {
        assert_eq!(account_number(0), "7300-0000-01");
        assert_eq!(account_number(98), "7300-0000-99");
        assert_eq!(account_number(99), "7300-0001-01");
        assert_eq!(
            account_name(0),
            "Meridian Health Partners - Northgate Clinic"
        );
        let first_repeat =
            (ACCOUNT_ORGANISATIONS.len() * ACCOUNT_PLACES.len() * ACCOUNT_SITES.len()) as u32;
        assert_eq!(
            account_name(first_repeat),
            "Meridian Health Partners - Northgate Clinic 2"
        );
    }
}
