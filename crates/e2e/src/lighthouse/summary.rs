//! The summary of all Lighthouse runs: each score against its target, as Markdown for people
//! (docs/lighthouse.md) and as small JSON for programs (docs/lighthouse.json).

use serde_json::{Value, json};

use super::{Category, FailingAudit, FormFactor, Page, Report, shared_arguments};

/// Minimum score (0 to 100) of each category that has a target, by Lighthouse's id.
pub const TARGETS: [(&str, u32); 2] = [("accessibility", 100), ("best-practices", 100)];

/// Order of the score columns. Performance has no target.
const CATEGORY_COLUMNS: [&str; 3] = ["accessibility", "best-practices", "performance"];

/// What Lighthouse found on one page with one form factor.
pub struct PageResult {
    pub page: &'static Page,
    pub form_factor: FormFactor,
    pub report: Report,
}

/// Every run of one `cargo xtask lighthouse`, in the order they ran.
pub struct Summary {
    /// Output of `chromium --version`.
    pub chromium_version: String,
    /// Path of the Chromium that Lighthouse started (CHROME_PATH).
    pub chrome_path: String,
    pub results: Vec<PageResult>,
}

impl Summary {
    /// Returns one line per score below its target, such as
    /// `Users list (mobile): Accessibility 96, target 100`. It is empty when every target is met.
    pub fn misses(&self) -> Vec<String> {
        let mut misses = Vec::new();
        for result in &self.results {
            for (id, target) in TARGETS {
                let category = result.report.category(id);
                let score = category.and_then(|category| category.score);
                if score.is_some_and(|score| score >= target) {
                    continue;
                }
                let title = category.map_or(id, |category| category.title.as_str());
                misses.push(format!(
                    "{} ({}): {title} {}, target {target}",
                    result.page.title,
                    result.form_factor.name(),
                    score_text(score)
                ));
            }
        }
        misses
    }

    /// Returns the scores as JSON: versions, targets, and per run the scores and the ids of
    /// the failing audits (the same audits as the Markdown lists).
    pub fn json(&self) -> Value {
        let runs: Vec<Value> = self.results.iter().map(run_json).collect();
        let targets: serde_json::Map<String, Value> = TARGETS
            .iter()
            .map(|&(id, target)| (id.to_owned(), json!(target)))
            .collect();
        json!({
            "date": self.date(),
            "lighthouse_version": self.lighthouse_version(),
            "chromium_version": self.chromium_version,
            "targets": targets,
            "runs": runs,
        })
    }

    /// Returns docs/lighthouse.md: versions, command, the score table and the failing audits.
    pub fn markdown(&self) -> String {
        let mut text = String::new();
        self.write_introduction(&mut text);
        self.write_scores(&mut text);
        self.write_failing_audits(&mut text);
        self.write_informative_findings(&mut text);
        self.write_warnings(&mut text);
        self.write_command(&mut text);
        text
    }

    /// Returns the day of the first run, such as `2026-12-04` (UTC).
    fn date(&self) -> &str {
        self.results.first().map_or("", |result| {
            result.report.fetch_time.get(..10).unwrap_or("")
        })
    }

    fn lighthouse_version(&self) -> &str {
        self.results
            .first()
            .map_or("", |result| result.report.lighthouse_version.as_str())
    }

    fn write_introduction(&self, text: &mut String) {
        let targets: Vec<String> = TARGETS
            .iter()
            .map(|(id, target)| format!("{} {target}", category_title(id)))
            .collect();
        text.push_str(&format!(
            "# Lighthouse scores\n\n\
             Written by `cargo xtask lighthouse` on {date} (UTC) with Lighthouse {lighthouse} \
             and {chromium}. It audits the release build, served with a fresh demo \
             organisation by the reference backend on 127.0.0.1. Run the command again \
             instead of editing this file. The file `lighthouse.json` next to it has the same \
             scores for programs.\n\n\
             Targets: {targets}. The command fails when a score is below its target. \
             Performance is information only: it is measured without throttling against a \
             local backend, so it shows neither a real network nor a slow device, and it can \
             change with the load of the machine.\n\n",
            date = self.date(),
            lighthouse = self.lighthouse_version(),
            chromium = self.chromium_version,
            targets = targets.join(" and "),
        ));
    }

