//! The backend section: the release backend on a large seeded database, loaded by wrk in
//! one scenario after another (first pages, deep pages, sorted and filtered lists, searches,
//! a bulk status preview, new users), repeated for a median and a range, with the backend's
//! peak memory.

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::stats::Spread;
use crate::wrk::{self, Figures, Load, Requests};
use crate::{Result, env_number, env_var, http, machine, report};

/// p95 latency that listing and searching must stay within.
const LATENCY_TARGET_MS: f64 = 20.0;
/// Peak resident memory of the backend that must not be exceeded.
const RSS_TARGET_MIB: f64 = 100.0;
/// Users per page, as the app requests them.
const PER_PAGE: u64 = 25;

/// Terms of the search scenario, as an admin types them to find people: last names, first
/// names, full names, usernames and email addresses, the start of a name while typing, and
/// two-letter names, which take the prefix search.
const SEARCH_TERMS: &[&str] = &[
    "garcia",
    "nguyen",
    "müller",
    "kowalski",
    "patel",
    "o'brien",
    "okafor",
    "lindqvist",
    "sofia",
    "mateo",
    "priya",
    "yusuf",
    "ingrid",
    "mei wong",
    "james smith",
    "aisha khan",
    "lucas silva",
    "liam.chen3",
    "emma.taylor",
    "kenji.suzuki@",
    "rosa.lee2@meridianlabs",
    "kowa",
    "ferr",
    "nguy",
    "sant",
    "li",
    "ng",
    "wu",
];

/// Filters of the filtered-list scenario, as query parameters: each filter alone, and mixed
/// with a status, another filter or a search.
const FILTERS: &[&str] = &[
    "level=account_admin",
    "role=porting",
    "account=17",
    "status=invited&level=account_admin",
    "status=active&level=basic_user&role=ordering",
    "account=3&role=reporting",
    "q=garcia&level=basic_user",
];

/// Sorts of the filtered-list scenario, as `sort` and `dir`.
const FILTER_SORTS: &[(&str, &str)] = &[
    ("username", "asc"),
    ("name", "asc"),
    ("created", "desc"),
    ("last_sign_in", "desc"),
];

/// Searches from which the bulk preview takes the one whose matches are nearest to
/// [`BULK_PREVIEW_USERS`].
const BULK_SEARCHES: &[&str] = &[
    "garcia",
    "nguyen",
    "patel",
    "kowalski",
    "okafor",
    "lindqvist",
    "müller",
    "smith",
    "silva",
    "khan",
    "wong",
    "chen",
];
/// Users a bulk preview should include, as an admin selecting all users of a filter might.
const BULK_PREVIEW_USERS: u64 = 1_000;

/// Settings of the backend section, from the environment that `cargo xtask bench` sets.
pub struct Settings {
    /// `host:port` of the backend.
    address: String,
    admin_password: String,
    server_pid: u32,
    server_log: Option<PathBuf>,
    wrk: PathBuf,
    script: PathBuf,
    output_dir: PathBuf,
    runs: u64,
    load: Load,
    /// The command line that started the bench, for the report.
    command: String,
    seed_users: u64,
    seed_accounts: u64,
}

impl Settings {
    pub fn from_env() -> Result<Settings> {
        let url = env_var("BENCH_URL")?;
        let address = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let server_pid = env_var("BENCH_SERVER_PID")?;
        Ok(Settings {
            address,
            admin_password: env_var("BENCH_ADMIN_PASSWORD")?,
            server_pid: server_pid.parse().map_err(|_| {
                format!("BENCH_SERVER_PID must be a process id, not {server_pid:?}")
            })?,
            server_log: std::env::var_os("BENCH_SERVER_LOG").map(PathBuf::from),
            wrk: PathBuf::from(env_var("BENCH_WRK")?),
            script: PathBuf::from(env_var("BENCH_WRK_SCRIPT")?),
            output_dir: PathBuf::from(env_var("BENCH_OUTPUT_DIR")?),
            runs: env_number("BENCH_RUNS", 3)?.max(1),
            load: Load {
                threads: 2,
                connections: 16,
                seconds: env_number("BENCH_SECONDS", 30)?.max(1),
            },
            command: crate::command_line(),
            seed_users: env_number("BENCH_SEED_USERS", 100_000)?,
            seed_accounts: env_number("BENCH_SEED_ACCOUNTS", 2_000)?,
        })
    }

    fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }
}

