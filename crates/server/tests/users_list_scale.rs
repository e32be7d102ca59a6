//! Guards the users list on a database with generated users. Deep pages start at the cached
//! page anchors and still match page-by-page reading after changes. Totals follow status
//! changes, and searches of one or two characters match the start of each key.

mod common;

use axum::http::StatusCode;
use common::{TestApp, create_user};
use serde_json::Value;

/// Generated users beside the 40 demo users: enough for several page anchors (one per 256
/// users of each list).
const GENERATED_USERS: u32 = 1_500;

fn start() -> TestApp {
    TestApp::start_with(|config| {
        config.seed_users = GENERATED_USERS;
        config.seed_accounts = 10;
    })
}

fn usernames(body: &Value) -> Vec<String> {
    body["users"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|user| user["username"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Reads every page of `query` with 100 users a page and returns all usernames in order.
async fn read_all_pages(app: &TestApp, admin: &str, query: &str) -> Vec<String> {
    let mut all = Vec::new();
    for page in 1.. {
        let path = format!("/users?{query}&per_page=100&page={page}");
        let response = app.get(&path, Some(admin)).await;
        assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.body);
        let names = usernames(&response.body);
        if names.is_empty() {
            break;
        }
        all.extend(names);
    }
    all
}

/// Returns the usernames of one page of `per_page` users.
async fn page_of(app: &TestApp, admin: &str, query: &str, page: u64, per_page: u64) -> Vec<String> {
    let path = format!("/users?{query}&per_page={per_page}&page={page}");
    let response = app.get(&path, Some(admin)).await;
    assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.body);
    usernames(&response.body)
}

#[tokio::test]
async fn deep_pages_match_reading_every_page() {
    let app = start();
    let admin = app.admin().await;

    for status in ["all", "active", "deactivated"] {
        let query = format!("status={status}");
        let all = read_all_pages(&app, &admin, &query).await;
        let mut sorted = all.clone();
        sorted.sort_by_key(|name| name.to_lowercase());
        assert_eq!(all, sorted, "{status}: pages are in username order");
        // Pages of 7 start at offsets that are no multiple of the anchor spacing.
        for page in [40_u64, 41, 150, all.len() as u64 / 7] {
            let start = ((page - 1) * 7) as usize;
            let expected: Vec<String> = all.iter().skip(start).take(7).cloned().collect();
            let actual = page_of(&app, &admin, &query, page, 7).await;
            assert_eq!(actual, expected, "{status}: page {page} of 7 users");
        }
    }
}

#[tokio::test]
async fn deep_pages_follow_new_and_deactivated_users() {
    let app = start();
    let admin = app.admin().await;
    let before = page_of(&app, &admin, "status=all", 100, 10).await;

    // "aaa" sorts before every seeded username, so each later user moves one place on.
    create_user(&app, &admin, "aaa.first", "aaa.first@example.com").await;
    let after_create = page_of(&app, &admin, "status=all", 100, 10).await;
    assert_eq!(
        after_create[1..],
        before[..9],
        "a deep page shows the users one place later"
    );

    // Deactivating a user early in the active list moves every later active user up one.
    let early = page_of(&app, &admin, "status=active", 3, 5).await;
    let found = app
        .get(&format!("/users?q={}", early[0]), Some(&admin))
        .await;
    let id = found.body["users"][0]["id"].as_i64().expect("a user id");
    let deactivated = app
        .post(&format!("/users/{id}/deactivate"), Some(&admin), None)
        .await;
    assert_eq!(deactivated.status, StatusCode::OK, "{}", deactivated.body);
    let active = read_all_pages(&app, &admin, "status=active").await;
    assert!(
        !active.contains(&early[0]),
        "the deactivated user left the active pages"
    );
    let deep = page_of(&app, &admin, "status=active", 31, 10).await;
    let expected: Vec<String> = active.iter().skip(300).take(10).cloned().collect();
    assert_eq!(deep, expected, "deep active pages come from fresh anchors");
}

#[tokio::test]
async fn totals_follow_status_changes() {
    let app = start();
    let admin = app.admin().await;
    let total = |status: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let response = app
                .get(&format!("/users?status={status}"), Some(&admin))
                .await;
            response.body["total"].as_u64().expect("a total")
        }
    };
    let all = total("all").await;
    let invited = total("invited").await;
    let deactivated = total("deactivated").await;
    assert_eq!(all, 40 + u64::from(GENERATED_USERS), "every user counts");

    let id = create_user(&app, &admin, "count.me", "count.me@example.com").await;
    assert_eq!(total("all").await, all + 1, "a new user counts in all");
    assert_eq!(total("invited").await, invited + 1, "and as invited");

    app.post(&format!("/users/{id}/deactivate"), Some(&admin), None)
        .await;
    assert_eq!(
        total("invited").await,
        invited,
        "deactivated, no longer invited"
    );
    assert_eq!(
        total("deactivated").await,
        deactivated + 1,
        "but deactivated"
    );
    assert_eq!(total("all").await, all + 1, "and still in all");
}

#[tokio::test]
async fn short_search_matches_the_start_of_each_key() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let cases: [(&str, &[&str]); 5] = [
        // Username liam.chen, last names Lindqvist (admin), Lin and Lindgren; not Julia.
        ("li", &["admin", "liam.chen", "mei.lin", "sara.lindgren"]),
        // First names Noah (viewer) and Nora, last name Novak; "no" inside a name, as in
        // Jonas, doesn't count.
        ("No", &["julia.novak", "nora.ahmed", "viewer"]),
        // Email helena.sousa@... starts the same as the username Helena.Sousa.
        ("he", &["Helena.Sousa"]),
        ("z", &["zoe.andersen"]),
        ("_", &[]),
    ];
    for (q, expected) in cases {
        let response = app.get(&format!("/users?q={q}"), Some(&admin)).await;
        assert_eq!(response.status, StatusCode::OK, "search {q:?}");
        assert_eq!(usernames(&response.body), expected, "search {q:?}");
        assert_eq!(response.body["total"], expected.len(), "total of {q:?}");
    }
}

#[tokio::test]
async fn search_pages_and_totals_agree() {
    let app = start();
    let admin = app.admin().await;

    for q in ["garcia", "li", "sofia"] {
        let all = read_all_pages(&app, &admin, &format!("q={q}")).await;
        let first = app
            .get(&format!("/users?q={q}&per_page=5"), Some(&admin))
            .await;
        assert_eq!(
            first.body["total"].as_u64(),
            Some(all.len() as u64),
            "the total of {q:?} counts every match"
        );
        assert!(!all.is_empty(), "{q:?} matches generated users");
        let beyond = app
            .get(&format!("/users?q={q}&per_page=100&page=999"), Some(&admin))
            .await;
        assert_eq!(
            beyond.body["total"].as_u64(),
            Some(all.len() as u64),
            "a page past the end of {q:?} still has the total"
        );
    }
}

#[tokio::test]
async fn search_finds_users_created_after_earlier_searches() {
    let app = start();
    let admin = app.admin().await;
    let before = app.get("/users?q=garcia&per_page=1", Some(&admin)).await;
    let total = before.body["total"].as_u64().expect("a total");

    create_user(&app, &admin, "aaa.garcia", "aaa.garcia@example.com").await;
    let after = app.get("/users?q=garcia&per_page=1", Some(&admin)).await;

    assert_eq!(
        after.body["total"].as_u64(),
        Some(total + 1),
        "the new user counts"
    );
    assert_eq!(
        usernames(&after.body),
        ["aaa.garcia"],
        "and sorts first by username"
    );
}
