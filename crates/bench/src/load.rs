//! The load section: the users list of the release build, opened in headless Chromium with a
//! new profile each run (so the HTTP cache is cold), signed in through the session cookie,
//! timed with the performance marks the app sets (`src/performance_marks.rs`).

use std::time::Duration;

use fantoccini::Client;
use serde_json::{Value, json};

use crate::report::{self, figure_spread, milliseconds};
use crate::{Result, browser, env_number, env_var, http};

/// Median time from navigation start to the first user row painted that must be met.
const FIRST_ROW_TARGET_MS: f64 = 300.0;
/// How long a run may wait for the first row before it fails.
const FIRST_ROW_TIMEOUT: Duration = Duration::from_secs(30);
const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// Reads the figures of one load once the first row is painted, or `null` before. Times are
/// in milliseconds since the navigation started (the page's time origin).
const FIGURES_SCRIPT: &str = r#"
const mark = (name) => performance.getEntriesByName(name, "mark")[0]?.startTime ?? null;
const firstRow = mark("console:first-user-row-painted");
if (firstRow === null) {
  return null;
}
const wasm = performance.getEntriesByType("resource").find((entry) => entry.name.endsWith(".wasm"));
const navigation = performance.getEntriesByType("navigation")[0];
return {
  first_row_ms: firstRow,
  wasm_start_ms: mark("console:wasm-start"),
  wasm_fetch_start_ms: wasm?.fetchStart ?? null,
  wasm_response_end_ms: wasm?.responseEnd ?? null,
  wasm_transfer_bytes: wasm?.transferSize ?? null,
  dom_content_loaded_ms: navigation?.domContentLoadedEventEnd ?? null,
  path: location.pathname,
  rows: document.querySelectorAll("tr.user-row").length,
};
"#;

/// Settings of the load section, from the environment that `cargo xtask bench` sets.
struct Settings {
    /// Origin of the backend that serves the release build, such as `http://127.0.0.1:18940`.
    origin: String,
    admin_password: String,
    webdriver_url: String,
    runs: u64,
    output_dir: std::path::PathBuf,
}

impl Settings {
    fn from_env() -> Result<Settings> {
        Ok(Settings {
            origin: env_var("BENCH_URL")?.trim_end_matches('/').to_owned(),
            admin_password: env_var("BENCH_ADMIN_PASSWORD")?,
            webdriver_url: env_var("BENCH_WEBDRIVER_URL")?,
            runs: env_number("BENCH_RUNS", 10)?.max(1),
            output_dir: env_var("BENCH_OUTPUT_DIR")?.into(),
        })
    }
}

/// Opens the users list `runs` times, each in a new Chromium session, and records the section.
pub async fn run() -> Result {
    let settings = Settings::from_env()?;
    let address = settings.origin.trim_start_matches("http://");
    let cookie = http::sign_in(address, "admin", &settings.admin_password)?;
    let (cookie_name, cookie_value) = cookie
        .split_once('=')
        .ok_or_else(|| format!("the session cookie {cookie:?} has no value"))?;
    let mut runs = Vec::new();
    for run in 1..=settings.runs {
        let client = browser::start(&settings.webdriver_url, &[]).await?;
        let result = load_once(&client, &settings.origin, cookie_name, cookie_value).await;
        browser::close(client).await;
        let figures = result.map_err(|error| format!("load run {run}: {error}"))?;
        println!(
            "bench: load run {run} of {}: first row {:.1} ms, wasm start {:.1} ms",
            settings.runs,
            figures["first_row_ms"].as_f64().unwrap_or_default(),
            figures["wasm_start_ms"].as_f64().unwrap_or_default()
        );
        runs.push(figures);
    }
    report::record(&settings.output_dir, "load", section_json(&runs))
}

