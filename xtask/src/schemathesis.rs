//! `cargo xtask schemathesis`: generates requests for every operation of the backend's
//! OpenAPI document with Schemathesis, signed in as the seeded admin, and fails on any 5xx
//! response or response that breaks the document. Writes the figures to the Schemathesis
//! section of docs/robustness.md.

use std::path::Path;

use crate::cmd::{self, Result, command, probe, run};
use crate::{doc_sections, tasks};

/// Schemathesis from PyPI, installed into a virtual environment in .tools.
const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// Port of the backend under test; `CONSOLE_SCHEMATHESIS_ADDR` overrides it.
const DEFAULT_BACKEND_ADDR: &str = "127.0.0.1:18930";
/// Generated cases per operation, at most. Schemathesis stops earlier for operations with
/// few distinct inputs, so 100 gives somewhat more than 1,000 requests over the 16 operations
/// it tests (it leaves out the document itself).
const MAX_EXAMPLES: &str = "100";
/// Left out: `positive_data_acceptance` expects a 2xx for every body that the schema allows,
/// but the domain rules that a schema can't state (unique usernames, names with a letter,
/// passwords without the username, ids that exist) answer such bodies with 409 or 422.
const EXCLUDED_CHECK: &str = "positive_data_acceptance";
/// Fixed, so that a failure can be reproduced with the same cases.
const SEED: &str = "20261204";
/// The run fails below this many requests, so a document that lost operations can't pass.
const MIN_REQUESTS: u64 = 1_000;
const DOC_PATH: &str = "docs/robustness.md";

fn venv_dir() -> std::path::PathBuf {
    cmd::root().join(".tools/schemathesis-venv")
}

/// Creates the virtual environment and installs the pinned Schemathesis unless present.
pub fn install() -> Result {
    let bin = venv_dir().join("bin/schemathesis");
    let expected = format!("schemathesis, version {SCHEMATHESIS_VERSION}");
    if probe(&bin.to_string_lossy(), &["--version"]).is_some_and(|v| v == expected) {
        return Ok(());
    }
    println!("xtask: installing schemathesis {SCHEMATHESIS_VERSION} into .tools (once)");
    let venv = venv_dir();
    let venv = venv.to_string_lossy();
    run(&mut command("python3", &["-m", "venv", &venv]))?;
    let pip = venv_dir().join("bin/pip");
    let package = format!("schemathesis=={SCHEMATHESIS_VERSION}");
    run(&mut command(
        &pip.to_string_lossy(),
        &[
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &package,
        ],
    ))
}

/// Builds and starts the backend on a fresh database, runs Schemathesis against it and
/// writes the figures to docs/robustness.md.
pub fn schemathesis() -> Result {
    install()?;
    run(&mut command("cargo", &["build", "-p", "console-server"]))?;
    let addr = std::env::var("CONSOLE_SCHEMATHESIS_ADDR")
        .unwrap_or_else(|_| DEFAULT_BACKEND_ADDR.to_owned());
    let server = cmd::target_dir().join("debug/console-server");
    let data_dir = tasks::fresh_temp_dir("schemathesis")?;
    let backend = tasks::start_backend(&server, &addr, &data_dir, &[])?;
    let report_dir = cmd::target_dir().join("schemathesis");
    let result = run_schemathesis(&addr, &report_dir);
    drop(backend);
    tasks::remove_dir(&data_dir);
    let passed = result?;
    let har = report_dir.join("requests.har");
    let figures = read_figures(&har)?;
    write_section(&figures, passed)?;
    if !passed {
        return Err(format!(
            "Schemathesis found failures; the report is {}",
            report_dir.display()
        ));
    }
    if figures.server_errors > 0 {
        return Err(format!(
            "{} responses had a 5xx status",
            figures.server_errors
        ));
    }
    if figures.requests < MIN_REQUESTS {
        return Err(format!(
            "only {} requests were generated, fewer than {MIN_REQUESTS}",
            figures.requests
        ));
    }
    Ok(())
}

