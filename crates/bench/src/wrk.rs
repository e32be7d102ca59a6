//! Runs wrk with the project's script (`crates/bench/wrk/users.lua`) and reads the figures
//! that the script prints as one JSON line.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::Result;

/// The prefix of the script's result line.
const RESULT_PREFIX: &str = "BENCH_RESULT ";

/// Load settings for wrk: threads, open connections, and seconds of load.
#[derive(Clone)]
pub struct Load {
    pub threads: u64,
    pub connections: u64,
    pub seconds: u64,
}

/// Requests that one scenario sends.
pub enum Requests<'a> {
    /// GET requests that cycle through these paths.
    Get(&'a [String]),
    /// POSTs of new users, whose usernames contain `run` so that runs never collide.
    Create { run: u64 },
    /// The same POST of a JSON `body` to `path` each time.
    Post { path: &'a str, body: &'a str },
}

/// The figures of one wrk run, latencies in microseconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    pub requests: u64,
    pub seconds: f64,
    /// Responses with a status of 400 or more, and failed or timed-out connections.
    pub errors: u64,
    pub p50_us: u64,
    pub p95_us: u64,
    pub p99_us: u64,
    pub max_us: u64,
}

impl Figures {
    pub fn requests_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.requests as f64 / self.seconds
        } else {
            0.0
        }
    }
}

/// Runs wrk against `base_url` with `script` and returns its figures.
pub fn run(
    wrk: &Path,
    script: &Path,
    base_url: &str,
    cookie: &str,
    load: &Load,
    requests: &Requests<'_>,
) -> Result<Figures> {
    let mut command = Command::new(wrk);
    command
        .arg(format!("--threads={}", load.threads))
        .arg(format!("--connections={}", load.connections))
        .arg(format!("--duration={}s", load.seconds))
        .arg("--timeout=10s")
        .arg("--script")
        .arg(script)
        .arg(base_url)
        .env("BENCH_COOKIE", cookie);
    match requests {
        Requests::Get(paths) => command
            .env("BENCH_SCENARIO", "get")
            .env("BENCH_PATHS", paths.join("\n")),
        Requests::Create { run } => command
            .env("BENCH_SCENARIO", "create")
            .env("BENCH_RUN", run.to_string()),
        Requests::Post { path, body } => command
            .env("BENCH_SCENARIO", "post")
            .env("BENCH_PATHS", path)
            .env("BENCH_BODY", body),
    };
    let output = command
        .output()
        .map_err(|e| format!("could not start {}: {e}", wrk.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "wrk failed with {}: {stdout}{stderr}",
            output.status
        ));
    }
    parse_result(&stdout)
}

/// Reads the script's result line from wrk's output.
fn parse_result(output: &str) -> Result<Figures> {
    let line = output
        .lines()
        .find_map(|line| line.strip_prefix(RESULT_PREFIX))
        .ok_or_else(|| format!("wrk printed no {RESULT_PREFIX}line:\n{output}"))?;
    let json: Value =
        serde_json::from_str(line).map_err(|e| format!("unreadable wrk result {line:?}: {e}"))?;
    let number = |key: &str| {
        json[key]
            .as_u64()
            .ok_or_else(|| format!("the wrk result has no whole number {key}: {line}"))
    };
    let errors = [
        "connect_errors",
        "read_errors",
        "write_errors",
        "status_errors",
        "timeouts",
    ]
    .iter()
    .map(|key| number(key))
    .sum::<Result<u64>>()?;
    Ok(Figures {
        requests: number("requests")?,
        seconds: number("duration_us")? as f64 / 1e6,
        errors,
        p50_us: number("p50_us")?,
        p95_us: number("p95_us")?,
        p99_us: number("p99_us")?,
        max_us: number("max_us")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_result_sums_every_kind_of_error() {
        let output = "Running 30s test\nBENCH_RESULT {\"requests\":3000,\"duration_us\":30000000,\
            \"connect_errors\":1,\"read_errors\":2,\"write_errors\":0,\"status_errors\":4,\
            \"timeouts\":0,\"p50_us\":900,\"p95_us\":4000,\"p99_us\":9000,\"mean_us\":1200.5,\
            \"max_us\":20000}\n";
        let figures = parse_result(output).expect("a valid result line");
        assert_eq!(figures.errors, 7, "connect, read and status errors add up");
        assert_eq!(figures.p95_us, 4000, "p95 in microseconds");
        assert_eq!(
            figures.requests_per_second(),
            100.0,
            "3000 requests in 30 s"
        );
    }

    #[test]
    fn parse_result_reports_a_missing_line() {
        let error = parse_result("Running 30s test\n").expect_err("no result line");
        assert!(
            error.contains("BENCH_RESULT"),
            "names the missing line: {error}"
        );
    }
}
