//! Guards the sorted and filtered users list. Every sort key in both directions, over many
//! users with equal sort values, pages through every user once in the right order. Every
//! combination of search, status, level, role and account matches the users of a
//! brute-force filter in this file, and both ways of finding a sorted page agree. Bad values
//! get their 400 or 422.

mod common;

use std::cmp::Ordering;

use axum::http::StatusCode;
use common::{TestApp, assert_error_fields};
use console_server::db::list_filter::{self, ListFilter, PageStrategy};
use console_server::db::user_list::Search;
use domain::{AdminLevel, SortDirection, UserSort, UserStatus};
use serde_json::Value;

/// Generated users on top of the 40 demo users.
const GENERATED_USERS: u32 = 260;

/// Starts a server whose users share many sort values: equal names, creation times and
/// sign-in times, and users who never signed in, beside the generator's equal levels and
/// statuses.
fn start_with_ties() -> TestApp {
    let app = TestApp::start_with(|config| {
        config.seed_users = GENERATED_USERS;
        config.seed_accounts = 6;
    });
    app.state
        .db
        .with_connection(|connection| {
            connection.execute_batch(
                "UPDATE users SET first_name = 'Sam', last_name = 'Lee', name_key = 'sam lee', \
                     last_name_key = 'lee' WHERE id % 6 = 0; \
                 UPDATE users SET first_name = 'SAM', last_name = 'LEE', name_key = 'sam lee', \
                     last_name_key = 'lee' WHERE id % 6 = 1; \
                 UPDATE users SET created_at = '2025-03-01T00:00:00Z' WHERE id % 4 = 0; \
                 UPDATE users SET last_sign_in_at = '2025-04-01T08:00:00Z' WHERE id % 5 = 0; \
                 UPDATE users SET last_sign_in_at = NULL WHERE id % 7 = 0;",
            )?;
            Ok(())
        })
        .expect("ties should be written");
    app
}

/// Returns every user as the API shows them, from the default order.
async fn all_users(app: &TestApp, cookie: &str) -> Vec<Value> {
    let mut users = Vec::new();
    for page in 1.. {
        let response = app
            .get(&format!("/users?per_page=100&page={page}"), Some(cookie))
            .await;
        assert_eq!(response.status, StatusCode::OK, "page {page}");
        let batch = response.body["users"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if batch.is_empty() {
            break;
        }
        users.extend(batch);
    }
    users
}

fn id(user: &Value) -> i64 {
    user["id"].as_i64().expect("a user has an id")
}

fn text<'a>(user: &'a Value, name: &str) -> &'a str {
    user[name].as_str().unwrap_or_default()
}

/// Computes the value a sort compares from the user as shown, independently of the server's
/// keys.
fn sort_value(user: &Value, sort: UserSort) -> String {
    match sort {
        UserSort::Username => domain::username_key(text(user, "username")),
        UserSort::Name => {
            format!("{} {}", text(user, "first_name"), text(user, "last_name")).to_lowercase()
        }
        UserSort::Email => domain::email_key(text(user, "email")).expect("a valid email"),
        UserSort::Level => match text(user, "admin_level") {
            "account_admin" => "Account Admin".to_owned(),
            _ => "Basic User".to_owned(),
        },
        UserSort::Status => match text(user, "status") {
            "active" => "Active".to_owned(),
            "deactivated" => "Deactivated".to_owned(),
            _ => "Invited".to_owned(),
        },
        UserSort::Created => text(user, "created_at").to_owned(),
        UserSort::LastSignIn => text(user, "last_sign_in_at").to_owned(),
    }
}

/// Returns the ids of `users` in the order the list must show for `sort` and `direction`.
fn expected_order(users: &[Value], sort: UserSort, direction: SortDirection) -> Vec<i64> {
    let compare = |a: &Value, b: &Value| -> Ordering {
        let ordering = sort_value(a, sort)
            .cmp(&sort_value(b, sort))
            .then(id(a).cmp(&id(b)));
        match direction {
            SortDirection::Asc => ordering,
            SortDirection::Desc => ordering.reverse(),
        }
    };
    let (mut shown, mut never): (Vec<&Value>, Vec<&Value>) = users
        .iter()
        .partition(|user| sort != UserSort::LastSignIn || !user["last_sign_in_at"].is_null());
    shown.sort_by(|a, b| compare(a, b));
    never.sort_by(|a, b| compare(a, b));
    shown.into_iter().chain(never).map(id).collect()
}

