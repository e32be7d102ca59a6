//! `bench`: measures one section of the product and records it in BENCHMARKS.md and
//! benchmarks.json at the repository root. `cargo xtask bench` builds and starts what the
//! section needs, then runs `bench <section>` with its settings in the environment.

mod backend;
mod browser;
mod bundle;
mod http;
mod load;
mod machine;
mod render;
mod report;
mod robustness;
mod stats;
mod typing;
mod wrk;

use std::path::PathBuf;
use std::process::ExitCode;

/// Error of a step, as a message for the person who ran the bench.
pub type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "\
Usage: bench <section>
       bench rewrite-report
       bench missed <section>...

rewrite-report rewrites BENCHMARKS.md from benchmarks.json in the current folder. missed lists the
targets that the recorded sections missed, on stderr, and exits with 1 when there are any.

Every section reads BENCH_OUTPUT_DIR, and optionally BENCH_RUNS and BENCH_COMMAND (the
command line for the report); `cargo xtask bench` sets them. The browser sections also read
BENCH_WEBDRIVER_URL, the address of a running ChromeDriver.

Sections:
  bundle     Raw, gzip and brotli sizes of the first load. Reads BENCH_DIST_DIR.
  load       The users list opened cold in Chromium, signed in. Reads BENCH_URL (the
             backend serving the release build) and BENCH_ADMIN_PASSWORD.
  render     The app's users table against plain JavaScript, 1,000 rows then a filter.
             Reads BENCH_RENDER_URL (a server of the render-bench page).
  typing     The add-user form: keystroke to inline error, and availability requests while
             a username is typed. Reads BENCH_URL and BENCH_ADMIN_PASSWORD.
  backend    The backend under load with wrk. Reads BENCH_URL, BENCH_ADMIN_PASSWORD,
             BENCH_SERVER_PID, BENCH_WRK and BENCH_WRK_SCRIPT, and optionally BENCH_SECONDS,
             BENCH_SEED_USERS, BENCH_SEED_ACCOUNTS and BENCH_SERVER_LOG.
  robustness Concurrent creates, a mixed load and a kill -9 against a backend it starts
             itself; `cargo xtask robustness` sets the ROBUSTNESS_* variables and puts the
             report into docs/robustness.md.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("backend") => {
            backend::Settings::from_env().and_then(|settings| backend::run(&settings))
        }
        Some("robustness") => {
            robustness::Settings::from_env().and_then(|settings| robustness::run(&settings))
        }
        Some("bundle") => bundle::run(),
        Some("load") => block_on(load::run()),
        Some("render") => block_on(render::run()),
        Some("rewrite-report") => report::render_again(std::path::Path::new(".")),
        Some("typing") => block_on(typing::run()),
        Some("missed") => return list_missed(&args[1..]),
        Some("help" | "--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown section {other:?}\n\n{USAGE}")),
        None => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a browser section on a single-threaded runtime, as WebDriver calls are sequential.
fn block_on(section: impl std::future::Future<Output = Result>) -> Result {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the async runtime: {e}"))?
        .block_on(section)
}

/// Prints every target that the recorded `sections` missed to stderr, and exits with 1 when
/// there is one.
fn list_missed(sections: &[String]) -> ExitCode {
    let output_dir = PathBuf::from(std::env::var("BENCH_OUTPUT_DIR").unwrap_or(".".to_owned()));
    let mut missed = Vec::new();
    for name in sections {
        match report::recorded_section(&output_dir, name) {
            Ok(Some(section)) => missed.extend(report::missed_targets(name, &section)),
            Ok(None) => missed.push(format!("{name}: no figures recorded")),
            Err(message) => missed.push(format!("{name}: {message}")),
        }
    }
    if missed.is_empty() {
        println!("bench: every target of {} was met", sections.join(", "));
        return ExitCode::SUCCESS;
    }
    eprintln!("bench: MISSED TARGETS ({}):", missed.len());
    for line in &missed {
        eprintln!("bench:   {line}");
    }
    ExitCode::FAILURE
}

/// Reads a required environment variable.
pub fn env_var(name: &str) -> Result<String> {
    std::env::var(name)
        .map_err(|_| format!("{name} is not set; run the bench through `cargo xtask bench`"))
}

/// Reads an optional numeric environment variable, or `default` when it is unset.
pub fn env_number(name: &str, default: u64) -> Result<u64> {
    match std::env::var(name) {
        Err(_) => Ok(default),
        Ok(text) => text
            .parse()
            .map_err(|_| format!("{name} must be a whole number, not {text:?}")),
    }
}

/// Returns the command line that started the bench, from BENCH_COMMAND, for the report.
pub fn command_line() -> String {
    std::env::var("BENCH_COMMAND").unwrap_or_else(|_| "cargo xtask bench".to_owned())
}