/// One load scenario.
struct Scenario {
    id: &'static str,
    title: &'static str,
    /// Description of the requests, for BENCHMARKS.md.
    description: String,
    requests: ScenarioRequests,
    /// Open connections (and threads) instead of those of the section's load.
    connections: Option<u64>,
    target_p95_ms: Option<f64>,
}

/// The requests of one scenario.
enum ScenarioRequests {
    /// GET requests that cycle through these paths.
    Get(Vec<String>),
    /// POSTs of new users.
    CreateUsers,
    /// The same JSON POST each time.
    Post { path: String, body: String },
}

/// Measures every scenario `settings.runs` times and records the section.
pub fn run(settings: &Settings) -> Result {
    let machine = machine::describe();
    let cookie = http::sign_in(&settings.address, "admin", &settings.admin_password)?;
    let totals = status_totals(settings, &cookie)?;
    if totals[0].1 < settings.seed_users {
        return Err(format!(
            "the backend lists {} users, fewer than the {} seeded; start it on an empty data folder",
            totals[0].1, settings.seed_users
        ));
    }
    let bulk_search = bulk_preview_search(settings, &cookie)?;
    let scenarios = scenarios(&totals, &bulk_search);
    let figures = measure(settings, &cookie, &scenarios)?;
    let peak_rss_kib = machine::peak_rss_kib(settings.server_pid)?;
    let section = section_json(
        settings,
        machine,
        &totals,
        &scenarios,
        &figures,
        peak_rss_kib,
    );
    report::record(&settings.output_dir, "backend", section)
}

/// Runs every scenario in turn, `settings.runs` times, and returns the figures of each
/// scenario's runs.
fn measure(settings: &Settings, cookie: &str, scenarios: &[Scenario]) -> Result<Vec<Vec<Figures>>> {
    let mut figures: Vec<Vec<Figures>> = vec![Vec::new(); scenarios.len()];
    for run in 1..=settings.runs {
        for (scenario, results) in scenarios.iter().zip(&mut figures) {
            println!("bench: run {run} of {}: {}", settings.runs, scenario.title);
            let requests = match &scenario.requests {
                ScenarioRequests::Get(paths) => Requests::Get(paths),
                ScenarioRequests::CreateUsers => Requests::Create { run },
                ScenarioRequests::Post { path, body } => Requests::Post { path, body },
            };
            let load = match scenario.connections {
                Some(connections) => Load {
                    threads: connections.min(settings.load.threads),
                    connections,
                    seconds: settings.load.seconds,
                },
                None => settings.load.clone(),
            };
            let result = wrk::run(
                &settings.wrk,
                &settings.script,
                &settings.base_url(),
                cookie,
                &load,
                &requests,
            )?;
            println!(
                "bench:   p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, {:.0} requests/s, {} errors, \
                 backend peak memory so far {:.1} MiB",
                ms(result.p50_us),
                ms(result.p95_us),
                ms(result.p99_us),
                result.requests_per_second(),
                result.errors,
                machine::peak_rss_kib(settings.server_pid)? as f64 / 1024.0
            );
            results.push(result);
        }
    }
    Ok(figures)
}

fn ms(microseconds: u64) -> f64 {
    microseconds as f64 / 1000.0
}

/// Returns how many users the list shows with each status filter, `all` first.
fn status_totals(settings: &Settings, cookie: &str) -> Result<Vec<(&'static str, u64)>> {
    let mut totals = Vec::new();
    for status in ["all", "active", "invited", "deactivated"] {
        let path = format!("/api/v1/users?status={status}&per_page=1");
        totals.push((status, total_of(settings, cookie, &path)?));
    }
    Ok(totals)
}

/// A search for the bulk preview and how many users it matches.
struct BulkSearch {
    term: &'static str,
    matches: u64,
}

/// Returns the search of [`BULK_SEARCHES`] whose number of matches is nearest to
/// [`BULK_PREVIEW_USERS`].
fn bulk_preview_search(settings: &Settings, cookie: &str) -> Result<BulkSearch> {
    let mut nearest: Option<BulkSearch> = None;
    for &term in BULK_SEARCHES {
        let path = format!("/api/v1/users?q={}&per_page=1", percent_encode(term));
        let matches = total_of(settings, cookie, &path)?;
        let distance = matches.abs_diff(BULK_PREVIEW_USERS);
        if nearest
            .as_ref()
            .is_none_or(|best| distance < best.matches.abs_diff(BULK_PREVIEW_USERS))
        {
            nearest = Some(BulkSearch { term, matches });
        }
    }
    nearest.ok_or_else(|| "no search for the bulk preview".to_owned())
}