    fn write_scores(&self, text: &mut String) {
        text.push_str(
            "## Scores\n\n\
             | page | opened | form factor | Accessibility | Best Practices | Performance |\n\
             |---|---|---|---|---|---|\n",
        );
        for result in &self.results {
            let scores: Vec<String> = CATEGORY_COLUMNS
                .iter()
                .map(|id| score_cell(id, result.report.category(id)))
                .collect();
            text.push_str(&format!(
                "| {} | {} | {} {} px | {} |\n",
                result.page.title,
                opened_text(result.page),
                result.form_factor.name(),
                result.report.screen,
                scores.join(" | ")
            ));
        }
        text.push('\n');
    }

    fn write_failing_audits(&self, text: &mut String) {
        text.push_str(
            "## Failing audits\n\n\
             Every Accessibility and Best Practices audit that scored below 1 or could not \
             run, and the Performance audits that lower its score. An audit of weight 0 does \
             not lower its category's score.\n\n",
        );
        let rows: Vec<String> = self.results.iter().flat_map(failing_audit_rows).collect();
        if rows.is_empty() {
            text.push_str("None.\n\n");
            return;
        }
        text.push_str(
            "| page | form factor | category | audit | weight | value |\n\
             |---|---|---|---|---|---|\n",
        );
        for row in rows {
            text.push_str(&row);
        }
        text.push('\n');
    }

    fn write_informative_findings(&self, text: &mut String) {
        let findings = self.informative_findings();
        if findings.is_empty() {
            return;
        }
        text.push_str(
            "## Informative findings\n\n\
             Accessibility and Best Practices audits that Lighthouse shows without a score, \
             with what they found. They change no score.\n\n\
             | audit | finding | runs |\n\
             |---|---|---|\n",
        );
        for finding in findings {
            let runs = if finding.runs.len() == self.results.len() {
                "every run".to_owned()
            } else {
                finding.runs.join(", ")
            };
            text.push_str(&format!(
                "| `{}`: {} | {} | {runs} |\n",
                finding.id,
                table_text(finding.title),
                table_text(finding.description)
            ));
        }
        text.push('\n');
    }

    /// Returns each distinct finding of an unscored audit in a category with a target, with
    /// the runs that found it, in the order first found.
    fn informative_findings(&self) -> Vec<FindingRuns<'_>> {
        let mut findings: Vec<FindingRuns> = Vec::new();
        for result in &self.results {
            let run = format!("{} ({})", result.page.title, result.form_factor.name());
            let categories = result.report.categories.iter().filter(|c| has_target(c));
            for finding in categories.flat_map(|category| &category.informative_findings) {
                for description in &finding.descriptions {
                    let known = findings
                        .iter_mut()
                        .find(|known| known.id == finding.id && known.description == description);
                    match known {
                        Some(known) => known.runs.push(run.clone()),
                        None => findings.push(FindingRuns {
                            id: &finding.id,
                            title: &finding.title,
                            description,
                            runs: vec![run.clone()],
                        }),
                    }
                }
            }
        }
        findings
    }

    fn write_warnings(&self, text: &mut String) {
        let warnings: Vec<String> = self
            .results
            .iter()
            .flat_map(|result| {
                result.report.warnings.iter().map(move |warning| {
                    format!(
                        "- {} ({}): {}\n",
                        result.page.title,
                        result.form_factor.name(),
                        warning
                    )
                })
            })
            .collect();
        if warnings.is_empty() {
            return;
        }
        text.push_str("## Warnings of the runs\n\n");
        text.push_str(&warnings.concat());
        text.push('\n');
    }

    fn write_command(&self, text: &mut String) {
        let arguments: Vec<String> = shared_arguments().iter().map(|a| shell_quote(a)).collect();
        text.push_str(&format!(
            "## Command\n\n\
             Each row of the scores is one run of the Lighthouse CLI, installed by the command \
             into `.tools/lighthouse`:\n\n\
             ```sh\n\
             CHROME_PATH={chrome_path} lighthouse <console>/<path> {arguments} \\\n  \
             --output-path=<target>/lighthouse/<page>-<form factor>\n\
             ```\n\n\
             The desktop runs add `--preset=desktop`. The signed-in runs add \
             `--extra-headers={{\"Cookie\":\"console_session=<token>\"}}` with the session \
             cookie of the seeded admin, who signs in through `POST /api/v1/session` first. \
             The full reports (`.report.json` and `.report.html`) stay in the `lighthouse` \
             folder of Cargo's target folder.\n",
            chrome_path = self.chrome_path,
            arguments = arguments.join(" "),
        ));
    }
}

/// One finding of an unscored audit and the runs that found it, such as `Users list (mobile)`.
struct FindingRuns<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a str,
    runs: Vec<String>,
}

