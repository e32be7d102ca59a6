//! Guards the demo organisation written on first start: the 11 roles, the accounts, about
//! 40 users with some deactivated, the seeded passwords, the users and accounts generated
//! beside them with `--seed-users` and `--seed-accounts`, and no second seeding.

mod common;

use axum::http::StatusCode;
use common::{ADMIN_PASSWORD, TestApp};
use console_server::{AppState, Config};
use domain::AdminLevel;
use serde_json::Value;

const ROLE_NAMES: [&str; 11] = [
    "Address Management",
    "Billing Reports",
    "Configuration",
    "Disconnect",
    "Line Features",
    "Ordering",
    "Porting",
    "Reporting",
    "Requirements Package Manager",
    "Requirements Package Viewer",
    "Voice Configuration Package Management",
];

#[tokio::test]
async fn seed_has_the_eleven_roles() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let response = app.get("/roles", Some(&admin)).await;

    assert_eq!(response.status, StatusCode::OK, "roles list");
    let roles = response
        .body
        .as_array()
        .expect("roles should be an array")
        .clone();
    let names: Vec<&str> = roles
        .iter()
        .map(|role| role["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ROLE_NAMES, "the 11 roles, sorted by name");
    for role in &roles {
        let expected_id = role["name"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .replace(' ', "_");
        assert_eq!(
            role["id"],
            expected_id.as_str(),
            "id is the snake_case name"
        );
        assert_eq!(
            role["enabled_by_default"], true,
            "{} is enabled by default",
            role["name"]
        );
        let description = role["description"].as_str().unwrap_or_default();
        assert!(
            !description.is_empty(),
            "{} has a description",
            role["name"]
        );
    }
}

#[tokio::test]
async fn seed_has_accounts_sorted_by_number() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let response = app.get("/accounts", Some(&admin)).await;

    let accounts = response.body["accounts"]
        .as_array()
        .expect("accounts should be an array");
    assert!(accounts.len() >= 3, "at least three accounts: {accounts:?}");
    let numbers: Vec<&str> = accounts
        .iter()
        .map(|a| a["number"].as_str().unwrap())
        .collect();
    let mut sorted = numbers.clone();
    sorted.sort_unstable();
    assert_eq!(numbers, sorted, "sorted by number");
}

#[tokio::test]
async fn seed_has_forty_users_with_admins_and_deactivated_ones() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let response = app.get("/users?per_page=100", Some(&admin)).await;

    let users: Vec<Value> = response.body["users"].as_array().unwrap().clone();
    assert_eq!(users.len(), 40, "forty seeded users");
    let count = |key: &str, value: &str| users.iter().filter(|u| u[key] == value).count();
    assert_eq!(count("status", "deactivated"), 6, "six deactivated users");
    assert!(
        count("admin_level", "account_admin") >= 3,
        "several account admins"
    );
    assert!(
        users.iter().any(|u| u["work_phone"].is_string()),
        "some users have a work phone"
    );
    assert!(
        users.iter().any(|u| u["work_phone"].is_null()),
        "some users have none"
    );
    let viewer = users
        .iter()
        .find(|u| u["username"] == "viewer")
        .expect("viewer is seeded");
    assert_eq!(
        viewer["admin_level"], "basic_user",
        "viewer is a basic user"
    );
}

#[test]
fn first_start_returns_passwords_and_second_start_does_not_seed() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_data_dir(dir.path());
    config.admin_password = Some(ADMIN_PASSWORD.to_owned());

    let first = AppState::open(&config).expect("first start");
    let passwords = &first.seeded_passwords;
    assert_eq!(passwords.len(), 2, "admin and viewer get passwords");
    assert_eq!(passwords[0].username, "admin", "first password is admin's");
    assert_eq!(
        passwords[0].admin_level,
        AdminLevel::AccountAdmin,
        "admin level"
    );
    assert_eq!(
        passwords[0].password, ADMIN_PASSWORD,
        "the given password is used"
    );
    assert!(
        !passwords[0].is_generated,
        "a given password is not generated"
    );
    assert_eq!(
        passwords[1].username, "viewer",
        "second password is viewer's"
    );
    assert!(passwords[1].is_generated, "viewer's password is generated");
    assert_eq!(
        passwords[1].password.len(),
        20,
        "generated passwords have 20 characters"
    );
    drop(first);

    config.admin_password = Some("another-password".to_owned());
    let second = AppState::open(&config).expect("second start");
    assert!(
        second.seeded_passwords.is_empty(),
        "a second start seeds nothing"
    );
    let users = second
        .state
        .db
        .with_connection(|connection| {
            Ok(connection
                .query_row("SELECT count(*) FROM users", [], |row| row.get::<_, i64>(0))?)
        })
        .unwrap();
    assert_eq!(users, 40, "no users were added by the second start");
}