fn total_of(settings: &Settings, cookie: &str, path: &str) -> Result<u64> {
    let response = http::send(&settings.address, "GET", path, Some(cookie), None)?;
    let body: Value = serde_json::from_str(&response.body)
        .map_err(|e| format!("GET {path} returned {} and no JSON: {e}", response.status))?;
    body["total"]
        .as_u64()
        .ok_or_else(|| format!("GET {path} returned no total: {}", response.body))
}

fn scenarios(totals: &[(&'static str, u64)], bulk_search: &BulkSearch) -> Vec<Scenario> {
    let search_paths: Vec<String> = SEARCH_TERMS
        .iter()
        .map(|term| list_path(term, "all", 1))
        .collect();
    vec![
        Scenario {
            id: "list_first_page",
            title: "List, first page",
            description: "the first page of 25 users of each status filter".to_owned(),
            requests: ScenarioRequests::Get(
                totals
                    .iter()
                    .map(|(status, _)| list_path("", status, 1))
                    .collect(),
            ),
            connections: None,
            target_p95_ms: Some(LATENCY_TARGET_MS),
        },
        Scenario {
            id: "list_deep_pages",
            title: "List, deep pages",
            description: "pages spread over the last three quarters of each status filter's \
                pages, such as page 4,000 of all users"
                .to_owned(),
            requests: ScenarioRequests::Get(deep_page_paths(totals)),
            connections: None,
            target_p95_ms: Some(LATENCY_TARGET_MS),
        },
        Scenario {
            id: "list_sorted",
            title: "List, sorted",
            description: format!(
                "pages {} of all users sorted by each column in both directions",
                SORTED_PAGES
                    .iter()
                    .map(|page| with_thousands(*page))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            requests: ScenarioRequests::Get(sorted_paths()),
            connections: None,
            target_p95_ms: Some(LATENCY_TARGET_MS),
        },
        Scenario {
            id: "list_filtered",
            title: "List, filtered and sorted",
            description: format!(
                "pages 1 and 5 of each of {} filters ({}), each sorted by {}",
                FILTERS.len(),
                FILTERS
                    .iter()
                    .map(|filter| format!("`{filter}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                FILTER_SORTS
                    .iter()
                    .map(|(sort, dir)| format!("{sort} {dir}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            requests: ScenarioRequests::Get(filtered_paths()),
            connections: None,
            target_p95_ms: Some(LATENCY_TARGET_MS),
        },
        Scenario {
            id: "search",
            title: "Search, mixed terms",
            description: format!(
                "the first page of each of {} searches: {}",
                SEARCH_TERMS.len(),
                quoted_terms()
            ),
            requests: ScenarioRequests::Get(search_paths),
            connections: None,
            target_p95_ms: Some(LATENCY_TARGET_MS),
        },
        Scenario {
            id: "bulk_preview",
            title: "Bulk deactivation preview",
            description: format!(
                "POST /api/v1/users/bulk-status with `dry_run` for the {} users matching \
                 `{}`, one request at a time (one connection), as one admin previews; each \
                 preview runs the changes in a write transaction and rolls them back",
                with_thousands(bulk_search.matches),
                bulk_search.term
            ),
            requests: ScenarioRequests::Post {
                path: "/api/v1/users/bulk-status".to_owned(),
                body: json!({
                    "action": "deactivate",
                    "selection": { "matching": { "q": bulk_search.term } },
                    "dry_run": true,
                })
                .to_string(),
            },
            connections: Some(1),
            target_p95_ms: None,
        },
        Scenario {
            id: "create_users",
            title: "Create users",
            description: "POST /api/v1/users with a new valid user each time: unique username \
                and email, a work phone, a role and two accounts; each creation also stores \
                an invitation email"
                .to_owned(),
            requests: ScenarioRequests::CreateUsers,
            connections: None,
            target_p95_ms: None,
        },
    ]
}

fn quoted_terms() -> String {
    let terms: Vec<String> = SEARCH_TERMS
        .iter()
        .map(|term| format!("`{term}`"))
        .collect();
    terms.join(", ")
}

/// Returns the list path with the query parameters that the app sends.
fn list_path(search: &str, status: &str, page: u64) -> String {
    format!(
        "/api/v1/users?q={}&status={status}&page={page}&per_page={PER_PAGE}",
        percent_encode(search)
    )
}

/// Pages of the sorted-list scenario: near the start, in the middle and at the back of a
/// list of 100,000 users.
const SORTED_PAGES: [u64; 4] = [1, 40, 400, 3_000];

/// Returns [`SORTED_PAGES`] of every sort in both directions.
fn sorted_paths() -> Vec<String> {
    let sorts = [
        "username",
        "name",
        "email",
        "level",
        "status",
        "created",
        "last_sign_in",
    ];
    let mut paths = Vec::new();
    for sort in sorts {
        for dir in ["asc", "desc"] {
            for page in SORTED_PAGES {
                paths.push(format!(
                    "/api/v1/users?sort={sort}&dir={dir}&page={page}&per_page={PER_PAGE}"
                ));
            }
        }
    }
    paths
}

/// Returns pages 1 and 5 of every filter of [`FILTERS`] in every sort of [`FILTER_SORTS`].
fn filtered_paths() -> Vec<String> {
    let mut paths = Vec::new();
    for filter in FILTERS {
        for (sort, dir) in FILTER_SORTS {
            for page in [1, 5] {
                paths.push(format!(
                    "/api/v1/users?{filter}&sort={sort}&dir={dir}&page={page}&per_page={PER_PAGE}"
                ));
            }
        }
    }
    paths
}

/// Returns 100 pages per status filter, spread evenly from a quarter of its pages to its
/// last page.
fn deep_page_paths(totals: &[(&'static str, u64)]) -> Vec<String> {
    let mut paths = Vec::new();
    for (status, total) in totals {
        let pages = total.div_ceil(PER_PAGE).max(1);
        let first = (pages / 4).max(1);
        for step in 0..100 {
            let page = first + (pages - first) * step / 99;
            paths.push(list_path("", status, page));
        }
    }
    paths
}

/// Percent-encodes every byte of `text` outside the unreserved characters of RFC 3986.
fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

fn section_json(
    settings: &Settings,
    machine: Value,
    totals: &[(&'static str, u64)],
    scenarios: &[Scenario],
    figures: &[Vec<Figures>],
    peak_rss_kib: u64,
) -> Value {
    let scenario_json: Vec<Value> = scenarios
        .iter()
        .zip(figures)
        .map(|(scenario, runs)| scenario_json(scenario, runs))
        .collect();
    let peak_rss_mib = peak_rss_kib as f64 / 1024.0;
    let is_rss_pass = peak_rss_mib <= RSS_TARGET_MIB;
    let is_pass = is_rss_pass && scenario_json.iter().all(|s| s["pass"] == true);
    json!({
        "command": settings.command,
        "machine": machine,
        "setup": {
            "seed_users": settings.seed_users,
            "seed_accounts": settings.seed_accounts,
            "users_listed": totals.iter().map(|(status, total)| json!({ "status": status, "total": total })).collect::<Vec<_>>(),
            "seed_seconds": seed_seconds(settings),
            "wrk": machine::command_output(&settings.wrk.to_string_lossy(), &["-v"]),
            "threads": settings.load.threads,
            "connections": settings.load.connections,
            "seconds_per_scenario": settings.load.seconds,
            "runs": settings.runs,
        },
        "scenarios": scenario_json,
        "peak_rss_mib": peak_rss_mib,
        "rss_target_mib": RSS_TARGET_MIB,
        "rss_pass": is_rss_pass,
        "pass": is_pass,
    })
}

fn scenario_json(scenario: &Scenario, runs: &[Figures]) -> Value {
    let spread = |value: fn(&Figures) -> f64| {
        let values: Vec<f64> = runs.iter().map(value).collect();
        Spread::of(&values).map(Spread::to_json)
    };
    let p95_median = Spread::of(&runs.iter().map(|f| ms(f.p95_us)).collect::<Vec<f64>>())
        .map(|spread| spread.median);
    let errors: u64 = runs.iter().map(|figures| figures.errors).sum();
    let is_latency_pass = match (scenario.target_p95_ms, p95_median) {
        (Some(target), Some(p95)) => p95 <= target,
        (Some(_), None) => false,
        (None, _) => true,
    };
    json!({
        "id": scenario.id,
        "title": scenario.title,
        "description": scenario.description,
        "target_p95_ms": scenario.target_p95_ms,
        "runs": runs.iter().map(|figures| json!({
            "requests": figures.requests,
            "seconds": figures.seconds,
            "requests_per_second": figures.requests_per_second(),
            "errors": figures.errors,
            "p50_ms": ms(figures.p50_us),
            "p95_ms": ms(figures.p95_us),
            "p99_ms": ms(figures.p99_us),
            "max_ms": ms(figures.max_us),
        })).collect::<Vec<_>>(),
        "p50_ms": spread(|f| ms(f.p50_us)),
        "p95_ms": spread(|f| ms(f.p95_us)),
        "p99_ms": spread(|f| ms(f.p99_us)),
        "requests_per_second": spread(Figures::requests_per_second),
        "errors": errors,
        "pass": is_latency_pass && errors == 0,
    })
}

/// Reads how long seeding took from the backend's log line "seeded generated users and
/// accounts ... elapsed_ms=N", in seconds.
fn seed_seconds(settings: &Settings) -> Option<f64> {
    let log = std::fs::read_to_string(settings.server_log.as_ref()?).ok()?;
    let line = log
        .lines()
        .find(|line| line.contains("seeded generated users"))?;
    let milliseconds: f64 = line
        .split("elapsed_ms=")
        .nth(1)?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(milliseconds / 1000.0)
}

/// Renders the backend section of BENCHMARKS.md from its JSON.
pub fn render(section: &Value) -> String {
    let setup = &section["setup"];
    let mut markdown = String::from("## Backend under load\n\n");
    markdown.push_str(&format!(
        "Measured on {} with `{}`, on {}.\n\n",
        text(&section["machine"]["date"]),
        text(&section["command"]),
        machine::summary(&section["machine"])
    ));
    markdown.push_str(&setup_paragraph(setup));
    markdown.push_str(
        "\n| scenario | p50 ms | p95 ms | p99 ms | requests/s | errors | target | result |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for scenario in section["scenarios"].as_array().into_iter().flatten() {
        markdown.push_str(&scenario_row(scenario));
    }
    markdown.push_str(&format!(
        "| Peak memory of the backend (VmHWM) | | | | | | ≤ {:.0} MiB | {:.1} MiB, {} |\n",
        section["rss_target_mib"].as_f64().unwrap_or_default(),
        section["peak_rss_mib"].as_f64().unwrap_or_default(),
        pass_word(&section["rss_pass"])
    ));
    markdown.push_str(
        "\nEach figure is the median of the runs, with the lowest and highest run in brackets \
         when they differ. Errors are responses with a status of 400 or more, plus failed \
         connections, summed over the runs; every scenario must have none. The peak memory \
         is the backend's largest resident set over its whole life, seeding included.\n\n\
         What each scenario sends:\n",
    );
    for scenario in section["scenarios"].as_array().into_iter().flatten() {
        markdown.push_str(&format!(
            "- {}: {}.\n",
            text(&scenario["title"]),
            text(&scenario["description"])
        ));
    }
    markdown
}

fn setup_paragraph(setup: &Value) -> String {
    let listed: Vec<String> = setup["users_listed"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|entry| {
            let total = entry["total"].as_u64().unwrap_or_default();
            format!("{} {}", with_thousands(total), text(&entry["status"]))
        })
        .collect();
    let seeding = match setup["seed_seconds"].as_f64() {
        Some(seconds) => format!(", which took {seconds:.1} s"),
        None => String::new(),
    };
    format!(
        "The release backend (`--profile server`) ran on a new database seeded with \
         `--seed-users {} --seed-accounts {}`{seeding}; before the load it listed {} users. \
         {} loaded it with {} threads and {} connections for {} s per scenario, as the seeded \
         admin, in {} runs of every scenario in turn. Each run's new users stay, so later runs \
         list and search more users.\n",
        setup["seed_users"],
        setup["seed_accounts"],
        listed.join(", "),
        wrk_version(&setup["wrk"]),
        setup["threads"],
        setup["connections"],
        setup["seconds_per_scenario"],
        setup["runs"],
    )
}

/// Formats `number` with a comma between groups of three digits, such as `100,040`.
pub fn with_thousands(number: u64) -> String {
    let digits = number.to_string();
    let mut formatted = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            formatted.push(',');
        }
        formatted.push(digit);
    }
    formatted
}

/// Returns wrk's version line without its copyright, such as `wrk debian/4.1.0-3+b2`.
fn wrk_version(line: &Value) -> &str {
    let line = text(line);
    line.split(" [").next().unwrap_or(line)
}

fn scenario_row(scenario: &Value) -> String {
    let spread = |key: &str, decimals: usize| {
        let value = &scenario[key];
        match (
            value["median"].as_f64(),
            value["min"].as_f64(),
            value["max"].as_f64(),
        ) {
            (Some(median), Some(min), Some(max)) => Spread { median, min, max }.display(decimals),
            _ => "–".to_owned(),
        }
    };
    let target = match scenario["target_p95_ms"].as_f64() {
        Some(target) => format!("p95 ≤ {target:.0} ms, no errors"),
        None => "no errors".to_owned(),
    };
    format!(
        "| {} | {} | {} | {} | {} | {} | {target} | {} |\n",
        text(&scenario["title"]),
        spread("p50_ms", 2),
        spread("p95_ms", 2),
        spread("p99_ms", 2),
        spread("requests_per_second", 0),
        scenario["errors"],
        pass_word(&scenario["pass"])
    )
}

/// Returns the targets that the recorded backend section missed, one line each.
pub fn missed_targets(section: &Value) -> Vec<String> {
    let mut missed: Vec<String> = section["scenarios"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|scenario| scenario["pass"].as_bool() != Some(true))
        .map(|scenario| {
            let target = match scenario["target_p95_ms"].as_f64() {
                Some(target) => format!("p95 ≤ {target:.0} ms and no errors"),
                None => "no errors".to_owned(),
            };
            format!(
                "backend: {} missed its target ({target}): p95 {} ms, {} errors",
                text(&scenario["title"]),
                scenario["p95_ms"]["median"],
                scenario["errors"]
            )
        })
        .collect();
    if section["rss_pass"].as_bool() != Some(true) {
        missed.push(format!(
            "backend: peak memory is {:.1} MiB, target ≤ {:.0} MiB",
            section["peak_rss_mib"].as_f64().unwrap_or_default(),
            section["rss_target_mib"].as_f64().unwrap_or_default()
        ));
    }
    missed
}

fn pass_word(pass: &Value) -> &'static str {
    if pass.as_bool() == Some(true) {
        "pass"
    } else {
        "FAIL"
    }
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or("unknown")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encode_keeps_unreserved_characters() {
        assert_eq!(percent_encode("mei wong"), "mei%20wong", "space");
        assert_eq!(percent_encode("o'brien"), "o%27brien", "apostrophe");
        assert_eq!(percent_encode("müller"), "m%C3%BCller", "UTF-8 bytes");
        assert_eq!(percent_encode("liam.chen3"), "liam.chen3", "unreserved");
    }

    #[test]
    fn with_thousands_groups_digits() {
        assert_eq!(with_thousands(0), "0", "zero");
        assert_eq!(with_thousands(999), "999", "three digits");
        assert_eq!(with_thousands(100_040), "100,040", "six digits");
        assert_eq!(with_thousands(1_234_567), "1,234,567", "seven digits");
    }

    #[test]
    fn deep_pages_span_the_back_of_each_list() {
        let paths = deep_page_paths(&[("all", 100_000), ("invited", 60)]);
        assert_eq!(paths.len(), 200, "100 pages per status");
        assert!(
            paths[0].contains("status=all&page=1000&"),
            "the first deep page is a quarter in: {}",
            paths[0]
        );
        assert!(
            paths[99].contains("page=4000&"),
            "the last page: {}",
            paths[99]
        );
        assert!(
            paths[100].contains("status=invited&page=1&"),
            "a short list starts at 1"
        );
        assert!(
            paths[199].contains("page=3&"),
            "and ends at its last page: {}",
            paths[199]
        );
    }

    #[test]
    fn scenario_fails_on_errors_or_slow_p95() {
        let scenario = Scenario {
            id: "list",
            title: "List",
            description: String::new(),
            requests: ScenarioRequests::Get(Vec::new()),
            connections: None,
            target_p95_ms: Some(20.0),
        };
        let figures = |p95_us, errors| Figures {
            requests: 100,
            seconds: 1.0,
            errors,
            p50_us: 1_000,
            p95_us,
            p99_us: 30_000,
            max_us: 40_000,
        };
        let fast = scenario_json(
            &scenario,
            &[figures(5_000, 0), figures(25_000, 0), figures(6_000, 0)],
        );
        assert_eq!(fast["pass"], true, "the median p95 of 6 ms is within 20 ms");
        let slow = scenario_json(&scenario, &[figures(21_000, 0)]);
        assert_eq!(slow["pass"], false, "21 ms is over the target");
        let failing = scenario_json(&scenario, &[figures(5_000, 1)]);
        assert_eq!(failing["pass"], false, "one error fails the scenario");
    }
}
