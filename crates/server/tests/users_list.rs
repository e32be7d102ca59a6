//! Guards the users list (search, status filter, paging, ordering, parameter errors) and
//! the username availability check.

mod common;

use axum::http::StatusCode;
use common::{TestApp, TestResponse, assert_error_fields};
use serde_json::Value;

fn usernames(response: &TestResponse) -> Vec<String> {
    let users = response.body["users"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    users
        .iter()
        .map(|user| user["username"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn list_defaults_to_first_page_of_25_in_username_order() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let response = app.get("/users", Some(&admin)).await;

    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    assert_eq!(response.body["total"], 40, "every seeded user counts");
    assert_eq!(response.body["page"], 1, "default page");
    assert_eq!(response.body["per_page"], 25, "default per_page");
    let names = usernames(&response);
    assert_eq!(names.len(), 25, "a full first page");
    assert_eq!(
        &names[..3],
        ["admin", "ahmed.karim", "aisha.bello"],
        "first usernames"
    );
    let mut sorted = names.clone();
    sorted.sort_by_key(|name| name.to_lowercase());
    assert_eq!(names, sorted, "ordered by username without regard to case");
    let helena = names.iter().position(|name| name == "Helena.Sousa");
    let hannah = names.iter().position(|name| name == "hannah.kowalski");
    assert_eq!(
        helena,
        hannah.map(|index| index + 1),
        "Helena.Sousa sorts right after hannah"
    );
}

#[tokio::test]
async fn list_pages_cover_every_user_once() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let mut seen = Vec::new();
    for page in 1..=3 {
        let response = app
            .get(&format!("/users?per_page=15&page={page}"), Some(&admin))
            .await;
        assert_eq!(response.status, StatusCode::OK, "page {page}");
        assert_eq!(response.body["total"], 40, "total on page {page}");
        seen.extend(usernames(&response));
    }
    assert_eq!(seen.len(), 40, "three pages of 15 hold all 40 users");
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 40, "no user appears twice");

    let beyond = app.get("/users?per_page=15&page=4", Some(&admin)).await;
    assert_eq!(
        beyond.status,
        StatusCode::OK,
        "a page past the end is not an error"
    );
    assert_eq!(usernames(&beyond).len(), 0, "a page past the end is empty");
    assert_eq!(beyond.body["total"], 40, "and still has the total");
}

#[tokio::test]
async fn list_searches_names_usernames_and_emails() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let cases: [(&str, &[&str]); 7] = [
        ("CHEN", &["liam.chen"]),
        ("müller", &["jonas.muller"]),
        ("MATEO GARCÍA", &["mateo.garcia"]),
        ("Raman", &["priya.raman"]),
        ("jonas.mueller@", &["jonas.muller"]),
        ("  o'brien ", &["ryan.obrien"]),
        ("zzz-no-match", &[]),
    ];
    for (q, expected) in cases {
        let query = q.replace(' ', "%20").replace('\'', "%27");
        let response = app.get(&format!("/users?q={query}"), Some(&admin)).await;
        assert_eq!(response.status, StatusCode::OK, "search {q:?}");
        assert_eq!(usernames(&response), expected, "search {q:?}");
        assert_eq!(
            response.body["total"],
            expected.len(),
            "total of search {q:?}"
        );
    }

    let labs = app
        .get("/users?q=meridianlabs.example&per_page=100", Some(&admin))
        .await;
    assert_eq!(
        labs.body["total"], 7,
        "seven users have a meridianlabs.example email"
    );
}

#[tokio::test]
async fn list_search_treats_like_wildcards_literally() {
    let app = TestApp::start();
    let admin = app.admin().await;

    for q in ["_", "%25", "a%25n", "\\"] {
        let response = app.get(&format!("/users?q={q}"), Some(&admin)).await;
        assert_eq!(response.status, StatusCode::OK, "search {q:?}");
        assert_eq!(
            response.body["total"], 0,
            "search {q:?} should match nothing"
        );
    }
}

#[tokio::test]
async fn list_filters_by_status() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let deactivated = app
        .get("/users?status=deactivated&per_page=100", Some(&admin))
        .await;
    let active = app
        .get("/users?status=active&per_page=100", Some(&admin))
        .await;
    let all = app
        .get("/users?status=all&per_page=100", Some(&admin))
        .await;

    assert_eq!(
        deactivated.body["total"], 6,
        "six seeded users are deactivated"
    );
    let statuses: Vec<Value> = deactivated.body["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["status"].clone())
        .collect();
    assert!(
        statuses.iter().all(|s| s == "deactivated"),
        "only deactivated users: {statuses:?}"
    );
    assert_eq!(active.body["total"], 34, "the other 34 are active");
    assert_eq!(all.body["total"], 40, "all means every user");

    let combined = app
        .get("/users?status=deactivated&q=nwosu", Some(&admin))
        .await;
    assert_eq!(
        usernames(&combined),
        ["amara.nwosu"],
        "search and filter combine"
    );
}