/// Returns how the page was opened, such as `` `/users` signed in as admin ``.
fn opened_text(page: &Page) -> String {
    let session = if page.is_signed_in {
        "signed in as admin"
    } else {
        "signed out"
    };
    if page.path == page.expected_path {
        format!("`{}` {session}", page.path)
    } else {
        format!(
            "`{}` {session}, which shows `{}`",
            page.path, page.expected_path
        )
    }
}

fn has_target(category: &Category) -> bool {
    TARGETS.iter().any(|(id, _)| *id == category.id)
}

fn run_json(result: &PageResult) -> Value {
    let mut scores = serde_json::Map::new();
    let mut failing_audits = serde_json::Map::new();
    for category in &result.report.categories {
        scores.insert(category.id.clone(), json!(category.score));
        let ids: Vec<&str> = listed_failing_audits(category)
            .map(|audit| audit.id.as_str())
            .collect();
        if !ids.is_empty() {
            failing_audits.insert(category.id.clone(), json!(ids));
        }
    }
    json!({
        "page": result.page.name,
        "path": result.page.path,
        "signed_in": result.page.is_signed_in,
        "form_factor": result.form_factor.name(),
        "scores": scores,
        "failing_audits": failing_audits,
    })
}

fn failing_audit_rows(result: &PageResult) -> Vec<String> {
    let mut rows = Vec::new();
    for category in &result.report.categories {
        for audit in listed_failing_audits(category) {
            rows.push(format!(
                "| {} | {} | {} | `{}`: {} | {} | {} |\n",
                result.page.title,
                result.form_factor.name(),
                category.title,
                audit.id,
                table_text(&audit.title),
                audit.weight,
                table_text(&audit.detail)
            ));
        }
    }
    rows
}

/// Returns the failing audits the summary lists: all of a category with a target, and only
/// those that lower the score of Performance, whose many zero-weight hints would drown the
/// rest.
fn listed_failing_audits(category: &Category) -> impl Iterator<Item = &FailingAudit> {
    let has_target = has_target(category);
    category
        .failing_audits
        .iter()
        .filter(move |audit| has_target || audit.weight > 0.0)
}

/// Returns a table cell for a score, marking a score below its target.
fn score_cell(id: &str, category: Option<&Category>) -> String {
    let score = category.and_then(|category| category.score);
    let target = TARGETS
        .iter()
        .find(|(target_id, _)| *target_id == id)
        .map(|(_, target)| *target);
    match target {
        Some(target) if score.is_none_or(|score| score < target) => {
            format!("**{}** (below {target})", score_text(score))
        }
        _ => score_text(score),
    }
}

fn score_text(score: Option<u32>) -> String {
    score.map_or_else(|| "no score".to_owned(), |score| score.to_string())
}

fn category_title(id: &str) -> &str {
    match id {
        "accessibility" => "Accessibility",
        "best-practices" => "Best Practices",
        "performance" => "Performance",
        other => other,
    }
}

