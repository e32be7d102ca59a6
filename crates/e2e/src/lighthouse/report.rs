//! Reads what the summary needs out of a Lighthouse JSON report (the format of Lighthouse 12):
//! the score of each category and the audits that did not pass.

use serde_json::Value;

use crate::Result;

/// Score modes of audits that pass or fail. Audits in the other modes (`informative`,
/// `manual`, `notApplicable`) have no score, and `error` means the audit could not run.
const SCORED_MODES: [&str; 3] = ["binary", "numeric", "metricSavings"];

/// What one Lighthouse run found.
#[derive(Debug)]
pub struct Report {
    pub lighthouse_version: String,
    /// Start of the run as Lighthouse writes it, ISO 8601 in UTC.
    pub fetch_time: String,
    /// Address of the page when the audit ended, after any redirect.
    pub final_url: String,
    /// Emulated screen in CSS pixels, such as `412×823`.
    pub screen: String,
    /// Categories in the report's order.
    pub categories: Vec<Category>,
    /// Warnings about the run, such as a page that did not finish loading.
    pub warnings: Vec<String>,
}

/// One category of a report, such as Accessibility.
#[derive(Debug)]
pub struct Category {
    /// Lighthouse's id, such as `best-practices`.
    pub id: String,
    pub title: String,
    /// Score from 0 to 100, or `None` when Lighthouse could not compute it.
    pub score: Option<u32>,
    /// Audits of the category that scored below 1 or could not run, in the report's order.
    pub failing_audits: Vec<FailingAudit>,
    /// Unscored audits of the category that found something, such as a missing
    /// Content-Security-Policy header.
    pub informative_findings: Vec<InformativeFinding>,
}

/// An audit that scored below 1 or could not run.
#[derive(Debug)]
pub struct FailingAudit {
    pub id: String,
    pub title: String,
    /// Weight in the category's score. An audit of weight 0 does not lower the score.
    pub weight: f64,
    /// The measured value as Lighthouse shows it (such as `0.085`), or the error of an audit
    /// that could not run. It is often empty.
    pub detail: String,
}

/// What an unscored (`informative`) audit found.
#[derive(Debug)]
pub struct InformativeFinding {
    pub id: String,
    pub title: String,
    /// The descriptions of the audit's items, such as `No HSTS header found`.
    pub descriptions: Vec<String>,
}

impl Report {
    /// Reads a parsed report. Fails when the run itself failed (the report's `runtimeError`)
    /// or a member the summary needs is missing.
    pub fn parse(report: &Value) -> Result<Report> {
        if let Some(error) = report.get("runtimeError") {
            return Err(format!(
                "Lighthouse could not audit the page: {} ({})",
                text_of(&error["message"]),
                text_of(&error["code"])
            )
            .into());
        }
        let categories = report["categories"]
            .as_object()
            .ok_or("the report has no categories")?
            .values()
            .map(|category| parse_category(category, &report["audits"]))
            .collect::<Result<Vec<_>>>()?;
        let screen = &report["configSettings"]["screenEmulation"];
        Ok(Report {
            lighthouse_version: string_member(report, "lighthouseVersion")?,
            fetch_time: string_member(report, "fetchTime")?,
            final_url: string_member(report, "finalDisplayedUrl")?,
            screen: format!("{}×{}", screen["width"], screen["height"]),
            categories,
            warnings: report["runWarnings"]
                .as_array()
                .map(|warnings| warnings.iter().map(text_of).collect())
                .unwrap_or_default(),
        })
    }

    /// Returns the category with Lighthouse's id `id`, such as `accessibility`.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|category| category.id == id)
    }
}

