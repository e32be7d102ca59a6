//! Guards the accounts list: search by number or name, paging with `limit` and `after`,
//! the accounts fetched by id, and the 400 and 422 errors of bad parameters.

mod common;

use axum::http::StatusCode;
use common::{TestApp, TestResponse, assert_error_fields};
use serde_json::Value;

/// Demo accounts in number order, as seeded on first start.
const DEMO_NUMBERS: [&str; 4] = [
    "7100-4482-01",
    "7100-4482-02",
    "7100-4482-03",
    "7100-5530-01",
];

fn numbers(response: &TestResponse) -> Vec<String> {
    response.body["accounts"]
        .as_array()
        .unwrap_or_else(|| panic!("no accounts array in {}", response.body))
        .iter()
        .map(|account| account["number"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn ids(response: &TestResponse) -> Vec<i64> {
    response.body["accounts"]
        .as_array()
        .unwrap_or_else(|| panic!("no accounts array in {}", response.body))
        .iter()
        .map(|account| account["id"].as_i64().unwrap_or_default())
        .collect()
}

/// Starts a server with `generated` accounts beside the 4 demo ones.
fn start_with_accounts(generated: u32) -> TestApp {
    TestApp::start_with(|config| config.seed_accounts = generated)
}

#[tokio::test]
async fn list_without_parameters_returns_first_page() {
    let app = TestApp::start();
    let viewer = app.viewer().await;

    let response = app.get("/accounts", Some(&viewer)).await;

    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    assert_eq!(
        numbers(&response),
        DEMO_NUMBERS,
        "every demo account, by number"
    );
    assert_eq!(response.body["total"], 4, "total");
    assert_eq!(response.body["next_after"], Value::Null, "no next page");
}

#[tokio::test]
async fn pages_cover_every_account_once_in_order() {
    let app = start_with_accounts(120);
    let admin = app.admin().await;

    let mut seen = Vec::new();
    let mut after = String::new();
    let mut sizes = Vec::new();
    loop {
        let response = app
            .get(&format!("/accounts?limit=50&after={after}"), Some(&admin))
            .await;
        assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
        assert_eq!(response.body["total"], 124, "total on every page");
        sizes.push(numbers(&response).len());
        seen.extend(numbers(&response));
        match response.body["next_after"].as_i64() {
            Some(next) => {
                assert_eq!(
                    ids(&response).last(),
                    Some(&next),
                    "next_after is the page's last id"
                );
                after = next.to_string();
            }
            None => break,
        }
        assert!(sizes.len() < 10, "paging ends: {sizes:?}");
    }
    assert_eq!(sizes, [50, 50, 24], "two full pages and the rest");
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted, "in number order with no repeat");
    assert_eq!(seen.len(), 124, "every account once");
}

#[tokio::test]
async fn full_last_page_has_no_next_page() {
    let app = start_with_accounts(96);
    let admin = app.admin().await;

    let first = app.get("/accounts?limit=100", Some(&admin)).await;
    assert_eq!(numbers(&first).len(), 100, "one page holds all 100");
    assert_eq!(
        first.body["next_after"],
        Value::Null,
        "no empty page follows a full last page"
    );

    let default = app.get("/accounts", Some(&admin)).await;
    assert_eq!(numbers(&default).len(), 50, "the default limit is 50");
    assert!(default.body["next_after"].is_i64(), "a next page follows");
}

#[tokio::test]
async fn after_last_account_returns_empty_page() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let response = app.get("/accounts?after=4", Some(&admin)).await;

    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    assert!(
        numbers(&response).is_empty(),
        "nothing after the last account"
    );
    assert_eq!(response.body["total"], 4, "the total stays");
    assert_eq!(response.body["next_after"], Value::Null, "no next page");
}

#[tokio::test]
async fn search_matches_name_or_number_without_case() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let cases: [(&str, &[&str]); 8] = [
        ("northgate", &["7100-4482-02"]),
        ("NorthGATE clinic", &["7100-4482-02"]),
        ("4482-0", &["7100-4482-01", "7100-4482-02", "7100-4482-03"]),
        ("labs", &["7100-5530-01"]),
        ("5530", &["7100-5530-01"]),
        ("me", &DEMO_NUMBERS),
        ("71", &DEMO_NUMBERS),
        ("cl", &[]),
    ];
    for (search, expected) in cases {
        let path = format!("/accounts?q={}", search.replace(' ', "+"));
        let response = app.get(&path, Some(&admin)).await;
        assert_eq!(response.status, StatusCode::OK, "search {search:?}");
        assert_eq!(numbers(&response), expected, "matches of {search:?}");
        assert_eq!(
            response.body["total"],
            expected.len(),
            "total of {search:?}"
        );
    }
}

#[tokio::test]
async fn search_with_quotes_or_no_match_is_empty() {
    let app = TestApp::start();
    let admin = app.admin().await;
    for search in ["%22%22%22", "zzzz", "x%22", "%25"] {
        let response = app
            .get(&format!("/accounts?q={search}"), Some(&admin))
            .await;
        assert_eq!(response.status, StatusCode::OK, "search {search}");
        assert!(numbers(&response).is_empty(), "no match for {search}");
        assert_eq!(response.body["total"], 0, "total for {search}");
    }
}