#[tokio::test]
async fn list_rejects_out_of_range_paging_with_422() {
    let app = TestApp::start();
    let admin = app.admin().await;

    for (query, field) in [
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("page=0", "page"),
    ] {
        let response = app.get(&format!("/users?{query}"), Some(&admin)).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_error_fields(&response, &[field]);
    }
    let both = app.get("/users?page=-1&per_page=1000", Some(&admin)).await;
    assert_error_fields(&both, &["page", "per_page"]);
    let largest = app.get("/users?per_page=100", Some(&admin)).await;
    assert_eq!(largest.status, StatusCode::OK, "per_page=100 is allowed");
}

#[tokio::test]
async fn list_out_of_range_messages_state_the_range() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let cases = [
        (
            "page=99999999999",
            "page",
            "Page must be a whole number from 1 to 4294967295 (it is \"99999999999\").",
        ),
        (
            "page=-1",
            "page",
            "Page must be a whole number from 1 to 4294967295 (it is \"-1\").",
        ),
        (
            "per_page=99999999999999999999999",
            "per_page",
            "Per page must be a whole number from 1 to 100 (it is \"99999999999999999999999\").",
        ),
    ];
    for (query, field, expected) in cases {
        let response = app.get(&format!("/users?{query}"), Some(&admin)).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(response.body["fields"][field], expected, "{query}");
    }
}

#[tokio::test]
async fn list_empty_parameters_mean_defaults() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let response = app
        .get("/users?q=&status=&page=&per_page=", Some(&admin))
        .await;

    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    assert_eq!(response.body["total"], 40, "status= means all");
    assert_eq!(response.body["page"], 1, "page= means 1");
    assert_eq!(response.body["per_page"], 25, "per_page= means 25");
}

#[tokio::test]
async fn search_ignores_control_characters_and_extra_spaces() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let cases = [
        ("Avery%20%20Lindqvist", vec!["admin"]),
        ("%20Avery%09Lindqvist%0A", vec!["admin"]),
        ("lind%00qvist", vec!["admin"]),
        ("%00zzzz", vec![]),
    ];
    for (q, expected) in cases {
        let response = app.get(&format!("/users?q={q}"), Some(&admin)).await;
        assert_eq!(response.status, StatusCode::OK, "q={q}: {}", response.body);
        assert_eq!(usernames(&response), expected, "q={q}");
    }
}

#[tokio::test]
async fn list_rejects_mistyped_parameters_with_400() {
    let app = TestApp::start();
    let admin = app.admin().await;

    let cases = [
        (
            "page=abc",
            "Page must be a whole number from 1 to 4294967295 (it is \"abc\").",
        ),
        (
            "per_page=1.5",
            "Per page must be a whole number from 1 to 100 (it is \"1.5\").",
        ),
        (
            "status=archived",
            "Status must be one of all, active, invited, deactivated (it is \"archived\").",
        ),
    ];
    for (query, expected) in cases {
        let response = app.get(&format!("/users?{query}"), Some(&admin)).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{query}");
        assert_error_fields(&response, &[]);
        assert_eq!(response.body["message"], expected, "{query}");
    }
}

#[tokio::test]
async fn availability_checks_rules_and_existing_users() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let cases = [
        ("fresh.name", true, None),
        ("Priya.Raman", false, Some("Username already exists.")),
        (
            "amara.nwosu",
            false,
            Some("This username belongs to a deactivated user."),
        ),
    ];
    for (username, available, message) in cases {
        let response = app
            .get(
                &format!("/users/availability?username={username}"),
                Some(&admin),
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "availability of {username}"
        );
        assert_eq!(
            response.body["username"], username,
            "the answer repeats the username"
        );
        assert_eq!(
            response.body["available"], available,
            "available for {username}"
        );
        assert_eq!(
            response.body["message"].as_str(),
            message,
            "message for {username}"
        );
    }

    let invalid = app
        .get("/users/availability?username=a%20b", Some(&admin))
        .await;
    assert_eq!(
        invalid.body["available"], false,
        "an invalid username is not available"
    );
    let message = invalid.body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("spaces"),
        "the rule's message is returned: {message}"
    );
    let empty = app.get("/users/availability", Some(&admin)).await;
    assert_eq!(
        empty.body["message"], "Enter a username.",
        "missing username"
    );
}