/// Walks every page of `query` at `per_page` users a page and returns the ids in order.
async fn walk(app: &TestApp, cookie: &str, query: &str, per_page: u32) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut total = None;
    for page in 1.. {
        let path = format!("/users?{query}&per_page={per_page}&page={page}");
        let response = app.get(&path, Some(cookie)).await;
        assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.body);
        let page_total = response.body["total"].as_u64();
        assert!(
            total.is_none() || total == page_total,
            "{path}: the total stays the same"
        );
        total = page_total;
        let batch = response.body["users"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if batch.is_empty() {
            break;
        }
        ids.extend(batch.iter().map(id));
    }
    assert_eq!(
        Some(ids.len() as u64),
        total,
        "{query}: the pages hold the total"
    );
    ids
}

#[tokio::test]
async fn every_sort_pages_through_ties_in_order() {
    let app = start_with_ties();
    let admin = app.admin().await;
    let users = all_users(&app, &admin).await;
    assert_eq!(users.len(), 40 + GENERATED_USERS as usize, "every user");

    for sort in UserSort::ALL {
        for direction in [SortDirection::Asc, SortDirection::Desc] {
            let query = format!("sort={}&dir={}", sort.as_str(), direction.as_str());
            let ids = walk(&app, &admin, &query, 7).await;
            let mut unique = ids.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), ids.len(), "{query}: no user appears twice");
            assert_eq!(ids.len(), users.len(), "{query}: no user is skipped");
            assert_eq!(
                ids,
                expected_order(&users, sort, direction),
                "{query}: the order"
            );
        }
    }
}

#[tokio::test]
async fn never_signed_in_users_come_last() {
    let app = start_with_ties();
    let admin = app.admin().await;
    let users = all_users(&app, &admin).await;
    let never: Vec<i64> = users
        .iter()
        .filter(|user| user["last_sign_in_at"].is_null())
        .map(id)
        .collect();
    assert!(!never.is_empty(), "some users never signed in");

    for direction in ["asc", "desc"] {
        let ids = walk(
            &app,
            &admin,
            &format!("sort=last_sign_in&dir={direction}"),
            25,
        )
        .await;
        let tail = &ids[ids.len() - never.len()..];
        let mut tail_sorted = tail.to_vec();
        tail_sorted.sort_unstable();
        let mut never_sorted = never.clone();
        never_sorted.sort_unstable();
        assert_eq!(
            tail_sorted, never_sorted,
            "{direction}: the users who never signed in are the last ones"
        );
    }
}

/// Returns whether `user` matches the search `q` as docs/api.md describes it.
fn matches_search(user: &Value, q: &str) -> bool {
    let q = q.to_lowercase();
    let username = domain::username_key(text(user, "username"));
    let first = text(user, "first_name").to_lowercase();
    let last = text(user, "last_name").to_lowercase();
    let name = format!("{first} {last}");
    let email = domain::email_key(text(user, "email")).expect("a valid email");
    if q.chars().count() >= 3 {
        [&username, &name, &email]
            .iter()
            .any(|key| key.contains(&q))
    } else {
        [&username, &name, &last, &email]
            .iter()
            .any(|key| key.starts_with(&q))
    }
}

/// One combination of the filters, as query pairs with empty values left out.
struct Combination {
    q: &'static str,
    status: &'static str,
    level: &'static str,
    role: &'static str,
    account: Option<i64>,
}

impl Combination {
    fn matches(&self, user: &Value) -> bool {
        let has_role = |role: &str| {
            user["roles"]
                .as_array()
                .is_some_and(|roles| roles.iter().any(|r| r == role))
        };
        let has_account = |account: i64| {
            user["account_ids"]
                .as_array()
                .is_some_and(|ids| ids.iter().any(|a| a.as_i64() == Some(account)))
        };
        (self.q.is_empty() || matches_search(user, self.q))
            && (self.status.is_empty() || text(user, "status") == self.status)
            && (self.level.is_empty() || text(user, "admin_level") == self.level)
            && (self.role.is_empty() || has_role(self.role))
            && self.account.is_none_or(has_account)
    }

    fn query(&self) -> String {
        let mut pairs = Vec::new();
        for (name, value) in [
            ("q", self.q),
            ("status", self.status),
            ("level", self.level),
            ("role", self.role),
        ] {
            if !value.is_empty() {
                pairs.push(format!("{name}={}", value.replace(' ', "%20")));
            }
        }
        if let Some(account) = self.account {
            pairs.push(format!("account={account}"));
        }
        pairs.join("&")
    }
}

