//! `bench`: measures one section of the product and records it in BENCHMARKS.md and
//! benchmarks.json at the repository root. `cargo xtask bench` builds and starts what the
//! section needs, then runs `bench <section>` with its settings in the environment.

mod backend;
mod http;
mod machine;
mod report;
mod robustness;
mod stats;
mod wrk;

use std::process::ExitCode;

/// Error of a step, as a message for the person who ran the bench.
pub type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "\
Usage: bench <section>
       bench render

render rewrites BENCHMARKS.md from benchmarks.json in the current folder.

Sections:
  backend    The backend under load with wrk. Reads BENCH_URL, BENCH_ADMIN_PASSWORD,
             BENCH_SERVER_PID, BENCH_WRK, BENCH_WRK_SCRIPT and BENCH_OUTPUT_DIR, and
             optionally BENCH_RUNS, BENCH_SECONDS, BENCH_SEED_USERS, BENCH_SEED_ACCOUNTS and
             BENCH_SERVER_LOG; `cargo xtask bench` sets them.
  robustness Concurrent creates, a mixed load and a kill -9 against a backend it starts
             itself, reported in docs/robustness.md; `cargo xtask robustness` sets the
             ROBUSTNESS_* variables.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("backend") => {
            backend::Settings::from_env().and_then(|settings| backend::run(&settings))
        }
        Some("robustness") => {
            robustness::Settings::from_env().and_then(|settings| robustness::run(&settings))
        }
        Some("render") => report::render_again(std::path::Path::new(".")),
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
