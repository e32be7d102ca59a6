//! `bench robustness`: checks that writes stay correct under concurrency and crashes, against
//! the release backend that this section starts and kills itself, and writes the figures to
//! docs/robustness.md. Settings come from the environment (`cargo xtask robustness` sets them):
//! ROBUSTNESS_SERVER (the console-server binary), ROBUSTNESS_ADDR, ROBUSTNESS_DATA_DIR,
//! ROBUSTNESS_ADMIN_PASSWORD, ROBUSTNESS_OUTPUT (the report) and optionally
//! ROBUSTNESS_SECONDS (default 60) and ROBUSTNESS_CLIENTS (default 100).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::Result;
use crate::http::{self, Response};

pub struct Settings {
    server: PathBuf,
    addr: String,
    data_dir: PathBuf,
    admin_password: String,
    output: PathBuf,
    seconds: u64,
    clients: usize,
}

impl Settings {
    pub fn from_env() -> Result<Settings> {
        let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
        let number = |name: &str, default: u64| -> Result<u64> {
            match std::env::var(name) {
                Ok(value) => value
                    .parse()
                    .map_err(|_| format!("{name} must be a whole number (it is {value:?})")),
                Err(_) => Ok(default),
            }
        };
        Ok(Settings {
            server: var("ROBUSTNESS_SERVER")?.into(),
            addr: var("ROBUSTNESS_ADDR")?,
            data_dir: var("ROBUSTNESS_DATA_DIR")?.into(),
            admin_password: var("ROBUSTNESS_ADMIN_PASSWORD")?,
            output: var("ROBUSTNESS_OUTPUT")?.into(),
            seconds: number("ROBUSTNESS_SECONDS", 60)?,
            clients: usize::try_from(number("ROBUSTNESS_CLIENTS", 100)?).unwrap_or(100),
        })
    }
}

/// Runs every check, writes the report, and fails when a check fails.
pub fn run(settings: &Settings) -> Result {
    let mut server = start(settings)?;
    let cookie = sign_in(settings)?;
    let same_username = concurrent_creates(settings, &cookie, false)?;
    let same_key = concurrent_creates(settings, &cookie, true)?;
    let mixed = mixed_load(settings, &cookie)?;
    let _ = server.kill();
    let _ = server.wait();
    let crash = crash_check(settings)?;
    let report = report(settings, &same_username, &same_key, &mixed, &crash);
    std::fs::write(&settings.output, &report)
        .map_err(|e| format!("could not write {}: {e}", settings.output.display()))?;
    println!("{report}");
    let failures: Vec<&str> = [
        (same_username.created != 1, "same-username creates"),
        (same_key.created != 1, "same-key creates"),
        (mixed.server_errors > 0 || !mixed.counts_match, "mixed load"),
        (!crash.is_intact || crash.missing > 0, "kill -9"),
    ]
    .into_iter()
    .filter_map(|(failed, name)| failed.then_some(name))
    .collect();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("failed checks: {}", failures.join(", ")))
    }
}