/// Returns text that fits in one Markdown table cell.
fn table_text(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Quotes an argument for a POSIX shell when it contains anything but plain characters.
fn shell_quote(argument: &str) -> String {
    let is_plain = argument
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_=,./:".contains(c));
    if is_plain {
        argument.to_owned()
    } else {
        format!("'{}'", argument.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lighthouse::{InformativeFinding, PAGES};

    fn category(id: &str, title: &str, score: Option<u32>, failing: Vec<FailingAudit>) -> Category {
        Category {
            id: id.to_owned(),
            title: title.to_owned(),
            score,
            failing_audits: failing,
            informative_findings: Vec::new(),
        }
    }

    fn audit(id: &str, title: &str, weight: f64) -> FailingAudit {
        FailingAudit {
            id: id.to_owned(),
            title: title.to_owned(),
            weight,
            detail: String::new(),
        }
    }

    /// Builds a summary of one run on the users list with the given scores.
    fn summary_of(accessibility: Option<u32>, best_practices: u32, performance: u32) -> Summary {
        let report = Report {
            lighthouse_version: "12.8.2".to_owned(),
            fetch_time: "2026-12-04T19:15:17.081Z".to_owned(),
            final_url: "http://127.0.0.1:18928/users".to_owned(),
            screen: "412×823".to_owned(),
            categories: vec![
                category(
                    "accessibility",
                    "Accessibility",
                    accessibility,
                    vec![audit("color-contrast", "Colors | contrast", 7.0)],
                ),
                Category {
                    informative_findings: vec![InformativeFinding {
                        id: "has-hsts".to_owned(),
                        title: "Use a strong HSTS policy".to_owned(),
                        descriptions: vec!["No HSTS header found".to_owned()],
                    }],
                    ..category(
                        "best-practices",
                        "Best Practices",
                        Some(best_practices),
                        vec![audit("valid-source-maps", "Missing source maps", 0.0)],
                    )
                },
                category(
                    "performance",
                    "Performance",
                    Some(performance),
                    vec![
                        audit("cumulative-layout-shift", "Cumulative Layout Shift", 25.0),
                        audit("unused-javascript", "Reduce unused JavaScript", 0.0),
                    ],
                ),
            ],
            warnings: Vec::new(),
        };
        Summary {
            chromium_version: "Chromium 156.0.8078.114".to_owned(),
            chrome_path: "/usr/bin/chromium".to_owned(),
            results: vec![PageResult {
                page: &PAGES[0],
                form_factor: FormFactor::Mobile,
                report,
            }],
        }
    }

    #[test]
    fn misses_empty_when_targets_met() {
        let summary = summary_of(Some(100), 100, 40);

        assert_eq!(
            summary.misses(),
            Vec::<String>::new(),
            "a low Performance score has no target"
        );
    }

    #[test]
    fn misses_name_low_and_missing_scores() {
        let low = summary_of(Some(96), 100, 100);
        let missing = summary_of(None, 92, 100);

        assert_eq!(
            low.misses(),
            ["Users list (mobile): Accessibility 96, target 100"],
            "a score below target"
        );
        assert_eq!(
            missing.misses(),
            [
                "Users list (mobile): Accessibility no score, target 100",
                "Users list (mobile): Best Practices 92, target 100",
            ],
            "a missing score counts as below target"
        );
    }

    #[test]
    fn markdown_shows_scores_and_failing_audits() {
        let markdown = summary_of(Some(96), 100, 98).markdown();

        assert!(
            markdown.contains("on 2026-12-04 (UTC) with Lighthouse 12.8.2 and Chromium 156"),
            "date and versions: {markdown}"
        );
        assert!(
            markdown.contains(
                "| Users list | `/users` signed in as admin | mobile 412×823 px | \
                 **96** (below 100) | 100 | 98 |"
            ),
            "score row: {markdown}"
        );
        assert!(
            markdown.contains("| `color-contrast`: Colors \\| contrast | 7 |"),
            "failing audit with its title escaped: {markdown}"
        );
        assert!(
            markdown.contains("`valid-source-maps`"),
            "a weightless audit of a target category is listed: {markdown}"
        );
        assert!(
            markdown.contains("`cumulative-layout-shift`"),
            "a weighted Performance audit is listed: {markdown}"
        );
        assert!(
            !markdown.contains("unused-javascript"),
            "weightless Performance hints are left out: {markdown}"
        );
        assert!(
            markdown.contains(
                "| `has-hsts`: Use a strong HSTS policy | No HSTS header found | every run |"
            ),
            "informative finding: {markdown}"
        );
        assert!(
            markdown.contains("--only-categories=accessibility,best-practices,performance"),
            "the command is shown: {markdown}"
        );
    }

    #[test]
    fn markdown_names_page_shown_after_redirect() {
        let mut summary = summary_of(Some(100), 100, 100);
        summary.results[0].page = &PAGES[2];

        let markdown = summary.markdown();

        assert!(
            markdown.contains("| Sign-in | `/users` signed out, which shows `/sign-in` |"),
            "the sign-in row: {markdown}"
        );
    }

    #[test]
    fn json_has_scores_and_failing_audit_ids() {
        let json = summary_of(Some(100), 100, 98).json();

        assert_eq!(json["date"], "2026-12-04", "date");
        assert_eq!(json["lighthouse_version"], "12.8.2", "Lighthouse version");
        assert_eq!(json["targets"]["accessibility"], 100, "target");
        let run = &json["runs"][0];
        assert_eq!(run["page"], "users-list", "page");
        assert_eq!(run["form_factor"], "mobile", "form factor");
        assert_eq!(run["scores"]["performance"], 98, "score");
        assert_eq!(
            run["failing_audits"]["best-practices"][0], "valid-source-maps",
            "failing audit id"
        );
        assert_eq!(
            run["failing_audits"]["performance"],
            json!(["cumulative-layout-shift"]),
            "only weighted Performance audits"
        );
    }

    #[test]
    fn shell_quote_wraps_only_special_arguments() {
        assert_eq!(shell_quote("--quiet"), "--quiet", "plain argument");
        assert_eq!(
            shell_quote("--chrome-flags=--a --b"),
            "'--chrome-flags=--a --b'",
            "argument with a space"
        );
        assert_eq!(shell_quote("it's"), r"'it'\''s'", "single quote");
    }
}
