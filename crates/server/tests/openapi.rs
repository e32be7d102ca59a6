//! Guards the OpenAPI document against the router: both are checked against the one
//! operations table the router is built from, and every documented path is served.

mod common;

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use common::TestApp;
use console_server::{OPENAPI_DOCUMENT, OPERATIONS};
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn document() -> Value {
    serde_json::from_str(OPENAPI_DOCUMENT).expect("the OpenAPI document should be valid JSON")
}

fn documented_operations(document: &Value) -> BTreeSet<(String, String)> {
    let paths = document["paths"]
        .as_object()
        .expect("the document should have paths");
    let mut operations = BTreeSet::new();
    for (path, item) in paths {
        for method in METHODS {
            if item.get(method).is_some() {
                operations.insert((method.to_owned(), path.clone()));
            }
        }
    }
    operations
}

#[test]
fn document_lists_exactly_the_served_operations() {
    let document = document();
    let served: BTreeSet<(String, String)> = OPERATIONS
        .iter()
        .map(|&(method, path)| (method.to_owned(), path.to_owned()))
        .collect();

    let documented = documented_operations(&document);

    assert_eq!(
        document["openapi"].as_str().map(|v| &v[..2]),
        Some("3."),
        "OpenAPI 3 document"
    );
    assert_eq!(
        document["servers"][0]["url"], "/api/v1",
        "paths are relative to /api/v1"
    );
    let missing: Vec<_> = served.difference(&documented).collect();
    assert!(missing.is_empty(), "served but not documented: {missing:?}");
    let extra: Vec<_> = documented.difference(&served).collect();
    assert!(extra.is_empty(), "documented but not served: {extra:?}");
}

#[test]
fn every_operation_has_responses_and_every_reference_resolves() {
    let document = document();
    for (method, path) in documented_operations(&document) {
        let operation = &document["paths"][&path][&method];
        assert!(
            operation["operationId"].is_string(),
            "{method} {path} has an operationId"
        );
        let responses = operation["responses"].as_object();
        assert!(
            responses.is_some_and(|r| !r.is_empty()),
            "{method} {path} has responses"
        );
    }
    let text = OPENAPI_DOCUMENT;
    for reference in text.split("\"$ref\": \"#/").skip(1) {
        let pointer = format!("/{}", reference.split('"').next().unwrap_or_default());
        assert!(
            document.pointer(&pointer).is_some(),
            "unresolved $ref #{pointer}"
        );
    }
    let error = &document["components"]["schemas"]["ApiError"]["properties"];
    assert!(
        error["message"].is_object() && error["fields"].is_object(),
        "error schema"
    );
}

#[tokio::test]
async fn every_documented_path_is_served() {
    let app = TestApp::start();
    let admin = app.admin().await;
    let mut operations: Vec<_> = documented_operations(&document()).into_iter().collect();
    // Sign out last, so the other requests keep their session.
    operations.sort_by_key(|(method, _)| method == "delete");

    for (method, path) in operations {
        let uri = path.replace("{id}", "2");
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let response = app.send(method.clone(), &uri, Some(&admin), None).await;
        assert_ne!(
            response.status,
            StatusCode::NOT_FOUND,
            "{method} {uri} should be served"
        );
        assert_ne!(
            response.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {uri} method"
        );
    }
}

#[tokio::test]
async fn served_document_is_the_included_file() {
    let app = TestApp::start();

    let response = app.get("/openapi.json", None).await;

    assert_eq!(response.status, StatusCode::OK, "document is served");
    let content_type = response
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok());
    assert_eq!(content_type, Some("application/json"), "served as JSON");
    assert_eq!(
        response.body,
        document(),
        "served document equals the included file"
    );
}