#[tokio::test]
async fn combined_filters_match_brute_force() {
    let app = start_with_ties();
    let admin = app.admin().await;
    let users = all_users(&app, &admin).await;
    let mut checked_non_empty = 0;
    let mut sorts = UserSort::ALL.iter().cycle();

    for q in ["", "an", "e", "sam lee", "son"] {
        for status in ["", "active", "invited", "deactivated"] {
            for level in ["", "basic_user", "account_admin"] {
                for role in ["", "ordering"] {
                    for account in [None, Some(1), Some(5)] {
                        let combination = Combination {
                            q,
                            status,
                            level,
                            role,
                            account,
                        };
                        let sort = *sorts.next().expect("the sorts cycle");
                        let direction = if account == Some(5) {
                            SortDirection::Desc
                        } else {
                            SortDirection::Asc
                        };
                        let matching: Vec<Value> = users
                            .iter()
                            .filter(|user| combination.matches(user))
                            .cloned()
                            .collect();
                        let expected = expected_order(&matching, sort, direction);
                        let query = format!(
                            "{}&sort={}&dir={}",
                            combination.query(),
                            sort.as_str(),
                            direction.as_str()
                        );
                        let ids = walk(&app, &admin, &query, 10).await;
                        assert_eq!(ids, expected, "{query}: the matching users in order");
                        if !expected.is_empty() {
                            checked_non_empty += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(
        checked_non_empty > 100,
        "most combinations match someone: {checked_non_empty}"
    );
}

#[tokio::test]
async fn bad_sort_and_filter_values_are_400() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let cases = [
        ("sort=password", "username, name, email"),
        ("dir=up", "asc, desc"),
        ("level=root", "basic_user, account_admin"),
        ("account=abc", "whole number"),
    ];
    for (query, named) in cases {
        let response = app.get(&format!("/users?{query}"), Some(&admin)).await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            response.body
        );
        let message = response.body["message"].as_str().unwrap_or_default();
        assert!(message.contains(named), "{query} names {named}: {message}");
        let parameter = query.split('=').next().unwrap_or_default();
        assert!(
            message.contains(&format!("({parameter})")),
            "{query} names the parameter: {message}"
        );
    }
}

#[tokio::test]
async fn empty_sort_and_filter_values_are_defaults() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let plain = app.get("/users", Some(&admin)).await;
    let empty = app
        .get("/users?sort=&dir=&level=&role=&account=", Some(&admin))
        .await;
    assert_eq!(empty.status, StatusCode::OK, "body: {}", empty.body);
    assert_eq!(empty.body, plain.body, "empty values mean the defaults");
}

#[tokio::test]
async fn unknown_role_and_account_are_422() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let cases: [(&str, &[&str]); 4] = [
        ("role=astronaut", &["role"]),
        ("account=999", &["account"]),
        ("account=0", &["account"]),
        ("role=astronaut&account=999", &["account", "role"]),
    ];
    for (query, fields) in cases {
        let response = app.get(&format!("/users?{query}"), Some(&admin)).await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            response.body
        );
        assert_error_fields(&response, fields);
    }
}

#[test]
fn both_page_strategies_find_same_users() {
    let app = start_with_ties();
    let role = || Some("ordering".to_owned());
    let filters = [
        ListFilter::default(),
        ListFilter {
            role: role(),
            ..ListFilter::default()
        },
        ListFilter {
            account: Some(1),
            ..ListFilter::default()
        },
        ListFilter {
            status: Some(UserStatus::Active),
            level: Some(AdminLevel::BasicUser),
            ..ListFilter::default()
        },
        ListFilter {
            search: Some(Search::Substring("son".to_owned())),
            role: role(),
            account: Some(2),
            ..ListFilter::default()
        },
        ListFilter {
            search: Some(Search::Prefix("e".to_owned())),
            status: Some(UserStatus::Invited),
            ..ListFilter::default()
        },
    ];
    let pages = [(10, 0), (10, 20), (100, 0)];
    app.state
        .db
        .with_connection(|connection| {
            for filter in &filters {
                for sort in UserSort::ALL {
                    for direction in [SortDirection::Asc, SortDirection::Desc] {
                        for (limit, offset) in pages {
                            let page = |strategy| {
                                list_filter::sorted_page(
                                    connection,
                                    filter,
                                    (sort, direction),
                                    strategy,
                                    limit,
                                    offset,
                                )
                                .map(|users| users.iter().map(|user| user.id).collect::<Vec<_>>())
                            };
                            let matches = page(PageStrategy::Matches)?;
                            let walked = page(PageStrategy::SortIndex)?;
                            assert_eq!(
                                walked, matches,
                                "{filter:?} by {sort:?} {direction:?}, {limit} from {offset}"
                            );
                        }
                    }
                }
            }
            Ok(())
        })
        .expect("the pages should be read");
}
