//! Lighthouse audits of the built console: the pages audited, running the Lighthouse CLI on
//! each in Chromium, and the summary of the reports against the score targets.

mod report;
mod summary;

use std::path::PathBuf;
use std::process::Command;

pub use report::{Category, FailingAudit, InformativeFinding, Report};
pub use summary::{PageResult, Summary, TARGETS};

use crate::{CHROME_ARGS, Result};

/// Categories audited. Only Accessibility and Best Practices have targets, and Performance
/// is reported for information.
const CATEGORIES: &str = "accessibility,best-practices,performance";

/// A page to audit.
pub struct Page {
    /// Short name for file names, such as `users-list`.
    pub name: &'static str,
    pub title: &'static str,
    /// Path opened, such as `/users`.
    pub path: &'static str,
    /// Whether Lighthouse sends the admin's session cookie.
    pub is_signed_in: bool,
    /// Path the audit must end on. Any other path means that Lighthouse audited some other
    /// page, such as sign-in after a rejected cookie.
    pub expected_path: &'static str,
}

/// The pages audited: the two main pages of an admin, and the sign-in page as a signed-out
/// person reaches it, by opening the console.
pub const PAGES: [Page; 3] = [
    Page {
        name: "users-list",
        title: "Users list",
        path: "/users",
        is_signed_in: true,
        expected_path: "/users",
    },
    Page {
        name: "add-user",
        title: "Add user form",
        path: "/users/new",
        is_signed_in: true,
        expected_path: "/users/new",
    },
    Page {
        name: "sign-in",
        title: "Sign-in",
        path: "/users",
        is_signed_in: false,
        expected_path: "/sign-in",
    },
];

/// The device Lighthouse emulates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormFactor {
    /// Lighthouse's default: a phone screen with touch.
    Mobile,
    /// Lighthouse's desktop preset.
    Desktop,
}

impl FormFactor {
    pub const ALL: [FormFactor; 2] = [FormFactor::Mobile, FormFactor::Desktop];

    pub fn name(self) -> &'static str {
        match self {
            FormFactor::Mobile => "mobile",
            FormFactor::Desktop => "desktop",
        }
    }

    /// Returns the Lighthouse arguments that select this form factor.
    pub fn arguments(self) -> &'static [&'static str] {
        match self {
            FormFactor::Mobile => &[],
            FormFactor::Desktop => &["--preset=desktop"],
        }
    }
}

/// Returns the Lighthouse arguments of every run: categories, reports as JSON and HTML, no
/// throttling, and the Chromium flags.
///
/// `--throttling-method=provided` turns off Lighthouse's simulated slow network and CPU, so
/// Performance shows what this machine measured against a local backend.
pub fn shared_arguments() -> Vec<String> {
    vec![
        "--quiet".to_owned(),
        format!("--only-categories={CATEGORIES}"),
        "--throttling-method=provided".to_owned(),
        "--output=json".to_owned(),
        "--output=html".to_owned(),
        format!("--chrome-flags={}", CHROME_ARGS.join(" ")),
    ]
}

/// Runs the Lighthouse CLI against the console.
pub struct Runner {
    /// Path of the Lighthouse CLI. It starts the Chromium named by the CHROME_PATH
    /// environment variable.
    pub lighthouse: PathBuf,
    /// Origin of the console, such as `http://127.0.0.1:18928`.
    pub console_url: String,
    /// Folder for the full reports.
    pub report_dir: PathBuf,
    /// `Cookie` header of a signed-in session, such as `console_session=…`.
    pub session_cookie: String,
}

impl Runner {
    /// Audits `page` as `form_factor` and returns what Lighthouse found. The full reports go
    /// to `<report_dir>/<page>-<form factor>.report.json` and `.report.html`.
    pub fn audit(&self, page: &'static Page, form_factor: FormFactor) -> Result<PageResult> {
        let run_name = format!("{}-{}", page.name, form_factor.name());
        let url = format!("{}{}", self.console_url, page.path);
        let output_path = self.report_dir.join(&run_name);
        println!("lighthouse: auditing {url} as {run_name}");
        let mut lighthouse = Command::new(&self.lighthouse);
        lighthouse
            .arg(&url)
            .args(shared_arguments())
            .args(form_factor.arguments())
            .arg(format!("--output-path={}", output_path.display()));
        if page.is_signed_in {
            let headers = serde_json::json!({ "Cookie": self.session_cookie });
            lighthouse.arg(format!("--extra-headers={headers}"));
        }
        let status = lighthouse
            .status()
            .map_err(|error| format!("could not start {}: {error}", self.lighthouse.display()))?;
        if !status.success() {
            return Err(format!("Lighthouse failed on {url} ({run_name}) with {status}").into());
        }
        let report = read_report(&self.report_dir.join(format!("{run_name}.report.json")))?;
        self.check_final_path(page, &report)?;
        Ok(PageResult {
            page,
            form_factor,
            report,
        })
    }

    /// Fails when the audit ended on another page than `page.expected_path`.
    fn check_final_path(&self, page: &Page, report: &Report) -> Result {
        let final_path = report
            .final_url
            .strip_prefix(&self.console_url)
            .unwrap_or(&report.final_url);
        let final_path = final_path.split(['?', '#']).next().unwrap_or_default();
        if final_path == page.expected_path {
            return Ok(());
        }
        Err(format!(
            "Lighthouse opened {} and ended on {}, expected {}; the report is not of the {}",
            page.path, report.final_url, page.expected_path, page.title
        )
        .into())
    }
}

fn read_report(path: &std::path::Path) -> Result<Report> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("could not read {}: {error}", path.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|error| format!("{} is not JSON: {error}", path.display()))?;
    Report::parse(&json).map_err(|error| format!("{}: {error}", path.display()).into())
}
