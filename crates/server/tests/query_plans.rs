//! Guards that the users list, search and the uniqueness checks read indexes: the query plan
//! (EXPLAIN QUERY PLAN) of each of their queries must not scan the users table, which would
//! make them slow at 100,000 users. The accounts list and its search must not scan the
//! accounts table either. A sorted list walks the index of its sort, and each filter
//! searches an index.

mod common;

use common::TestApp;
use console_server::db::catalog::{account_count_sql, account_page_sql};
use console_server::db::list_filter::{
    ListFilter, PageStrategy, count_sql, matching_ids_in_order_sql, sort_index, sorted_ids_sql,
    sorted_page_sql,
};
use console_server::db::page_anchors::anchor_keys_sql;
use console_server::db::user_list::{
    Search, list_page_sql, matching_ids_sql, search_count_sql, search_page_sql,
};
use console_server::db::users::{EMAIL_KEY_COUNT_SQL, STATUS_BY_USERNAME_KEY_SQL};
use domain::{AdminLevel, SortDirection, UserSort, UserStatus};

/// Starts a server whose database also has generated users, so the plans come from a
/// database shaped like a real one.
fn start() -> TestApp {
    TestApp::start_with(|config| {
        config.seed_users = 2_000;
        config.seed_accounts = 20;
    })
}

/// Returns the lines of the query plan of `sql`, such as "SEARCH u USING INDEX ...".
fn plan(app: &TestApp, sql: &str) -> Vec<String> {
    let explain = format!("EXPLAIN QUERY PLAN {sql}");
    app.state
        .db
        .with_connection(|connection| {
            let mut statement = connection.prepare(&explain)?;
            // The parameters stay unbound: a plan doesn't depend on their values here.
            let mut rows = statement.raw_query();
            let mut lines = Vec::new();
            while let Some(row) = rows.next()? {
                lines.push(row.get::<_, String>(3)?);
            }
            Ok(lines)
        })
        .unwrap_or_else(|error| panic!("EXPLAIN QUERY PLAN failed for {sql}: {error:#}"))
}

/// Fails when a line of `plan` reads the whole users table or one of its indexes.
fn assert_no_users_scan(label: &str, plan: &[String]) {
    for line in plan {
        let is_users_scan = line == "SCAN u"
            || line.starts_with("SCAN u ")
            || line == "SCAN users"
            || line.starts_with("SCAN users ");
        assert!(!is_users_scan, "{label} scans the users table: {plan:#?}");
    }
}

#[test]
fn list_pages_search_an_index_in_order() {
    let app = start();
    for has_status in [false, true] {
        let label = format!("list page, status filter {has_status}");
        let plan = plan(&app, &list_page_sql(has_status));
        assert_no_users_scan(&label, &plan);
        assert!(
            plan.iter().all(|line| !line.contains("TEMP B-TREE")),
            "{label} needs no sort, the index is in username order: {plan:#?}"
        );
        assert!(
            plan.iter().any(|line| line.starts_with("SEARCH u USING")),
            "{label} searches an index range: {plan:#?}"
        );
    }
}

#[test]
fn searches_read_the_trigram_and_key_indexes() {
    let app = start();
    let searches = [
        Search::Substring("garcia".to_owned()),
        Search::Prefix("li".to_owned()),
    ];
    for search in &searches {
        for has_status in [false, true] {
            let label = format!("{search:?}, status filter {has_status}");
            let page = plan(&app, &search_page_sql(search, has_status));
            assert_no_users_scan(&format!("page of {label}"), &page);
            let count = plan(&app, &search_count_sql(search, has_status));
            assert_no_users_scan(&format!("count of {label}"), &count);
        }
    }
}

#[test]
fn matching_ids_read_indexes_only() {
    let app = start();
    for search in [
        Search::Substring("garcia".to_owned()),
        Search::Prefix("li".to_owned()),
    ] {
        let plan = plan(&app, matching_ids_sql(&search));
        assert_no_users_scan(&format!("ids of {search:?}"), &plan);
    }
}

