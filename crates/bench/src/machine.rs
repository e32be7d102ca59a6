//! The machine behind the figures: cores, memory, OS, compiler, load, and the date.

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

/// Describes this machine now, as JSON for benchmarks.json.
pub fn describe() -> Value {
    json!({
        "date": utc_now(),
        "cores": std::thread::available_parallelism().map(usize::from).unwrap_or(0),
        "cpu": first_value("/proc/cpuinfo", "model name").unwrap_or_default(),
        "memory_gib": memory_gib(),
        "os": os_name(),
        "kernel": read_trimmed("/proc/sys/kernel/osrelease").unwrap_or_default(),
        "rustc": command_output("rustc", &["--version"]).unwrap_or_default(),
        "load_average_1min": load_average(),
    })
}

/// Returns one line for BENCHMARKS.md from [`describe`]'s JSON.
pub fn summary(machine: &Value) -> String {
    format!(
        "{} cores ({}), {:.1} GiB RAM, {}, Linux {}, {}; 1-minute load average {} at the start",
        machine["cores"],
        text(&machine["cpu"]),
        machine["memory_gib"].as_f64().unwrap_or_default(),
        text(&machine["os"]),
        text(&machine["kernel"]),
        text(&machine["rustc"]),
        text(&machine["load_average_1min"]),
    )
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or("unknown")
}

/// Returns the peak resident set size (`VmHWM`) of process `pid` in KiB.
pub fn peak_rss_kib(pid: u32) -> crate::Result<u64> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path)
        .map_err(|e| format!("could not read {path}; did the backend exit? {e}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("{path} has no VmHWM line"))
}

fn memory_gib() -> f64 {
    let kib: f64 = first_value("/proc/meminfo", "MemTotal")
        .and_then(|value| value.trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_default();
    kib / (1024.0 * 1024.0)
}

fn os_name() -> String {
    let release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    release
        .lines()
        .find_map(|line| line.strip_prefix("PRETTY_NAME="))
        .map(|name| name.trim_matches('"').to_owned())
        .unwrap_or_default()
}

fn load_average() -> String {
    read_trimmed("/proc/loadavg")
        .and_then(|line| line.split_whitespace().next().map(str::to_owned))
        .unwrap_or_default()
}

/// Returns the value of the first `key: value` line of `path`, such as /proc/cpuinfo.
fn first_value(path: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim() == key)
        .map(|(_, value)| value.trim().to_owned())
}

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|text| text.trim().to_owned())
}

/// Runs a program and returns its first output line, or `None` when it can't run.
pub fn command_output(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // wrk prints its version to stderr, rustc to stdout.
    let text = if stdout.trim().is_empty() {
        stderr
    } else {
        stdout
    };
    text.lines().next().map(|line| line.trim().to_owned())
}

/// Returns the current UTC time as `YYYY-MM-DD HH:MM UTC`.
fn utc_now() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or_default();
    let (year, month, day) = civil_date(seconds / 86_400);
    let minute_of_day = (seconds % 86_400) / 60;
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        minute_of_day / 60,
        minute_of_day % 60
    )
}

/// Converts days since 1970-01-01 to a (year, month, day) of the Gregorian calendar, with
/// the era arithmetic of Howard Hinnant's `civil_from_days`.
fn civil_date(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_date_matches_known_days() {
        assert_eq!(civil_date(0), (1970, 1, 1), "the epoch");
        assert_eq!(civil_date(11_016), (2000, 2, 29), "a leap day");
        assert_eq!(civil_date(20_454), (2026, 1, 1), "a new year");
        assert_eq!(civil_date(20_453), (2025, 12, 31), "the day before");
    }
}