fn start(settings: &Settings) -> Result<Child> {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(settings.data_dir.join("server.log"))
        .map_err(|e| format!("could not open the server log: {e}"))?;
    let mut child = Command::new(&settings.server)
        .args(["--addr", &settings.addr, "--data-dir"])
        .arg(&settings.data_dir)
        .env("CONSOLE_ADMIN_PASSWORD", &settings.admin_password)
        .env("CONSOLE_VIEWER_PASSWORD", "robustness-viewer-password")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", settings.server.display()))?;
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        let health = http::send(&settings.addr, "GET", "/api/v1/health", None, None);
        if health.is_ok_and(|response| response.status == 200) {
            return Ok(child);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    Err("the backend did not answer /health within 30 s".to_owned())
}

fn sign_in(settings: &Settings) -> Result<String> {
    let body = format!(
        r#"{{"username":"admin","password":"{}"}}"#,
        settings.admin_password
    );
    let response = http::send(&settings.addr, "POST", "/api/v1/session", None, Some(&body))?;
    let cookie = header(&response, "set-cookie")
        .and_then(|value| value.split(';').next())
        .filter(|_| response.status == 200)
        .ok_or_else(|| format!("sign-in failed: {} {}", response.status, response.body))?;
    Ok(cookie.to_owned())
}

fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response
        .headers
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

fn new_user_body(username: &str, email: &str) -> String {
    format!(
        r#"{{"username":"{username}","first_name":"Load","last_name":"Test","email":"{email}","admin_level":"basic_user","account_ids":[1]}}"#
    )
}

/// Outcome of 50 concurrent creates of one user.
struct Concurrent {
    created: usize,
    statuses: HashMap<u16, usize>,
}

/// Sends 50 creates of one username at once: each with its own email and no key, or all
/// identical with one `Idempotency-Key`. Counts the users created (201 not replayed).
fn concurrent_creates(settings: &Settings, cookie: &str, same_key: bool) -> Result<Concurrent> {
    let name = if same_key { "race.key" } else { "race.name" };
    let threads: Vec<_> = (0..50)
        .map(|index| {
            let (addr, cookie) = (settings.addr.clone(), cookie.to_owned());
            let email = if same_key {
                format!("{name}@example.com")
            } else {
                format!("{name}{index}@example.com")
            };
            std::thread::spawn(move || {
                let body = new_user_body(name, &email);
                let mut headers = vec![("Cookie", cookie.as_str())];
                if same_key {
                    headers.push(("Idempotency-Key", "race-key-0123456789"));
                }
                http::send_with_headers(&addr, "POST", "/api/v1/users", &headers, Some(&body))
            })
        })
        .collect();
    let mut outcome = Concurrent {
        created: 0,
        statuses: HashMap::new(),
    };
    for thread in threads {
        let response = thread.join().map_err(|_| "a create thread panicked")??;
        *outcome.statuses.entry(response.status).or_default() += 1;
        if response.status == 201 && header(&response, "idempotent-replayed").is_none() {
            outcome.created += 1;
        }
    }
    Ok(outcome)
}

/// Outcome of the mixed load.
#[derive(Default)]
struct Mixed {
    requests: usize,
    server_errors: usize,
    statuses: HashMap<u16, usize>,
    creates: usize,
    expected_deactivated: usize,
    stored_created: u64,
    stored_deactivated: u64,
    counts_match: bool,
}

/// One client's own users: (id, ETag, whether deactivated) as its successful requests left
/// them. Clients touch only their own users, so the expected end state is known exactly.
#[derive(Default)]
struct ClientState {
    users: Vec<(i64, String, bool)>,
    requests: usize,
    statuses: HashMap<u16, usize>,
}

/// Runs `settings.clients` clients for `settings.seconds`, each looping over list, create,
/// edit and deactivate or reactivate of its own users, then compares the stored counts with
/// the successful requests.
fn mixed_load(settings: &Settings, cookie: &str) -> Result<Mixed> {
    let deadline = Instant::now() + Duration::from_secs(settings.seconds);
    let states: Vec<Arc<Mutex<ClientState>>> = (0..settings.clients)
        .map(|_| Arc::new(Mutex::new(ClientState::default())))
        .collect();
    let threads: Vec<_> = states
        .iter()
        .enumerate()
        .map(|(client, state)| {
            let (addr, cookie, state) =
                (settings.addr.clone(), cookie.to_owned(), Arc::clone(state));
            std::thread::spawn(move || run_client(&addr, &cookie, client, deadline, &state))
        })
        .collect();
    for thread in threads {
        thread.join().map_err(|_| "a load client panicked")??;
    }
    let mut mixed = Mixed::default();
    for state in &states {
        let state = state.lock().map_err(|_| "a client state is poisoned")?;
        mixed.requests += state.requests;
        for (status, count) in &state.statuses {
            *mixed.statuses.entry(*status).or_default() += count;
            if *status >= 500 {
                mixed.server_errors += count;
            }
        }
        mixed.creates += state.users.len();
        mixed.expected_deactivated += state.users.iter().filter(|user| user.2).count();
    }
    mixed.stored_created = total(settings, cookie, "q=load.&status=all")?;
    mixed.stored_deactivated = total(settings, cookie, "q=load.&status=deactivated")?;
    mixed.counts_match = mixed.stored_created == mixed.creates as u64
        && mixed.stored_deactivated == mixed.expected_deactivated as u64;
    Ok(mixed)
}

fn total(settings: &Settings, cookie: &str, query: &str) -> Result<u64> {
    let path = format!("/api/v1/users?{query}&per_page=1");
    let response = http::send(&settings.addr, "GET", &path, Some(cookie), None)?;
    let page: serde_json::Value = serde_json::from_str(&response.body)
        .map_err(|e| format!("the list is not JSON ({e}): {}", response.body))?;
    page["total"]
        .as_u64()
        .ok_or_else(|| format!("the list has no total: {}", response.body))
}

fn run_client(
    addr: &str,
    cookie: &str,
    client: usize,
    deadline: Instant,
    state: &Mutex<ClientState>,
) -> Result {
    let mut step = 0usize;
    while Instant::now() < deadline {
        let mut state = state.lock().map_err(|_| "a client state is poisoned")?;
        let response = match step % 4 {
            0 => http::send(addr, "GET", "/api/v1/users?q=load.", Some(cookie), None)?,
            1 => {
                let username = format!("load.{client}.{step}");
                let body = new_user_body(&username, &format!("{username}@example.com"));
                let key = format!("load-{client}-{step}-key");
                let headers = [("Cookie", cookie), ("Idempotency-Key", key.as_str())];
                let response =
                    http::send_with_headers(addr, "POST", "/api/v1/users", &headers, Some(&body))?;
                if response.status == 201 {
                    let user: serde_json::Value =
                        serde_json::from_str(&response.body).map_err(|e| e.to_string())?;
                    let etag = header(&response, "etag").unwrap_or("*").to_owned();
                    state
                        .users
                        .push((user["id"].as_i64().unwrap_or_default(), etag, false));
                }
                response
            }
            2 if !state.users.is_empty() => {
                let index = step % state.users.len();
                let (id, etag, _) = state.users[index].clone();
                let body = format!(
                    r#"{{"first_name":"Edited{step}","last_name":"Test","email":"load.{client}.{id}@example.com","admin_level":"basic_user","account_ids":[1]}}"#
                );
                let headers = [("Cookie", cookie), ("If-Match", etag.as_str())];
                let path = format!("/api/v1/users/{id}");
                let response =
                    http::send_with_headers(addr, "PATCH", &path, &headers, Some(&body))?;
                if let (200, Some(etag)) = (response.status, header(&response, "etag")) {
                    state.users[index].1 = etag.to_owned();
                }
                response
            }
            3 if !state.users.is_empty() => {
                let index = step % state.users.len();
                let (id, etag, is_deactivated) = state.users[index].clone();
                let action = if is_deactivated {
                    "reactivate"
                } else {
                    "deactivate"
                };
                let headers = [("Cookie", cookie), ("If-Match", etag.as_str())];
                let path = format!("/api/v1/users/{id}/{action}");
                let response = http::send_with_headers(addr, "POST", &path, &headers, None)?;
                if response.status == 200 {
                    state.users[index].2 = !is_deactivated;
                    state.users[index].1 = header(&response, "etag").unwrap_or("*").to_owned();
                }
                response
            }
            _ => http::send(
                addr,
                "GET",
                "/api/v1/users?status=active",
                Some(cookie),
                None,
            )?,
        };
        state.requests += 1;
        *state.statuses.entry(response.status).or_default() += 1;
        step += 1;
    }
    Ok(())
}

/// Outcome of the kill -9 check.
struct Crash {
    acknowledged: usize,
    missing: usize,
    is_intact: bool,
    integrity: String,
}

/// Restarts the backend, writes creates from 8 threads, kills the backend with SIGKILL after
/// 2 s, starts it again, and checks the database and every create that got a 201.
fn crash_check(settings: &Settings) -> Result<Crash> {
    let mut server = start(settings)?;
    let cookie = sign_in(settings)?;
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let threads: Vec<_> = (0..8)
        .map(|writer| {
            let (addr, cookie, acknowledged) = (
                settings.addr.clone(),
                cookie.clone(),
                Arc::clone(&acknowledged),
            );
            std::thread::spawn(move || {
                for index in 0.. {
                    let username = format!("crash.{writer}.{index}");
                    let body = new_user_body(&username, &format!("{username}@example.com"));
                    let headers = [("Cookie", cookie.as_str())];
                    match http::send_with_headers(
                        &addr,
                        "POST",
                        "/api/v1/users",
                        &headers,
                        Some(&body),
                    ) {
                        Ok(response) if response.status == 201 => {
                            if let Ok(mut list) = acknowledged.lock() {
                                list.push(username);
                            }
                        }
                        _ => return,
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(2));
    server
        .kill()
        .map_err(|e| format!("could not kill the backend: {e}"))?;
    let _ = server.wait();
    for thread in threads {
        let _ = thread.join();
    }
    let mut restarted = start(settings)?;
    let _ = restarted.kill();
    let _ = restarted.wait();
    let connection = rusqlite::Connection::open(settings.data_dir.join("console.sqlite3"))
        .map_err(|e| format!("could not open the database: {e}"))?;
    let integrity: String = connection
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .map_err(|e| format!("integrity_check failed to run: {e}"))?;
    let acknowledged = acknowledged.lock().map_err(|_| "poisoned")?.clone();
    let mut missing = 0;
    for username in &acknowledged {
        let count: i64 = connection
            .query_row(
                "SELECT count(*) FROM users WHERE username = ?1",
                [username],
                |row| row.get(0),
            )
            .map_err(|e| format!("look-up of {username} failed: {e}"))?;
        if count != 1 {
            missing += 1;
        }
    }
    Ok(Crash {
        acknowledged: acknowledged.len(),
        missing,
        is_intact: integrity == "ok",
        integrity,
    })
}

fn statuses(counts: &HashMap<u16, usize>) -> String {
    let mut sorted: Vec<_> = counts.iter().collect();
    sorted.sort();
    sorted
        .iter()
        .map(|(status, count)| format!("{count} × {status}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn report(
    settings: &Settings,
    same_username: &Concurrent,
    same_key: &Concurrent,
    mixed: &Mixed,
    crash: &Crash,
) -> String {
    let machine = crate::machine::summary(&crate::machine::describe());
    let mut text = String::from(
        "## Robustness of writes\n\nWritten by `cargo xtask robustness` \
         (`crates/bench/src/robustness.rs`) against the release backend on a fresh database.\n\n",
    );
    let _ = writeln!(text, "Machine: {machine}\n");
    let _ = writeln!(text, "| check | result |\n|---|---|");
    let _ = writeln!(
        text,
        "| 50 concurrent creates of one username, no key | {} created; {} |",
        same_username.created,
        statuses(&same_username.statuses)
    );
    let _ = writeln!(
        text,
        "| 50 concurrent identical creates, one Idempotency-Key | {} created; {} |",
        same_key.created,
        statuses(&same_key.statuses)
    );
    let _ = writeln!(
        text,
        "| {} clients, {} s of list, create, edit, deactivate/reactivate | {} requests, {} answers 5xx; {} |",
        settings.clients,
        settings.seconds,
        mixed.requests,
        mixed.server_errors,
        statuses(&mixed.statuses)
    );
    let _ = writeln!(
        text,
        "| stored counts after the load | {} users created (201: {}), {} deactivated (expected {}): {} |",
        mixed.stored_created,
        mixed.creates,
        mixed.stored_deactivated,
        mixed.expected_deactivated,
        if mixed.counts_match {
            "match"
        } else {
            "MISMATCH"
        }
    );
    let _ = writeln!(
        text,
        "| kill -9 during 8 writers, then restart | integrity_check {}; {} creates answered 201, {} missing |",
        crash.integrity, crash.acknowledged, crash.missing
    );
    text.push_str(
        "\nEach load client edits and changes the status of its own users only, so the expected \
         end state follows from its 2xx writes. An edit sets the email \
         `load.<client>.<user id>@example.com`, which can equal the email that another user of \
         the same client got at creation (`load.<client>.<step>@example.com`): the backend \
         rejects that edit with 409, and it changes nothing.\n",
    );
    text
}