/// Runs Schemathesis and returns whether it found no failure.
fn run_schemathesis(addr: &str, report_dir: &Path) -> Result<bool> {
    let base_url = format!("http://{addr}/api/v1");
    let schema_url = format!("{base_url}/openapi.json");
    let bin = venv_dir().join("bin/schemathesis");
    let report = report_dir.to_string_lossy();
    let har = report_dir.join("requests.har");
    let har = har.to_string_lossy();
    let junit = report_dir.join("junit.xml");
    let junit = junit.to_string_lossy();
    let config = cmd::root().join("xtask/schemathesis/schemathesis.toml");
    let config = config.to_string_lossy();
    let args = [
        "--config-file",
        &config,
        "run",
        &schema_url,
        "--url",
        &base_url,
        "--checks",
        "all",
        "--exclude-checks",
        EXCLUDED_CHECK,
        "--max-examples",
        MAX_EXAMPLES,
        "--seed",
        SEED,
        "--workers",
        "1",
        "--phases",
        "examples,coverage,fuzzing",
        "--header",
        "X-Requested-With: console",
        "--report",
        "har,junit",
        "--report-dir",
        &report,
        "--report-har-path",
        &har,
        "--report-junit-path",
        &junit,
        "--suppress-health-check",
        "too_slow,filter_too_much",
    ];
    let mut schemathesis = command(&bin.to_string_lossy(), &args);
    schemathesis
        .env(
            "SCHEMATHESIS_HOOKS",
            cmd::root().join("xtask/schemathesis/hooks.py"),
        )
        .env("CONSOLE_SCHEMATHESIS_BASE_URL", &base_url)
        .env(
            "CONSOLE_SCHEMATHESIS_ADMIN_PASSWORD",
            tasks::TEST_ADMIN_PASSWORD,
        );
    let status = schemathesis
        .status()
        .map_err(|e| format!("could not start schemathesis: {e}"))?;
    Ok(status.success())
}

struct Figures {
    requests: u64,
    server_errors: u64,
}

/// Reads the request count and 5xx count of the HAR report through summary.py.
fn read_figures(har: &Path) -> Result<Figures> {
    let python = venv_dir().join("bin/python");
    let script = cmd::root().join("xtask/schemathesis/summary.py");
    let output = command(&python.to_string_lossy(), &[])
        .arg(script)
        .arg(har)
        .output()
        .map_err(|e| format!("could not run summary.py: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "summary.py failed on {}: {}",
            har.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let value = |key: &str| -> Result<u64> {
        text.lines()
            .find_map(|line| line.strip_prefix(&format!("{key}=")))
            .and_then(|value| value.trim().parse().ok())
            .ok_or(format!("summary.py printed no {key}: {text}"))
    };
    Ok(Figures {
        requests: value("requests")?,
        server_errors: value("server_errors")?,
    })
}

/// Replaces the Schemathesis section of docs/robustness.md, leaving the rest of the file as
/// it is.
fn write_section(figures: &Figures, passed: bool) -> Result {
    let verdict = if passed && figures.server_errors == 0 {
        "no failure"
    } else {
        "FAILURES (see target/schemathesis/junit.xml)"
    };
    let section = format!(
        "## Schemathesis against the OpenAPI document\n\n\
         `cargo xtask schemathesis` (also part of `cargo xtask test`) starts the debug backend on a \
         fresh database and runs Schemathesis {SCHEMATHESIS_VERSION} against \
         `/api/v1/openapi.json`: every operation, the examples, coverage and fuzzing phases, \
         up to {MAX_EXAMPLES} generated cases per operation with seed {SEED}, every check \
         but `{EXCLUDED_CHECK}` (which expects a 2xx for any body the schema allows, while the \
         domain rules that a schema can't state answer some with 409 or 422), signed in as the seeded admin (the session cookie goes with every \
         request but sign-out) and with the `X-Requested-With` header.\n\n\
         | figure | value |\n|---|---|\n\
         | requests sent | {} |\n| responses with a 5xx status | {} |\n| result | {verdict} |\n\n\
         The task fails on any check failure, on any 5xx, and when fewer than {MIN_REQUESTS} \
         requests were sent.\n",
        figures.requests, figures.server_errors
    );
    doc_sections::replace(
        &cmd::root().join(DOC_PATH),
        "Robustness",
        "schemathesis",
        &section,
    )
}