#[test]
fn seed_rejects_short_given_password() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_data_dir(dir.path());
    config.viewer_password = Some("short".to_owned());

    let result = AppState::open(&config);

    let error = result
        .err()
        .expect("a 5-character password should be rejected");
    assert!(
        error.to_string().contains("at least 8"),
        "error explains the rule: {error}"
    );
}

/// Counts rows of `sql` in the database of `state`.
fn count(state: &console_server::AppState, sql: &str) -> i64 {
    state
        .db
        .with_connection(|connection| Ok(connection.query_row(sql, [], |row| row.get(0))?))
        .unwrap_or_else(|error| panic!("{sql} failed: {error:#}"))
}

#[tokio::test]
async fn seed_generates_users_and_accounts_beside_the_demo() {
    let app = TestApp::start_with(|config| {
        config.seed_users = 3_000;
        config.seed_accounts = 25;
    });
    let admin = app.admin().await;

    let users = app.get("/users?per_page=1", Some(&admin)).await;
    assert_eq!(
        users.body["total"], 3_040,
        "40 demo users and 3,000 generated"
    );
    let accounts = app.get("/accounts", Some(&admin)).await;
    assert_eq!(
        accounts.body["total"], 29,
        "4 demo accounts and 25 generated"
    );
    for status in ["active", "invited", "deactivated"] {
        let page = app
            .get(&format!("/users?status={status}&per_page=1"), Some(&admin))
            .await;
        let total = page.body["total"].as_u64().unwrap_or_default();
        assert!(total >= 100, "{total} users are {status}: a realistic mix");
    }
    let admins = count(
        &app.state,
        "SELECT count(*) FROM users WHERE admin_level = 'account_admin'",
    );
    assert!(admins > 40, "generated account admins too: {admins}");
    let grants = count(
        &app.state,
        "SELECT count(*) FROM user_accounts WHERE account_id > 4",
    );
    assert!(
        grants > 1_000,
        "generated users have generated accounts: {grants}"
    );
    let signed_in = count(
        &app.state,
        "SELECT count(*) FROM users WHERE last_sign_in_at IS NOT NULL",
    );
    assert!(
        signed_in > 2_000,
        "most generated users have signed in: {signed_in}"
    );
}

#[tokio::test]
async fn generated_users_can_not_sign_in() {
    let app = TestApp::start_with(|config| config.seed_users = 50);
    let admin = app.admin().await;
    let page = app
        .get("/users?status=active&per_page=100", Some(&admin))
        .await;
    let generated = page.body["users"]
        .as_array()
        .expect("users")
        .iter()
        .find(|user| user["id"].as_i64() > Some(40))
        .expect("an active generated user")
        .clone();

    let sign_in = app
        .post(
            "/session",
            None,
            Some(serde_json::json!({
                "username": generated["username"],
                "password": ADMIN_PASSWORD,
            })),
        )
        .await;

    assert_eq!(
        sign_in.status,
        StatusCode::UNAUTHORIZED,
        "nobody knows the password of generated users"
    );
}

#[test]
fn second_start_ignores_seed_options() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_data_dir(dir.path());
    config.admin_password = Some(ADMIN_PASSWORD.to_owned());
    drop(AppState::open(&config).expect("first start"));

    config.seed_users = 500;
    config.seed_accounts = 5;
    let second = AppState::open(&config).expect("second start with seed options");

    assert_eq!(
        count(&second.state, "SELECT count(*) FROM users"),
        40,
        "a database with users gets no generated users"
    );
    assert_eq!(
        count(&second.state, "SELECT count(*) FROM accounts"),
        4,
        "nor generated accounts"
    );
}
