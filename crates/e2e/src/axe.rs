//! Accessibility checks with axe-core: inject the rules engine into the page, run the WCAG 2.x
//! level A and AA rules on the whole document, and describe each violation for a failure
//! message.

use std::fmt;
use std::path::Path;

use crate::{Browser, Result};

/// axe-core tags of the WCAG 2.0, 2.1 and 2.2 success criteria at levels A and AA. WCAG 2.2
/// added no level A criterion that axe-core tests, so it has no `wcag22a` tag.
pub const WCAG_A_AA_TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// Runs axe-core in the page and returns the violations in a compact form. The last argument
/// of an asynchronous WebDriver script is the callback that ends it.
const RUN_SCRIPT: &str = "const done = arguments[arguments.length - 1];
    const options = { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] };
    axe.run(document, options)
      .then((results) => done({ violations: results.violations.map((rule) => ({
        id: rule.id,
        impact: rule.impact,
        help: rule.help,
        helpUrl: rule.helpUrl,
        nodes: rule.nodes.map((node) => ({
          target: node.target.flat().join(' >> '),
          summary: node.failureSummary || '',
        })),
      })) }))
      .catch((error) => done({ error: String(error) }));";

/// The axe-core script, read once and injected into each page that lacks it.
pub struct Axe {
    source: String,
}

/// One rule that failed, with every element that broke it.
#[derive(Debug)]
pub struct Violation {
    /// Rule id, such as `color-contrast`.
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: String,
    pub help: String,
    pub help_url: String,
    pub nodes: Vec<ViolatingNode>,
}

/// An element that breaks a rule.
#[derive(Debug)]
pub struct ViolatingNode {
    /// CSS selector of the element; frames and shadow roots are joined with ` >> `.
    pub target: String,
    /// axe-core's explanation, such as the contrast ratio it measured.
    pub summary: String,
}

impl Axe {
    /// Reads axe-core's `axe.min.js` from `path`.
    pub fn load(path: &Path) -> Result<Axe> {
        let source = std::fs::read_to_string(path).map_err(|error| {
            format!(
                "could not read axe-core from {}: {error}; run `cargo xtask install`",
                path.display()
            )
        })?;
        Ok(Axe { source })
    }

    /// Runs the WCAG A and AA rules on the page open in `browser` and returns what fails.
    pub async fn check(&self, browser: &Browser) -> Result<Vec<Violation>> {
        self.inject(browser).await?;
        let tags = serde_json::json!(WCAG_A_AA_TAGS);
        let outcome = browser
            .client
            .execute_async(RUN_SCRIPT, vec![tags])
            .await
            .map_err(|error| format!("running axe-core failed: {error}"))?;
        if let Some(error) = outcome["error"].as_str() {
            return Err(format!("axe-core failed in the page: {error}").into());
        }
        let violations = outcome["violations"]
            .as_array()
            .ok_or_else(|| format!("axe-core returned no list of violations: {outcome}"))?;
        Ok(violations.iter().map(Violation::from_json).collect())
    }

    /// Defines `axe` in the page unless an earlier check already did. A page loaded afresh
    /// needs it again, but a route change inside the app keeps it.
    async fn inject(&self, browser: &Browser) -> Result {
        let is_loaded = browser
            .client
            .execute("return typeof window.axe === 'object';", vec![])
            .await?;
        if is_loaded == serde_json::Value::Bool(true) {
            return Ok(());
        }
        browser
            .client
            .execute(&self.source, vec![])
            .await
            .map_err(|error| format!("injecting axe-core failed: {error}"))?;
        Ok(())
    }
}

impl Violation {
    fn from_json(rule: &serde_json::Value) -> Violation {
        let text = |value: &serde_json::Value| value.as_str().unwrap_or_default().to_owned();
        let nodes = rule["nodes"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        Violation {
            id: text(&rule["id"]),
            impact: text(&rule["impact"]),
            help: text(&rule["help"]),
            help_url: text(&rule["helpUrl"]),
            nodes: nodes
                .iter()
                .map(|node| ViolatingNode {
                    target: text(&node["target"]),
                    summary: text(&node["summary"]),
                })
                .collect(),
        }
    }
}

impl fmt::Display for Violation {
    /// Writes the rule, its impact and help, then one line per element with axe-core's
    /// explanation indented below it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} ({}): {} <{}>",
            self.id, self.impact, self.help, self.help_url
        )?;
        for node in &self.nodes {
            writeln!(f, "    at {}", node.target)?;
            for line in node.summary.lines() {
                writeln!(f, "      {line}")?;
            }
        }
        Ok(())
    }
}
