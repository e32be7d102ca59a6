//! Guards `user_group_counts`, the counts of users per role and account by status and level
//! that give the totals of filtered lists. The test makes each kind of change the API makes:
//! a new user, an edit of level, roles and accounts, a deactivation, a reactivation, a bulk
//! change and an accepted invitation. It also changes a role row and an account row directly.
//! After each change, the stored counts must equal counts computed from the users, their
//! roles and their accounts.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::json;

/// One row of counts: role id ('' for any), account id (0 for any), status, level, count.
type CountRow = (String, i64, String, String, i64);

/// Returns the non-zero stored counts, in key order.
fn stored(app: &TestApp) -> Vec<CountRow> {
    rows(
        app,
        "SELECT role_id, account_id, list_status, admin_level, count FROM user_group_counts \
         WHERE count != 0 ORDER BY 1, 2, 3, 4",
    )
}

/// Returns the counts computed from the users, their roles and their accounts, in key order.
fn computed(app: &TestApp) -> Vec<CountRow> {
    rows(
        app,
        "SELECT * FROM ( \
             SELECT '' AS role_id, 0 AS account_id, list_status, admin_level, count(*) \
             FROM users GROUP BY list_status, admin_level \
             UNION ALL \
             SELECT r.role_id, 0, u.list_status, u.admin_level, count(*) \
             FROM user_roles r JOIN users u ON u.id = r.user_id \
             GROUP BY r.role_id, u.list_status, u.admin_level \
             UNION ALL \
             SELECT '', a.account_id, u.list_status, u.admin_level, count(*) \
             FROM user_accounts a JOIN users u ON u.id = a.user_id \
             GROUP BY a.account_id, u.list_status, u.admin_level \
         ) ORDER BY 1, 2, 3, 4",
    )
}

fn rows(app: &TestApp, sql: &str) -> Vec<CountRow> {
    app.state
        .db
        .with_connection(|connection| {
            let mut statement = connection.prepare(sql)?;
            let rows = statement.query_map([], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<CountRow>>>()?)
        })
        .unwrap_or_else(|error| panic!("counts should be read: {error:#}"))
}

#[track_caller]
fn assert_counts_match(app: &TestApp, after: &str) {
    assert_eq!(stored(app), computed(app), "the counts after {after}");
}

/// Returns the total of the list at `query`, which a filter without a search takes from the
/// group counts.
async fn total(app: &TestApp, cookie: &str, query: &str) -> i64 {
    let response = app.get(&format!("/users?{query}"), Some(cookie)).await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{query}: {}",
        response.body
    );
    response.body["total"].as_i64().expect("a total")
}

#[tokio::test]
async fn counts_follow_every_change() {
    let app = TestApp::start_with(|config| {
        config.seed_users = 120;
        config.seed_accounts = 4;
    });
    let admin = app.admin().await;
    assert_counts_match(&app, "seeding");

    // The new user has the roles ordering and reporting and the accounts 1 and 2.
    let id = common::create_user(&app, &admin, "count.check", "count.check@example.com").await;
    assert_counts_match(&app, "a new user");
    let invited_orderers = "status=invited&role=ordering&level=basic_user";
    let before_acceptance = total(&app, &admin, invited_orderers).await;

    let token = common::latest_token(&app, "count.check@example.com").await;
    let accepted = app
        .post(
            "/invitations/accept",
            None,
            Some(json!({"token": token, "password": "a long enough password"})),
        )
        .await;
    assert_eq!(
        accepted.status,
        StatusCode::NO_CONTENT,
        "body: {}",
        accepted.body
    );
    assert_counts_match(&app, "an accepted invitation");
    assert_eq!(
        total(&app, &admin, invited_orderers).await,
        before_acceptance - 1,
        "the user left the invited orderers"
    );

    let etag = common::etag_of(&app, &admin, id).await;
    let edit = json!({
        "first_name": "Count",
        "last_name": "Check",
        "email": "count.check@example.com",
        "work_phone": "",
        "admin_level": "account_admin",
        "roles": ["porting"],
        "account_ids": [3],
    });
    let edited = app
        .send_with_headers(
            Method::PATCH,
            &format!("/users/{id}"),
            Some(&admin),
            &[("if-match", &etag)],
            Some(edit),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "body: {}", edited.body);
    assert_counts_match(&app, "an edit of level, roles and accounts");

    let deactivated = app
        .post(&format!("/users/{id}/deactivate"), Some(&admin), None)
        .await;
    assert_eq!(
        deactivated.status,
        StatusCode::OK,
        "body: {}",
        deactivated.body
    );
    assert_counts_match(&app, "a deactivation");
    let reactivated = app
        .post(&format!("/users/{id}/reactivate"), Some(&admin), None)
        .await;
    assert_eq!(
        reactivated.status,
        StatusCode::OK,
        "body: {}",
        reactivated.body
    );
    assert_counts_match(&app, "a reactivation");

    let filter = json!({"role": "ordering", "account": 1});
    let bulk = app
        .post(
            "/users/bulk-status",
            Some(&admin),
            Some(json!({"action": "deactivate", "selection": {"matching": filter}})),
        )
        .await;
    assert_eq!(bulk.status, StatusCode::OK, "body: {}", bulk.body);
    assert!(
        bulk.body["changed"].as_i64().unwrap_or_default() > 0,
        "the bulk change changed someone: {}",
        bulk.body
    );
    assert_counts_match(&app, "a bulk deactivation");
    let kept_active = bulk.body["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|line| line["outcome"] != "changed" && line["status"] == "active")
        .count();
    assert_eq!(
        total(&app, &admin, "status=active&role=ordering&account=1").await,
        kept_active as i64,
        "only the skipped orderers of account 1 are active: {}",
        bulk.body
    );

    app.state
        .db
        .with_connection(|connection| {
            // One of the user's roles becomes a role the user lacks; the same for an account.
            let roles = connection.execute(
                "UPDATE user_roles SET role_id = (SELECT id FROM roles WHERE id NOT IN \
                     (SELECT role_id FROM user_roles WHERE user_id = ?1) ORDER BY id LIMIT 1) \
                 WHERE user_id = ?1 \
                     AND role_id = (SELECT min(role_id) FROM user_roles WHERE user_id = ?1)",
                [id],
            )?;
            let accounts = connection.execute(
                "UPDATE user_accounts SET account_id = (SELECT id FROM accounts WHERE id NOT IN \
                     (SELECT account_id FROM user_accounts WHERE user_id = ?1) \
                     ORDER BY id LIMIT 1) \
                 WHERE user_id = ?1 AND account_id = \
                     (SELECT min(account_id) FROM user_accounts WHERE user_id = ?1)",
                [id],
            )?;
            assert_eq!((roles, accounts), (1, 1), "one row of each changed");
            Ok(())
        })
        .expect("the rows should change");
    assert_counts_match(&app, "direct changes of role and account rows");
}
