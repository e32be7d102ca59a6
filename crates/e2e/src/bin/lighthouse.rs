//! Audits the console's users list, add-user form and sign-in page with Lighthouse, writes the
//! scores to docs/lighthouse.md and docs/lighthouse.json, and fails when one is below target.
//!
//! Run by `cargo xtask lighthouse`, which starts the backend serving the release build and
//! passes its address and the tools' paths in environment variables (see [`Settings`]).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use e2e::Result;
use e2e::lighthouse::{FormFactor, PAGES, Runner, Summary};

/// Where everything is, read from the environment.
struct Settings {
    /// E2E_CONSOLE_URL: origin of the backend serving the release build.
    console_url: String,
    /// E2E_ADMIN_PASSWORD: password of the seeded `admin`.
    admin_password: String,
    /// E2E_LIGHTHOUSE: path of the Lighthouse CLI.
    lighthouse: PathBuf,
    /// CHROME_PATH: the Chromium that Lighthouse starts.
    chrome_path: String,
    /// E2E_OUTPUT_DIR: folder of lighthouse.md and lighthouse.json.
    output_dir: PathBuf,
    /// E2E_REPORT_DIR: folder of the full reports.
    report_dir: PathBuf,
}

impl Settings {
    fn from_env() -> Result<Settings> {
        Ok(Settings {
            console_url: env("E2E_CONSOLE_URL")?.trim_end_matches('/').to_owned(),
            admin_password: env("E2E_ADMIN_PASSWORD")?,
            lighthouse: PathBuf::from(env("E2E_LIGHTHOUSE")?),
            chrome_path: env("CHROME_PATH")?,
            output_dir: PathBuf::from(env("E2E_OUTPUT_DIR")?),
            report_dir: PathBuf::from(env("E2E_REPORT_DIR")?),
        })
    }
}

fn env(name: &str) -> Result<String> {
    std::env::var(name).map_err(|_| format!("environment variable {name} is not set").into())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match audit_all().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lighthouse: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn audit_all() -> Result {
    let settings = Settings::from_env()?;
    std::fs::create_dir_all(&settings.report_dir).map_err(|error| {
        format!(
            "could not create {}: {error}",
            settings.report_dir.display()
        )
    })?;
    let runner = Runner {
        lighthouse: settings.lighthouse.clone(),
        console_url: settings.console_url.clone(),
        report_dir: settings.report_dir.clone(),
        session_cookie: sign_in(&settings).await?,
    };
    let mut summary = Summary {
        chromium_version: chromium_version(&settings.chrome_path)?,
        chrome_path: settings.chrome_path.clone(),
        results: Vec::new(),
    };
    for page in &PAGES {
        for form_factor in FormFactor::ALL {
            summary.results.push(runner.audit(page, form_factor)?);
        }
    }

    write_summary(&summary, &settings.output_dir)?;
    check_targets(&summary, &settings)
}

/// Signs in as `admin` through the API and returns the session cookie as a `Cookie` header
/// value.
async fn sign_in(settings: &Settings) -> Result<String> {
    let url = format!("{}/api/v1/session", settings.console_url);
    let body = serde_json::json!({ "username": "admin", "password": settings.admin_password });
    let headers = e2e::http::post_json(&url, &body).await?;
    let cookie = headers
        .get_all(hyper::header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.split(';').next())
        .find(|pair| pair.starts_with("console_session="));
    match cookie {
        Some(cookie) => Ok(cookie.to_owned()),
        None => Err(format!("POST {url} set no console_session cookie").into()),
    }
}

/// Returns the first line `chromium --version` prints, such as `Chromium 156.0.8078.114 built
/// on Debian GNU/Linux 12 (bookworm)`.
fn chromium_version(chrome_path: &str) -> Result<String> {
    let output = Command::new(chrome_path)
        .arg("--version")
        .output()
        .map_err(|error| format!("could not start {chrome_path} --version: {error}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    match stdout.lines().next() {
        Some(line) if output.status.success() => Ok(line.trim().to_owned()),
        _ => Err(format!(
            "{chrome_path} --version failed with {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
        .into()),
    }
}

fn write_summary(summary: &Summary, output_dir: &Path) -> Result {
    let json = serde_json::to_string_pretty(&summary.json())? + "\n";
    for (name, text) in [
        ("lighthouse.md", summary.markdown()),
        ("lighthouse.json", json),
    ] {
        let path = output_dir.join(name);
        std::fs::write(&path, text)
            .map_err(|error| format!("could not write {}: {error}", path.display()))?;
        println!("lighthouse: wrote {}", path.display());
    }
    Ok(())
}

/// Prints every score and fails, naming each, when any is below its target.
fn check_targets(summary: &Summary, settings: &Settings) -> Result {
    for result in &summary.results {
        let scores: Vec<String> = result
            .report
            .categories
            .iter()
            .map(|category| match category.score {
                Some(score) => format!("{} {score}", category.title),
                None => format!("{} no score", category.title),
            })
            .collect();
        println!(
            "lighthouse: {} ({}): {}",
            result.page.title,
            result.form_factor.name(),
            scores.join(", ")
        );
    }
    let misses = summary.misses();
    if misses.is_empty() {
        return Ok(());
    }
    Err(format!(
        "scores below target:\n  {}\nThe failing audits are in {}, the full reports in {}.",
        misses.join("\n  "),
        settings.output_dir.join("lighthouse.md").display(),
        settings.report_dir.display()
    )
    .into())
}