fn parse_category(category: &Value, audits: &Value) -> Result<Category> {
    let id = string_member(category, "id")?;
    let audit_refs = category["auditRefs"]
        .as_array()
        .ok_or_else(|| format!("category {id} has no auditRefs"))?;
    let mut failing_audits = Vec::new();
    let mut informative_findings = Vec::new();
    for audit_ref in audit_refs {
        let audit_id = string_member(audit_ref, "id")?;
        let audit = &audits[&audit_id];
        if audit.is_null() {
            return Err(
                format!("category {id} names the audit {audit_id}, which is missing").into(),
            );
        }
        let weight = audit_ref["weight"].as_f64().unwrap_or(0.0);
        if let Some(failing) = failing_audit(&audit_id, audit, weight) {
            failing_audits.push(failing);
        }
        if let Some(finding) = informative_finding(&audit_id, audit) {
            informative_findings.push(finding);
        }
    }
    Ok(Category {
        title: string_member(category, "title")?,
        score: category["score"]
            .as_f64()
            .map(|score| (score * 100.0).round() as u32),
        failing_audits,
        informative_findings,
        id,
    })
}

/// Returns what an unscored audit found, read from the `description` of each item of its
/// details table. Returns `None` for any other audit and when it found nothing.
fn informative_finding(id: &str, audit: &Value) -> Option<InformativeFinding> {
    if audit["scoreDisplayMode"] != "informative" {
        return None;
    }
    let descriptions: Vec<String> = audit["details"]["items"]
        .as_array()?
        .iter()
        .filter_map(|item| item["description"].as_str())
        .map(str::to_owned)
        .collect();
    if descriptions.is_empty() {
        return None;
    }
    Some(InformativeFinding {
        id: id.to_owned(),
        title: text_of(&audit["title"]),
        descriptions,
    })
}

/// Returns the audit as failing when it scored below 1 or could not run.
fn failing_audit(id: &str, audit: &Value, weight: f64) -> Option<FailingAudit> {
    let mode = audit["scoreDisplayMode"].as_str().unwrap_or_default();
    let detail = if mode == "error" {
        format!("could not run: {}", text_of(&audit["errorMessage"]))
    } else if SCORED_MODES.contains(&mode) && audit["score"].as_f64().is_some_and(|s| s < 1.0) {
        text_of(&audit["displayValue"])
    } else {
        return None;
    };
    Some(FailingAudit {
        id: id.to_owned(),
        title: text_of(&audit["title"]),
        weight,
        detail,
    })
}

fn string_member(object: &Value, name: &str) -> Result<String> {
    match object[name].as_str() {
        Some(text) => Ok(text.to_owned()),
        None => Err(format!("the report has no text member {name:?} where expected").into()),
    }
}

