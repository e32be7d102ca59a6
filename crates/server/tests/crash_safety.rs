//! Guards crash safety: the server binary is killed with SIGKILL during a burst of creates,
//! then started again on the same database. The database must pass `PRAGMA integrity_check`,
//! and every create that got a 201 must be stored with its invitation email.

#[path = "common/http_client.rs"]
mod http_client;

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_client::send;

const ADMIN_PASSWORD: &str = "crash-admin-password";
const WRITERS: usize = 6;

/// Returns a 127.0.0.1 address with a port that was free a moment ago, so parallel test
/// runs don't share a port.
fn free_local_addr() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let addr = listener.local_addr().expect("the bound address");
    addr.to_string()
}

fn start_server(addr: &str, data_dir: &std::path::Path) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(data_dir.join("server.log"))
        .expect("server log file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_console-server"))
        .args(["--addr", addr, "--data-dir"])
        .arg(data_dir)
        .env("CONSOLE_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("CONSOLE_VIEWER_PASSWORD", "crash-viewer-password")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("the server binary starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if send(addr, "GET", "/api/v1/health", &[], None).is_ok_and(|r| r.status == 200) {
            return child;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not answer /health within 20 s; see server.log");
}

fn sign_in(addr: &str) -> String {
    let body = format!(r#"{{"username":"admin","password":"{ADMIN_PASSWORD}"}}"#);
    let response = send(addr, "POST", "/api/v1/session", &[], Some(&body)).expect("sign-in");
    assert_eq!(response.status, 200, "sign-in: {}", response.body);
    let cookie = response.header("set-cookie").expect("a session cookie");
    cookie.split(';').next().unwrap_or_default().to_owned()
}

fn new_user_body(username: &str) -> String {
    format!(
        r#"{{"username":"{username}","first_name":"Crash","last_name":"Test",
            "email":"{username}@example.com","admin_level":"basic_user","account_ids":[1]}}"#
    )
}

/// Creates users until a request fails, recording each username that got a 201.
fn write_until_killed(addr: &str, writer: usize, cookie: &str, acknowledged: &Mutex<Vec<String>>) {
    for index in 0.. {
        let username = format!("crash.{writer}.{index}");
        let key = format!("crash-key-{writer}-{index}");
        let headers = [("Cookie", cookie), ("Idempotency-Key", key.as_str())];
        match send(
            addr,
            "POST",
            "/api/v1/users",
            &headers,
            Some(&new_user_body(&username)),
        ) {
            Ok(response) if response.status == 201 => {
                acknowledged.lock().unwrap().push(username);
            }
            Ok(response) => panic!("create {username}: {} {}", response.status, response.body),
            Err(_) => return,
        }
    }
}

#[test]
fn acknowledged_creates_survive_sigkill() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let addr = free_local_addr();
    let mut server = start_server(&addr, dir.path());
    let cookie = sign_in(&addr);
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let (addr, cookie) = (addr.clone(), cookie.clone());
            let acknowledged = Arc::clone(&acknowledged);
            std::thread::spawn(move || write_until_killed(&addr, writer, &cookie, &acknowledged))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));

    server.kill().expect("SIGKILL to the server");
    server.wait().expect("the killed server is reaped");
    for writer in writers {
        writer.join().expect("writer thread");
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 10,
        "the burst wrote only {} users",
        acknowledged.len()
    );

    let mut restarted = start_server(&addr, dir.path());
    let after_restart = sign_in(&addr);
    let listed = send(
        &addr,
        "GET",
        "/api/v1/users?q=crash.&per_page=1",
        &[("Cookie", after_restart.as_str())],
        None,
    )
    .expect("list after restart");
    assert_eq!(listed.status, 200, "{}", listed.body);
    restarted.kill().expect("stop the restarted server");
    restarted.wait().expect("reap the restarted server");

    let connection =
        rusqlite::Connection::open(dir.path().join("console.sqlite3")).expect("the database opens");
    let integrity: String = connection
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .expect("integrity check runs");
    assert_eq!(integrity, "ok");
    for username in &acknowledged {
        let (users, emails): (i64, i64) = connection
            .query_row(
                "SELECT (SELECT count(*) FROM users WHERE username = ?1), \
                    (SELECT count(*) FROM outbox WHERE recipient = ?1 || '@example.com')",
                [username],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .expect("look-up of an acknowledged user");
        assert_eq!(users, 1, "acknowledged user {username} is stored");
        assert_eq!(emails, 1, "and so is its invitation email");
    }
}