#[test]
fn substring_search_reads_the_trigram_index() {
    let app = start();
    let search = Search::Substring("garcia".to_owned());
    let page = plan(&app, matching_ids_sql(&search));
    assert!(
        page.iter()
            .any(|line| line.contains("users_search VIRTUAL TABLE")),
        "the matches come from the trigram index: {page:#?}"
    );
}

#[test]
fn prefix_search_reads_each_key_index() {
    let app = start();
    let page = plan(&app, matching_ids_sql(&Search::Prefix("li".to_owned())));
    for index in [
        "users_username_key",
        "users_name_key",
        "users_last_name_key",
        "users_email_key",
    ] {
        assert!(
            page.iter().any(|line| line.contains(index)),
            "a prefix search reads {index}: {page:#?}"
        );
    }
}

#[test]
fn uniqueness_checks_search_unique_indexes() {
    let app = start();
    let checks = [
        (STATUS_BY_USERNAME_KEY_SQL, "users_username_key"),
        (EMAIL_KEY_COUNT_SQL, "users_email_key"),
    ];
    for (sql, index) in checks {
        let plan = plan(&app, sql);
        assert_no_users_scan(sql, &plan);
        assert!(
            plan.iter().any(|line| line.contains(index)),
            "{sql} reads {index}: {plan:#?}"
        );
    }
}

#[test]
fn anchors_read_one_status_range() {
    let app = start();
    let plan = plan(&app, anchor_keys_sql(true));
    assert_no_users_scan("anchor keys of a status", &plan);
    // NOTE: the anchors of the unfiltered list read every username key once, on purpose:
    // a rebuild after a change is one pass over the username index.
    let all = self::plan(&app, anchor_keys_sql(false));
    assert!(
        all.iter()
            .any(|line| line.contains("COVERING INDEX users_username_key")),
        "the unfiltered anchors read only the username index: {all:#?}"
    );
}

/// Fails when a line of `plan` reads the whole accounts table or one of its indexes.
fn assert_no_accounts_scan(label: &str, plan: &[String]) {
    for line in plan {
        let is_accounts_scan = line == "SCAN a"
            || line.starts_with("SCAN a ")
            || line == "SCAN accounts"
            || line.starts_with("SCAN accounts ");
        assert!(
            !is_accounts_scan,
            "{label} scans the accounts table: {plan:#?}"
        );
    }
}

#[test]
fn account_searches_read_the_trigram_and_key_indexes() {
    let app = start();
    let searches = [
        (
            Search::Substring("north".to_owned()),
            "accounts_search VIRTUAL TABLE",
        ),
        (Search::Prefix("me".to_owned()), "accounts_name_key"),
    ];
    for (search, index) in &searches {
        for has_after in [false, true] {
            let label = format!("accounts page of {search:?}, after {has_after}");
            let page = plan(&app, &account_page_sql(Some(search), has_after));
            assert_no_accounts_scan(&label, &page);
            assert!(
                page.iter().any(|line| line.contains(index)),
                "{label} reads {index}: {page:#?}"
            );
        }
        let count = plan(&app, account_count_sql(Some(search)));
        assert_no_accounts_scan(&format!("accounts count of {search:?}"), &count);
    }
    let prefix = plan(
        &app,
        &account_page_sql(Some(&Search::Prefix("71".to_owned())), false),
    );
    assert!(
        prefix
            .iter()
            .any(|line| line.contains("accounts_number_key")),
        "a prefix search reads the number index too: {prefix:#?}"
    );
}

#[test]
fn account_pages_read_the_number_index_in_order() {
    let app = start();
    let next = plan(&app, &account_page_sql(None, true));
    assert_no_accounts_scan("next accounts page", &next);
    for has_after in [false, true] {
        let page = plan(&app, &account_page_sql(None, has_after));
        assert!(
            page.iter().all(|line| !line.contains("TEMP B-TREE")),
            "a page without a search needs no sort, after {has_after}: {page:#?}"
        );
    }
    // NOTE: the first page without a search walks the number index from its start, which
    // SQLite reports as a scan; LIMIT stops it after one page.
    let count = plan(&app, account_count_sql(None));
    assert_no_accounts_scan("accounts count", &count);
}