#[tokio::test]
async fn search_pages_through_its_matches() {
    let app = start_with_accounts(300);
    let admin = app.admin().await;
    let everything = app.get("/accounts?q=7300-&limit=100", Some(&admin)).await;
    assert_eq!(
        everything.body["total"], 300,
        "every generated account matches"
    );

    let mut seen = Vec::new();
    let mut after = String::new();
    for _ in 0..10 {
        let response = app
            .get(
                &format!("/accounts?q=7300-&limit=100&after={after}"),
                Some(&admin),
            )
            .await;
        assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
        assert_eq!(response.body["total"], 300, "total on every page");
        seen.extend(numbers(&response));
        match response.body["next_after"].as_i64() {
            Some(next) => after = next.to_string(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 300, "three pages hold every match");
    assert!(seen.iter().all(|n| n.starts_with("7300-")), "only matches");
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted, "in number order with no repeat");
}

#[tokio::test]
async fn search_finds_account_deep_in_2000() {
    let app = start_with_accounts(2_000);
    let admin = app.admin().await;

    // The 2,000th generated account is 7300-0020-20 (crates/server/src/seed/generated.rs).
    let response = app.get("/accounts?q=7300-0020-20", Some(&admin)).await;

    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    assert_eq!(numbers(&response), ["7300-0020-20"], "the one match");
    assert_eq!(response.body["total"], 1, "total");
    let all = app.get("/accounts", Some(&admin)).await;
    assert_eq!(all.body["total"], 2_004, "total without a search");
}

#[tokio::test]
async fn ids_return_those_accounts_by_number() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let response = app
        .get("/accounts?ids=4,%201,3,1,999999", Some(&admin))
        .await;

    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    assert_eq!(ids(&response), [1, 3, 4], "known ids once each, by number");
    assert_eq!(response.body["total"], 3, "total counts the found accounts");
    assert_eq!(response.body["next_after"], Value::Null, "no next page");
}

#[tokio::test]
async fn ids_reject_more_than_100() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let hundred: Vec<String> = (1..=100).map(|id| id.to_string()).collect();
    let ok = app
        .get(
            &format!("/accounts?ids={}", hundred.join(",")),
            Some(&admin),
        )
        .await;
    assert_eq!(
        ok.status,
        StatusCode::OK,
        "100 ids are allowed: {}",
        ok.body
    );

    let over: Vec<String> = (1..=101).map(|id| id.to_string()).collect();
    let response = app
        .get(&format!("/accounts?ids={}", over.join(",")), Some(&admin))
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "101 ids");
    assert_error_fields(&response, &["ids"]);
}

#[tokio::test]
async fn bad_parameters_get_400_or_422() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let cases = [
        ("limit=abc", StatusCode::BAD_REQUEST, None),
        ("limit=1.5", StatusCode::BAD_REQUEST, None),
        ("limit=0", StatusCode::UNPROCESSABLE_ENTITY, Some("limit")),
        ("limit=101", StatusCode::UNPROCESSABLE_ENTITY, Some("limit")),
        ("limit=-3", StatusCode::UNPROCESSABLE_ENTITY, Some("limit")),
        ("after=abc", StatusCode::BAD_REQUEST, None),
        ("after=0", StatusCode::UNPROCESSABLE_ENTITY, Some("after")),
        (
            "after=99999",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("after"),
        ),
        (
            "after=99999999999999999999",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("after"),
        ),
        ("ids=1,abc", StatusCode::BAD_REQUEST, None),
        ("ids=1,,2", StatusCode::BAD_REQUEST, None),
        ("ids=0", StatusCode::UNPROCESSABLE_ENTITY, Some("ids")),
        ("ids=1&q=me", StatusCode::UNPROCESSABLE_ENTITY, Some("ids")),
        (
            "ids=1&limit=5",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("ids"),
        ),
        (
            "ids=1&after=2",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("ids"),
        ),
    ];
    for (query, status, field) in cases {
        let response = app.get(&format!("/accounts?{query}"), Some(&admin)).await;
        assert_eq!(response.status, status, "{query}: {}", response.body);
        let fields: Vec<&str> = field.into_iter().collect();
        assert_error_fields(&response, &fields);
    }
}

#[tokio::test]
async fn out_of_range_messages_name_value_and_range() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let limit = app.get("/accounts?limit=500", Some(&admin)).await;
    assert_eq!(
        limit.body["fields"]["limit"],
        "Limit must be a whole number from 1 to 100 (it is \"500\").",
        "limit message"
    );
    let after = app.get("/accounts?after=77777", Some(&admin)).await;
    let message = after.body["fields"]["after"].as_str().unwrap_or_default();
    assert!(
        message.contains("77777"),
        "after message names the id: {message}"
    );
}

#[tokio::test]
async fn empty_parameters_mean_defaults() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let response = app
        .get("/accounts?q=&limit=&after=&ids=", Some(&admin))
        .await;

    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    assert_eq!(numbers(&response), DEMO_NUMBERS, "the first page");
}

#[tokio::test]
async fn list_needs_a_session() {
    let app = TestApp::start();

    let response = app.get("/accounts?q=me", None).await;

    assert_eq!(response.status, StatusCode::UNAUTHORIZED, "no cookie");
}
