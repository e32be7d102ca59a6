//! Guards `POST /users/bulk-status`: a preview changes nothing, an execution gives each user
//! the outcome of the single-user rules with their side effects (sessions ended, invitation
//! emailed), the order and counts of the response, the `matching` selection, and the 403, 422
//! and 400 responses.

mod common;

use axum::http::{Method, StatusCode};
use common::{
    ADMIN_ID, PRIYA_ID, TestApp, TestResponse, VIEWER_ID, assert_error_fields, create_user, outbox,
};
use console_server::db::bulk_status::{self, BulkChange, PreparedInvitation, Selection};
use console_server::db::list_filter::ListFilter;
use domain::{BulkOutcome, StatusAction, UserStatus};
use serde_json::{Value, json};

const PATH: &str = "/users/bulk-status";
/// A seeded user who is deactivated.
const AMARA: &str = "amara.nwosu";

async fn id_of(app: &TestApp, cookie: &str, username: &str) -> i64 {
    let response = app.get(&format!("/users?q={username}"), Some(cookie)).await;
    let users = response.body["users"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    users
        .iter()
        .find(|user| user["username"] == username)
        .and_then(|user| user["id"].as_i64())
        .unwrap_or_else(|| panic!("no user {username}: {}", response.body))
}

async fn user_json(app: &TestApp, cookie: &str, id: i64) -> Value {
    let response = app.get(&format!("/users/{id}"), Some(cookie)).await;
    assert_eq!(response.status, StatusCode::OK, "read user {id}");
    response.body
}

/// Counts the stored emails to every recipient.
fn stored_email_count(app: &TestApp) -> usize {
    app.state
        .db
        .with_connection(|connection| Ok(console_server::db::outbox::list(connection, None)?))
        .expect("outbox should be read")
        .len()
}

async fn bulk(app: &TestApp, cookie: &str, body: Value) -> TestResponse {
    app.post(PATH, Some(cookie), Some(body)).await
}

/// Sends `body` as it is, so that it can be JSON that the request type can't represent.
async fn bulk_raw(app: &TestApp, cookie: &str, body: String) -> TestResponse {
    app.send_raw(
        Method::POST,
        &format!("/api/v1{PATH}"),
        Some(cookie),
        Some("application/json"),
        Some(body),
    )
    .await
}

/// Returns (id, outcome) of each line of a bulk response.
fn outcomes(response: &TestResponse) -> Vec<(i64, String)> {
    let lines = response.body["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    lines
        .iter()
        .map(|line| {
            (
                line["id"].as_i64().unwrap_or_default(),
                line["outcome"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn outcome_of(response: &TestResponse, id: i64) -> String {
    outcomes(response)
        .into_iter()
        .find(|(line_id, _)| *line_id == id)
        .map(|(_, outcome)| outcome)
        .unwrap_or_else(|| panic!("no line for user {id}: {}", response.body))
}

#[tokio::test]
async fn preview_changes_nothing() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let viewer = app.viewer().await;
    let before = user_json(&app, &admin, PRIYA_ID).await;
    let emails_before = stored_email_count(&app);

    let response = bulk(
        &app,
        &admin,
        json!({"action": "deactivate", "selection": {"ids": [PRIYA_ID, VIEWER_ID]}, "dry_run": true}),
    )
    .await;

    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    assert_eq!(response.body["dry_run"], true, "the answer is a preview");
    assert_eq!(response.body["changed"], 2, "both would change");
    assert_eq!(outcome_of(&response, PRIYA_ID), "changed");
    let priya = &response.body["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|line| line["id"] == PRIYA_ID)
        .cloned()
        .expect("priya's line");
    assert_eq!(priya["status"], "active", "a preview shows the status now");
    let after = user_json(&app, &admin, PRIYA_ID).await;
    assert_eq!(
        after, before,
        "a preview neither changes nor versions the user"
    );
    let session = app.get("/users", Some(&viewer)).await;
    assert_eq!(session.status, StatusCode::OK, "a preview ends no session");

    let reactivation = bulk(
        &app,
        &admin,
        json!({"action": "reactivate", "selection": {"matching": {"status": "deactivated"}}, "dry_run": true}),
    )
    .await;
    assert_eq!(
        reactivation.status,
        StatusCode::OK,
        "body: {}",
        reactivation.body
    );
    let deactivated = app.get("/users?status=deactivated", Some(&admin)).await;
    assert_eq!(
        reactivation.body["changed"], deactivated.body["total"],
        "every deactivated user would be reactivated"
    );
    assert_eq!(
        stored_email_count(&app),
        emails_before,
        "a preview stores no email"
    );
}

#[tokio::test]
async fn execution_gives_each_user_an_outcome() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let viewer = app.viewer().await;
    let amara = id_of(&app, &admin, AMARA).await;
    let priya_before = user_json(&app, &admin, PRIYA_ID).await;
    let ids = json!([
        PRIYA_ID, 99_999, ADMIN_ID, amara, VIEWER_ID, PRIYA_ID, 99_998
    ]);

    let response = bulk(
        &app,
        &admin,
        json!({"action": "deactivate", "selection": {"ids": ids}}),
    )
    .await;

    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    assert_eq!(response.body["dry_run"], false, "an execution");
    let expected = vec![
        (ADMIN_ID, "yourself".to_owned()),
        (amara, "already_in_state".to_owned()),
        (PRIYA_ID, "changed".to_owned()),
        (VIEWER_ID, "changed".to_owned()),
        (99_998, "not_found".to_owned()),
        (99_999, "not_found".to_owned()),
    ];
    assert_eq!(
        outcomes(&response),
        expected,
        "one line per distinct id, in username order, unknown ids last"
    );
    assert_eq!(response.body["changed"], 2, "changed count");
    assert_eq!(response.body["skipped"], 4, "skipped count");
    let priya = user_json(&app, &admin, PRIYA_ID).await;
    assert_eq!(priya["status"], "deactivated", "priya is deactivated");
    assert_eq!(
        priya["version"].as_u64(),
        priya_before["version"].as_u64().map(|v| v + 1),
        "the version rises as for a single change"
    );
    let session = app.get("/users", Some(&viewer)).await;
    assert_eq!(
        session.status,
        StatusCode::UNAUTHORIZED,
        "the deactivated viewer's session ended"
    );
    let own = app.get("/users", Some(&admin)).await;
    assert_eq!(own.status, StatusCode::OK, "the admin stays signed in");
    let missing = &response.body["results"][4];
    assert_eq!(
        missing["username"],
        Value::Null,
        "an unknown id has no user"
    );
    assert_eq!(
        missing["status"],
        Value::Null,
        "an unknown id has no status"
    );
}

#[tokio::test]
async fn reactivation_of_never_activated_user_invites() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let email = "nina.invited@example.com";
    let nina = create_user(&app, &admin, "nina.invited", email).await;
    let deactivated = app
        .post(&format!("/users/{nina}/deactivate"), Some(&admin), None)
        .await;
    assert_eq!(deactivated.status, StatusCode::OK, "deactivate nina");
    let emails_before = outbox(&app, email).await.len();

    let response = bulk(
        &app,
        &admin,
        json!({"action": "reactivate", "selection": {"ids": [nina, PRIYA_ID]}}),
    )
    .await;

    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    assert_eq!(outcome_of(&response, nina), "changed");
    assert_eq!(
        outcome_of(&response, PRIYA_ID),
        "already_in_state",
        "priya is active"
    );
    let line = response.body["results"]
        .as_array()
        .and_then(|lines| lines.iter().find(|line| line["id"] == nina).cloned())
        .expect("nina's line");
    assert_eq!(line["status"], "invited", "nina returns to invited");
    let emails = outbox(&app, email).await;
    assert_eq!(
        emails.len(),
        emails_before + 1,
        "a new invitation email is queued"
    );
    let token = common::token_of(&emails[0].body);
    let lookup = app
        .post("/invitations/lookup", None, Some(json!({ "token": token })))
        .await;
    assert_eq!(
        lookup.status,
        StatusCode::OK,
        "the new link works: {}",
        lookup.body
    );
}

#[tokio::test]
async fn matching_selection_uses_list_filter() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let listed = app
        .get(
            "/users?status=deactivated&level=basic_user&per_page=100",
            Some(&admin),
        )
        .await;
    let listed_ids: Vec<i64> = listed.body["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|user| user["id"].as_i64())
        .collect();
    assert!(
        listed_ids.len() >= 2,
        "the seed has deactivated basic users"
    );

    let response = bulk(
        &app,
        &admin,
        json!({"action": "reactivate", "selection": {"matching": {"status": "deactivated", "level": "basic_user"}}}),
    )
    .await;

    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    let ids: Vec<i64> = outcomes(&response).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, listed_ids, "the same users as the list, in its order");
    assert!(
        outcomes(&response)
            .iter()
            .all(|(_, outcome)| outcome == "changed"),
        "every match is reactivated: {}",
        response.body
    );
    let after = app
        .get("/users?status=deactivated&level=basic_user", Some(&admin))
        .await;
    assert_eq!(after.body["total"], 0, "no deactivated basic user is left");
}

#[tokio::test]
async fn preview_then_execution_match() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let selection = json!({"matching": {"q": "meridianlabs"}});

    let preview = bulk(
        &app,
        &admin,
        json!({"action": "deactivate", "selection": selection, "dry_run": true}),
    )
    .await;
    assert_eq!(preview.status, StatusCode::OK, "body: {}", preview.body);
    let changing: Vec<i64> = outcomes(&preview)
        .into_iter()
        .filter(|(_, outcome)| outcome == "changed")
        .map(|(id, _)| id)
        .collect();
    assert!(!changing.is_empty(), "some users would change");

    let execution = bulk(
        &app,
        &admin,
        json!({"action": "deactivate", "selection": {"ids": changing}}),
    )
    .await;
    assert_eq!(execution.status, StatusCode::OK, "body: {}", execution.body);
    let changed: Vec<i64> = outcomes(&execution)
        .into_iter()
        .filter(|(_, outcome)| outcome == "changed")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(changed, changing, "exactly the previewed users change");
}

#[test]
fn last_active_admin_is_skipped() {
    let app = TestApp::start();
    let active_admins: Vec<i64> = app
        .state
        .db
        .with_connection(|connection| {
            let mut statement = connection.prepare(
                "SELECT id FROM users WHERE admin_level = 'account_admin' \
                 AND status = 'active' AND is_invited = 0 ORDER BY id",
            )?;
            let ids = statement.query_map([], |row| row.get(0))?;
            Ok(ids.collect::<rusqlite::Result<Vec<i64>>>()?)
        })
        .expect("admins should be read");
    assert!(
        active_admins.len() >= 2,
        "the seed has several active admins"
    );

    for dry_run in [true, false] {
        // The viewer is no admin, so every active admin is in the selection and not the
        // requester: the change deactivates all but the last.
        let change = BulkChange {
            actor_id: VIEWER_ID,
            action: StatusAction::Deactivate,
            selection: Selection::Matching(ListFilter {
                level: Some(domain::AdminLevel::AccountAdmin),
                status: Some(UserStatus::Active),
                ..ListFilter::default()
            }),
            dry_run,
        };
        let mut no_invitation = || -> Result<PreparedInvitation<()>, _> {
            panic!("a deactivation sends no invitation")
        };
        let output = app
            .state
            .db
            .with_connection(|connection| {
                bulk_status::run(connection, change, &mut no_invitation)
                    .map_err(|error| anyhow::anyhow!("{error:?}"))
            })
            .expect("the bulk change should run");
        let last: Vec<_> = output
            .result
            .results
            .iter()
            .filter(|line| line.outcome == BulkOutcome::LastAccountAdmin)
            .collect();
        assert_eq!(last.len(), 1, "one admin is kept, dry run {dry_run}");
        assert_eq!(
            output.result.changed as usize,
            active_admins.len() - 1,
            "the others change, dry run {dry_run}"
        );
    }
}

#[tokio::test]
async fn basic_user_is_forbidden() {
    let app = TestApp::start();
    let viewer = app.viewer().await;
    let response = bulk(
        &app,
        &viewer,
        json!({"action": "deactivate", "selection": {"ids": [PRIYA_ID]}, "dry_run": true}),
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::FORBIDDEN,
        "body: {}",
        response.body
    );
}

#[tokio::test]
async fn bad_selections_are_422_at_selection() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let too_many: Vec<i64> = (1..=10_001).collect();
    let cases = [
        ("no ids", json!({"ids": []})),
        ("too many ids", json!({ "ids": too_many })),
        ("no match", json!({"matching": {"q": "zzz-no-match"}})),
        ("unknown role", json!({"matching": {"role": "astronaut"}})),
        ("unknown account", json!({"matching": {"account": 999}})),
    ];
    for (label, selection) in cases {
        let response = bulk(
            &app,
            &admin,
            json!({"action": "deactivate", "selection": selection, "dry_run": true}),
        )
        .await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{label}: {}",
            response.body
        );
        assert_error_fields(&response, &["selection"]);
    }
}

#[tokio::test]
async fn unreadable_bodies_are_400() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let bodies = [
        ("not JSON", "{".to_owned()),
        (
            "unknown action",
            json!({"action": "delete", "selection": {"ids": [3]}}).to_string(),
        ),
        (
            "unknown field",
            json!({"action": "deactivate", "selection": {"ids": [3]}, "force": true}).to_string(),
        ),
        (
            "two selections",
            json!({"action": "deactivate", "selection": {"ids": [3], "matching": {}}}).to_string(),
        ),
    ];
    for (label, body) in bodies {
        let response = bulk_raw(&app, &admin, body).await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "{label}: {}",
            response.body
        );
    }
}