/// Returns a string value as it is, and any other value as JSON text (empty for null).
fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A report shaped like Lighthouse 12's, with one audit of each kind the parser must tell
    /// apart.
    fn sample_report() -> Value {
        json!({
            "lighthouseVersion": "12.8.2",
            "fetchTime": "2026-12-04T19:15:17.081Z",
            "finalDisplayedUrl": "http://127.0.0.1:18928/users",
            "configSettings": { "screenEmulation": { "width": 412, "height": 823 } },
            "runWarnings": ["The page loaded too slowly."],
            "categories": {
                "accessibility": {
                    "id": "accessibility",
                    "title": "Accessibility",
                    "score": 0.957,
                    "auditRefs": [
                        { "id": "color-contrast", "weight": 7 },
                        { "id": "html-has-lang", "weight": 7 },
                        { "id": "tabindex", "weight": 0 },
                        { "id": "logical-tab-order", "weight": 0 }
                    ]
                },
                "best-practices": {
                    "id": "best-practices",
                    "title": "Best Practices",
                    "score": null,
                    "auditRefs": [
                        { "id": "valid-source-maps", "weight": 0 },
                        { "id": "deprecations", "weight": 5 },
                        { "id": "has-hsts", "weight": 0 },
                        { "id": "csp-xss", "weight": 0 }
                    ]
                }
            },
            "audits": {
                "color-contrast": {
                    "title": "Background and foreground colors do not have a sufficient contrast ratio.",
                    "score": 0, "scoreDisplayMode": "binary"
                },
                "html-has-lang": {
                    "title": "`<html>` element has a `[lang]` attribute",
                    "score": 1, "scoreDisplayMode": "binary"
                },
                "tabindex": {
                    "title": "No element has a `[tabindex]` value greater than 0",
                    "score": null, "scoreDisplayMode": "notApplicable"
                },
                "logical-tab-order": {
                    "title": "The page has a logical tab order",
                    "score": null, "scoreDisplayMode": "manual"
                },
                "valid-source-maps": {
                    "title": "Missing source maps for large first-party JavaScript",
                    "score": 0, "scoreDisplayMode": "binary"
                },
                "deprecations": {
                    "title": "Uses deprecated APIs",
                    "score": null, "scoreDisplayMode": "error",
                    "errorMessage": "Protocol error"
                },
                "has-hsts": {
                    "title": "Use a strong HSTS policy",
                    "score": null, "scoreDisplayMode": "informative",
                    "details": { "items": [
                        { "severity": "High", "description": "No HSTS header found" }
                    ] }
                },
                "csp-xss": {
                    "title": "Ensure CSP is effective against XSS attacks",
                    "score": null, "scoreDisplayMode": "informative",
                    "details": { "items": [] }
                }
            }
        })
    }

    #[test]
    fn parse_reads_run_facts() {
        let report = Report::parse(&sample_report()).expect("the sample report parses");

        assert_eq!(report.lighthouse_version, "12.8.2", "Lighthouse version");
        assert_eq!(report.fetch_time, "2026-12-04T19:15:17.081Z", "fetch time");
        assert_eq!(
            report.final_url, "http://127.0.0.1:18928/users",
            "final URL"
        );
        assert_eq!(report.screen, "412×823", "emulated screen");
        assert_eq!(
            report.warnings,
            ["The page loaded too slowly."],
            "run warnings"
        );
    }

    #[test]
    fn parse_rounds_scores_to_percent() {
        let report = Report::parse(&sample_report()).expect("the sample report parses");

        let accessibility = report.category("accessibility").expect("accessibility");
        assert_eq!(accessibility.title, "Accessibility", "category title");
        assert_eq!(accessibility.score, Some(96), "0.957 rounds to 96");
        let best_practices = report.category("best-practices").expect("best practices");
        assert_eq!(best_practices.score, None, "a null score stays unknown");
    }

    #[test]
    fn parse_lists_only_failing_audits() {
        let report = Report::parse(&sample_report()).expect("the sample report parses");

        let accessibility = report.category("accessibility").expect("accessibility");
        let ids: Vec<&str> = accessibility
            .failing_audits
            .iter()
            .map(|audit| audit.id.as_str())
            .collect();
        assert_eq!(
            ids,
            ["color-contrast"],
            "passed, not applicable and manual audits are left out"
        );
        assert_eq!(accessibility.failing_audits[0].weight, 7.0, "weight");
    }

    #[test]
    fn parse_keeps_weightless_and_errored_audits() {
        let report = Report::parse(&sample_report()).expect("the sample report parses");

        let best_practices = report.category("best-practices").expect("best practices");
        let audits = &best_practices.failing_audits;
        assert_eq!(audits.len(), 2, "both audits are listed: {audits:?}");
        assert_eq!(audits[0].id, "valid-source-maps", "weight 0 still fails");
        assert_eq!(audits[0].weight, 0.0, "its weight is kept");
        assert_eq!(audits[1].id, "deprecations", "an errored audit fails");
        assert_eq!(
            audits[1].detail, "could not run: Protocol error",
            "the error is kept"
        );
    }

    #[test]
    fn parse_keeps_informative_findings() {
        let report = Report::parse(&sample_report()).expect("the sample report parses");

        let best_practices = report.category("best-practices").expect("best practices");
        let findings = &best_practices.informative_findings;
        assert_eq!(
            findings.len(),
            1,
            "an audit that found nothing is left out: {findings:?}"
        );
        assert_eq!(findings[0].id, "has-hsts", "audit id");
        assert_eq!(
            findings[0].descriptions,
            ["No HSTS header found"],
            "what it found"
        );
    }

    #[test]
    fn parse_rejects_failed_run() {
        let report = json!({
            "runtimeError": { "code": "NO_FCP", "message": "The page did not paint any content." }
        });

        let error = Report::parse(&report).expect_err("a failed run is an error");

        let message = error.to_string();
        assert!(message.contains("NO_FCP"), "names the code: {message}");
        assert!(
            message.contains("did not paint"),
            "carries the message: {message}"
        );
    }
}