#[test]
fn sorted_pages_walk_the_sort_index() {
    let app = start();
    let filter = ListFilter::default();
    for sort in UserSort::ALL {
        for direction in [SortDirection::Asc, SortDirection::Desc] {
            let label = format!("page sorted by {sort:?} {direction:?}");
            let index = sort_index(sort, direction);
            let ids = plan(
                &app,
                &sorted_ids_sql(&filter, sort, direction, PageStrategy::Matches),
            );
            assert!(
                ids.iter().all(|line| !line.contains("TEMP B-TREE")),
                "{label} needs no sort of the users: {ids:#?}"
            );
            // NOTE: the walk starts at the first user in the order, which SQLite reports as
            // a scan of the index; LIMIT and OFFSET stop it after the page.
            assert!(
                ids.iter()
                    .all(|line| !line.starts_with("SCAN u") || line.ends_with(index)),
                "{label} walks {index}: {ids:#?}"
            );
            let page = plan(
                &app,
                &sorted_page_sql(&filter, sort, direction, PageStrategy::Matches),
            );
            let walks = page
                .iter()
                .filter(|line| line.starts_with("SCAN u"))
                .count();
            assert_eq!(walks, 1, "{label} reads the page's users by id: {page:#?}");
        }
    }
}

/// Filters that an index serves, alone and combined with a search and each other.
fn indexed_filters() -> Vec<ListFilter> {
    let role = || Some("ordering".to_owned());
    vec![
        ListFilter {
            level: Some(AdminLevel::AccountAdmin),
            ..ListFilter::default()
        },
        ListFilter {
            level: Some(AdminLevel::BasicUser),
            ..ListFilter::default()
        },
        ListFilter {
            role: role(),
            ..ListFilter::default()
        },
        ListFilter {
            account: Some(3),
            ..ListFilter::default()
        },
        ListFilter {
            status: Some(UserStatus::Invited),
            ..ListFilter::default()
        },
        ListFilter {
            status: Some(UserStatus::Active),
            level: Some(AdminLevel::BasicUser),
            role: role(),
            account: Some(3),
            ..ListFilter::default()
        },
        ListFilter {
            search: Some(Search::Substring("garcia".to_owned())),
            level: Some(AdminLevel::BasicUser),
            ..ListFilter::default()
        },
        ListFilter {
            search: Some(Search::Prefix("li".to_owned())),
            role: role(),
            account: Some(3),
            ..ListFilter::default()
        },
    ]
}

#[test]
fn filters_search_their_indexes() {
    let app = start();
    for filter in indexed_filters() {
        let count = plan(&app, &count_sql(&filter));
        assert_no_users_scan(&format!("count of {filter:?}"), &count);
        let ids = plan(&app, &matching_ids_in_order_sql(&filter));
        assert_no_users_scan(&format!("bulk selection of {filter:?}"), &ids);
        for sort in UserSort::ALL {
            for direction in [SortDirection::Asc, SortDirection::Desc] {
                let label = format!("page of {filter:?} sorted by {sort:?} {direction:?}");
                let page = plan(
                    &app,
                    &sorted_page_sql(&filter, sort, direction, PageStrategy::Matches),
                );
                assert_no_users_scan(&label, &page);
            }
        }
    }
}