#[tokio::test]
async fn bad_selections_name_the_expected_shape() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let cases = [
        (
            json!({"ids": [3], "matching": {}}),
            "The field \"selection\" must be an object with exactly one member",
        ),
        (
            json!({"matching": {"q": "ann", "sort": "email"}}),
            "unknown field \"selection.matching.sort\". Expected there: q, status, level, role, \
             account.",
        ),
    ];
    for (selection, expected) in cases {
        let body = json!({"action": "deactivate", "selection": selection}).to_string();
        let response = bulk_raw(&app, &admin, body).await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "{}",
            response.body
        );
        let message = response.body["message"].as_str().unwrap_or_default();
        assert!(message.contains(expected), "{selection}: {message}");
    }
}

#[tokio::test]
async fn largest_selection_fits_in_one_request() {
    let app = TestApp::start();
    let admin = app.admin().await;
    // 10,000 ids of 19 digits each, the longest body a bulk change can need.
    let ids: Vec<i64> = (0..10_000).map(|i| i64::MAX - i).collect();

    let response = bulk(
        &app,
        &admin,
        json!({"action": "deactivate", "selection": {"ids": ids}, "dry_run": true}),
    )
    .await;

    assert_eq!(response.status, StatusCode::OK, "body: {}", response.body);
    assert_eq!(response.body["skipped"], 10_000, "no user has these ids");
}