/// Opens `/users` in a session with a cold cache and returns the figures of that load.
async fn load_once(client: &Client, origin: &str, cookie_name: &str, value: &str) -> Result<Value> {
    browser::set_cookie(client, origin, cookie_name, value).await?;
    let url = format!("{origin}/users");
    client
        .goto(&url)
        .await
        .map_err(|error| format!("could not open {url}: {error}"))?;
    let deadline = tokio::time::Instant::now() + FIRST_ROW_TIMEOUT;
    let figures = loop {
        let figures = browser::run(client, FIGURES_SCRIPT, Vec::new()).await?;
        if !figures.is_null() {
            break figures;
        }
        if tokio::time::Instant::now() > deadline {
            return Err(format!(
                "no user row was painted within {FIRST_ROW_TIMEOUT:?} of opening {url}"
            ));
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    };
    check_load(&figures)?;
    Ok(figures)
}

/// Fails when the load was not the signed-in users list with a cold cache.
fn check_load(figures: &Value) -> Result {
    if figures["path"] != "/users" || figures["rows"].as_u64().unwrap_or_default() == 0 {
        return Err(format!(
            "the page is not the signed-in users list: {} with {} rows",
            figures["path"], figures["rows"]
        ));
    }
    if figures["wasm_start_ms"].is_null() || figures["wasm_response_end_ms"].is_null() {
        return Err(format!("the wasm or its start mark is missing: {figures}"));
    }
    // A response from the HTTP cache transfers 0 bytes.
    if figures["wasm_transfer_bytes"].as_f64().unwrap_or_default() == 0.0 {
        return Err("the wasm came from the HTTP cache, so the load was not cold".to_owned());
    }
    Ok(())
}

fn section_json(runs: &[Value]) -> Value {
    let values =
        |key: &str| -> Vec<f64> { runs.iter().filter_map(|run| run[key].as_f64()).collect() };
    let instantiation: Vec<f64> = runs
        .iter()
        .filter_map(|run| {
            Some(run["wasm_start_ms"].as_f64()? - run["wasm_response_end_ms"].as_f64()?)
        })
        .collect();
    let download: Vec<f64> = runs
        .iter()
        .filter_map(|run| {
            Some(run["wasm_response_end_ms"].as_f64()? - run["wasm_fetch_start_ms"].as_f64()?)
        })
        .collect();
    let first_row = report::figure_json(&values("first_row_ms"));
    let median = figure_spread(&first_row).map(|spread| spread.median);
    let is_met = median.is_some_and(|median| median <= FIRST_ROW_TARGET_MS);
    let mut section = report::section_base(&crate::command_line());
    section["runs"] = json!(runs);
    section["figures"] = json!({
        "first_row_ms": first_row,
        "dom_content_loaded_ms": report::figure_json(&values("dom_content_loaded_ms")),
        "wasm_download_ms": report::figure_json(&download),
        "wasm_instantiation_ms": report::figure_json(&instantiation),
        "wasm_start_ms": report::figure_json(&values("wasm_start_ms")),
    });
    section["targets"] = json!([report::target_json(
        "Navigation start to first user row painted, median",
        format!("≤ {FIRST_ROW_TARGET_MS:.0} ms"),
        median.map_or("–".to_owned(), |median| format!("{median:.1} ms")),
        is_met,
    )]);
    section
}

/// Rows of the figures table: key in `figures`, and what it measures.
const FIGURE_ROWS: &[(&str, &str)] = &[
    ("first_row_ms", "Navigation start to first user row painted"),
    (
        "dom_content_loaded_ms",
        "Navigation start to DOMContentLoaded end",
    ),
    (
        "wasm_download_ms",
        "Wasm download: fetch start to response end",
    ),
    (
        "wasm_instantiation_ms",
        "Wasm instantiation: response end to the start of `main`",
    ),
    ("wasm_start_ms", "Navigation start to the start of `main`"),
];

/// Renders the load section of BENCHMARKS.md from its JSON.
pub fn render(section: &Value) -> String {
    let mut markdown = String::from("## Load: the users list, cold\n\n");
    markdown.push_str(&report::measured_line(section));
    let runs = section["runs"].as_array().map_or(0, Vec::len);
    markdown.push_str(&format!(
        "Headless Chromium opened `/users` of the release build {runs} times, each time in a \
         new session through ChromeDriver, so with a new profile and an empty HTTP cache. \
         The release backend served the app and the API on 127.0.0.1, uncompressed, from a \
         database seeded with 100,000 users; the admin's session cookie was set before the \
         page opened. The window was 1280 x 800.\n\n\
         | figure | median ms | lowest–highest ms |\n|---|---|---|\n"
    ));
    for (key, title) in FIGURE_ROWS {
        let figure = &section["figures"][*key];
        let range = match figure_spread(figure) {
            Some(spread) => format!("{:.1}–{:.1}", spread.min, spread.max),
            None => "–".to_owned(),
        };
        let median = milliseconds(figure);
        let median = median.split(' ').next().unwrap_or("–");
        markdown.push_str(&format!("| {title} | {median} | {range} |\n"));
    }
    markdown.push('\n');
    markdown.push_str(&report::targets_table(section));
    markdown.push_str(
        "\nHow the figures are taken: the app sets the performance mark \
         `console:wasm-start` first thing in `main`, and `console:first-user-row-painted` \
         in a zero timeout queued from the `requestAnimationFrame` callback that follows the \
         first rows' insertion, so it falls right after the frame that paints them. Times \
         count from the navigation's start (the page's time origin). The wasm's fetch start \
         and response end come from its resource timing entry. Wasm instantiation is the time \
         from the wasm response's last byte to the start of `main`: the compilation that \
         streaming had not finished during the download, instantiation, and wasm-bindgen's \
         start-up. Before it mounts, the app reads `config.json`; the first row then needs two \
         API requests: the session and the first page of users.\n",
    );
    markdown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(first_row_ms: f64) -> Value {
        json!({
            "first_row_ms": first_row_ms,
            "wasm_start_ms": 100.0,
            "wasm_fetch_start_ms": 20.0,
            "wasm_response_end_ms": 70.0,
            "wasm_transfer_bytes": 868_815,
            "dom_content_loaded_ms": 30.0,
            "path": "/users",
            "rows": 25,
        })
    }

    #[test]
    fn section_derives_instantiation_and_target() {
        let section = section_json(&[load(250.0), load(350.0), load(290.0)]);
        let instantiation = &section["figures"]["wasm_instantiation_ms"];
        assert_eq!(instantiation["median"], 30.0, "start minus response end");
        assert_eq!(
            section["figures"]["wasm_download_ms"]["median"], 50.0,
            "download"
        );
        assert_eq!(
            section["targets"][0]["met"], true,
            "median 290 ms meets 300 ms"
        );
        let slow = section_json(&[load(301.0)]);
        assert_eq!(slow["targets"][0]["met"], false, "301 ms misses 300 ms");
    }

    #[test]
    fn check_load_rejects_cached_wasm_and_sign_in_page() {
        assert!(check_load(&load(200.0)).is_ok(), "a cold, signed-in load");
        let mut cached = load(200.0);
        cached["wasm_transfer_bytes"] = json!(0);
        assert!(check_load(&cached).is_err(), "wasm from the cache");
        let mut signed_out = load(200.0);
        signed_out["path"] = json!("/sign-in");
        assert!(check_load(&signed_out).is_err(), "the sign-in page");
    }
}