#[test]
fn filter_totals_read_group_counts() {
    let app = start();
    let role = || Some("ordering".to_owned());
    let grouped = [
        ListFilter {
            level: Some(AdminLevel::BasicUser),
            ..ListFilter::default()
        },
        ListFilter {
            status: Some(UserStatus::Active),
            level: Some(AdminLevel::BasicUser),
            role: role(),
            ..ListFilter::default()
        },
        ListFilter {
            status: Some(UserStatus::Invited),
            account: Some(3),
            ..ListFilter::default()
        },
    ];
    for filter in grouped {
        let count = plan(&app, &count_sql(&filter));
        let reads_one_group = count.len() == 1
            && count[0].starts_with(
                "SEARCH user_group_counts USING PRIMARY KEY (role_id=? AND account_id=?",
            );
        assert!(reads_one_group, "count of {filter:?}: {count:#?}");
    }

    let status_and_level = ListFilter {
        status: Some(UserStatus::Invited),
        level: Some(AdminLevel::AccountAdmin),
        ..ListFilter::default()
    };
    let matches = plan(
        &app,
        &sorted_ids_sql(
            &status_and_level,
            UserSort::Created,
            SortDirection::Desc,
            PageStrategy::Matches,
        ),
    );
    assert!(
        matches[0].contains("USING COVERING INDEX users_list_status_admin_level")
            || matches[0].contains("USING INDEX users_list_status_admin_level"),
        "the matches of a status and level come from their index: {matches:#?}"
    );

    // With a role and an account, the account's users are looked up and checked for the role,
    // never the reverse, which would read every user of the role.
    let role_and_account = ListFilter {
        role: role(),
        account: Some(3),
        ..ListFilter::default()
    };
    let count = plan(&app, &count_sql(&role_and_account));
    assert!(
        count
            .iter()
            .any(|line| line.contains("SEARCH user_accounts USING COVERING INDEX")),
        "the account's users are looked up: {count:#?}"
    );
    assert!(
        count
            .iter()
            .any(|line| line.starts_with("SEARCH r EXISTS USING PRIMARY KEY (user_id=?")),
        "the role is checked per user: {count:#?}"
    );
    assert!(
        !count
            .iter()
            .any(|line| line.contains("user_roles_role_id (role_id=?)")),
        "no lookup of the role's users: {count:#?}"
    );
}

#[test]
fn level_filter_reads_users_in_username_order() {
    let app = start();
    let filter = ListFilter {
        level: Some(AdminLevel::BasicUser),
        ..ListFilter::default()
    };
    let ids = plan(
        &app,
        &sorted_ids_sql(
            &filter,
            UserSort::Username,
            SortDirection::Asc,
            PageStrategy::Matches,
        ),
    );
    assert!(
        ids.iter()
            .any(|line| line.contains("users_admin_level_username")),
        "the level filter reads its username-ordered index: {ids:#?}"
    );
    assert!(
        ids.iter().all(|line| !line.contains("TEMP B-TREE")),
        "and needs no sort: {ids:#?}"
    );
}

#[test]
fn dense_filters_walk_the_sort_index() {
    let app = start();
    // A prefix search's own UNION sorts its ids, which would hide a sort of the users here.
    let filters = indexed_filters()
        .into_iter()
        .filter(|filter| !matches!(filter.search, Some(Search::Prefix(_))));
    for filter in filters {
        for sort in UserSort::ALL {
            for direction in [SortDirection::Asc, SortDirection::Desc] {
                let label = format!("walk of {filter:?} sorted by {sort:?} {direction:?}");
                let index = sort_index(sort, direction);
                let sql = sorted_ids_sql(&filter, sort, direction, PageStrategy::SortIndex);
                let ids = plan(&app, &sql);
                assert!(
                    ids.iter()
                        .all(|line| !line.contains("TEMP B-TREE FOR ORDER BY")),
                    "{label} needs no sort of the users: {ids:#?}"
                );
                let reads_index = |line: &String| {
                    let is_users = line.starts_with("SCAN u ") || line.starts_with("SEARCH u ");
                    is_users && (line.ends_with(index) || line.contains(&format!("{index} (")))
                };
                assert!(
                    ids.iter().any(reads_index),
                    "{label} reads users in the order of {index}: {ids:#?}"
                );
            }
        }
    }
}

#[test]
fn page_strategy_reads_fewer_users() {
    let all = 100_000;
    let cases = [
        (90_000, 125, PageStrategy::SortIndex, "most users match"),
        (100, 125, PageStrategy::Matches, "few users match"),
        (
            5_000,
            125,
            PageStrategy::SortIndex,
            "an early page of a 5% filter",
        ),
        (
            5_000,
            5_000,
            PageStrategy::Matches,
            "the last page of a 5% filter",
        ),
    ];
    for (matches, end, expected, label) in cases {
        assert_eq!(PageStrategy::choose(matches, all, end), expected, "{label}");
    }
}
