//! Runs the `console-server` binary with every log level on (`RUST_LOG=trace`) through a full
//! flow over a real socket: sign-in, a failed sign-in, adding a user, the invitation, setting
//! the password, and the new user's sign-in and sign-out. Then it checks that no secret of
//! the flow appears in the captured output: passwords, session tokens and invitation tokens.
//!
//! The server listens on `CONSOLE_TEST_SECRETS_ADDR` when set (a fixed port), otherwise on
//! a port the system picks.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ADMIN_PASSWORD: &str = "admin-secret-Kq7vX2pL9w";
const NEW_PASSWORD: &str = "new-user-secret-R4tY8uI0oP";
const WRONG_PASSWORD: &str = "wrong-secret-Zx3Cv5Bn7M";

struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct HttpResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl HttpResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.body))
    }
}

fn start_server(data_dir: &Path, log: &Path) -> Server {
    let address =
        std::env::var("CONSOLE_TEST_SECRETS_ADDR").unwrap_or_else(|_| "127.0.0.1:0".to_owned());
    let log_file = std::fs::File::create(log).expect("log file should be created");
    let child = Command::new(env!("CARGO_BIN_EXE_console-server"))
        .args(["--addr", &address, "--expose-outbox", "--data-dir"])
        .arg(data_dir)
        .env("RUST_LOG", "trace")
        .env("CONSOLE_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("CONSOLE_VIEWER_PASSWORD", "viewer-secret-Jh6Gf4Ds2A")
        .stdout(Stdio::from(log_file.try_clone().expect("log file handle")))
        .stderr(Stdio::from(log_file))
        .spawn()
        .expect("console-server should start");
    let mut server = Server {
        child,
        address: String::new(),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let started = text
            .lines()
            .find(|line| line.contains("console-server started"));
        if let Some(line) = started {
            let start = line
                .find("address=")
                .expect("the start line names the address");
            let rest = &line[start + "address=".len()..];
            server.address = rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned();
            return server;
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("console-server exited with {status}: {text}");
        }
        assert!(
            Instant::now() < deadline,
            "console-server did not start: {text}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Sends one HTTP/1.1 request with `Connection: close` and reads the whole response.
fn request(
    server: &Server,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<&serde_json::Value>,
) -> HttpResponse {
    let mut stream = TcpStream::connect(&server.address).expect("connect to the server");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("read timeout");
    let body = body.map(serde_json::Value::to_string).unwrap_or_default();
    let mut head = format!(
        "{method} /api/v1{path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\
         X-Requested-With: console\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n",
        server.address,
        body.len()
    );
    if let Some(cookie) = cookie {
        head.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    head.push_str("\r\n");
    stream
        .write_all(format!("{head}{body}").as_bytes())
        .expect("send the request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    parse_response(&String::from_utf8_lossy(&raw))
}

fn parse_response(raw: &str) -> HttpResponse {
    let (head, body) = raw.split_once("\r\n\r\n").expect("a complete response");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let chunked = headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("transfer-encoding") && value.contains("chunked")
    });
    let body = if chunked {
        decode_chunked(body)
    } else {
        body.to_owned()
    };
    HttpResponse {
        status,
        headers,
        body,
    }
}

fn decode_chunked(mut rest: &str) -> String {
    let mut body = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        body.push_str(&after[..size]);
        rest = &after[size + 2..];
    }
    body
}

/// Returns the value of the `console_session` cookie that a response sets.
fn session_token(response: &HttpResponse) -> String {
    let set_cookie = response
        .header("set-cookie")
        .expect("the response should set the session cookie");
    let pair = set_cookie.split(';').next().unwrap_or_default();
    let token = pair
        .strip_prefix("console_session=")
        .expect("the cookie is console_session");
    assert!(token.len() >= 32, "a long random token: {token}");
    token.to_owned()
}

#[test]
fn trace_logs_contain_no_secrets() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let log = dir.path().join("server.log");
    let server = start_server(&dir.path().join("data"), &log);

    let sign_in = serde_json::json!({"username": "admin", "password": ADMIN_PASSWORD});
    let signed_in = request(&server, "POST", "/session", None, Some(&sign_in));
    assert_eq!(signed_in.status, 200, "admin signs in: {}", signed_in.body);
    let admin_token = session_token(&signed_in);
    let admin_cookie = format!("console_session={admin_token}");

    let wrong = serde_json::json!({"username": "admin", "password": WRONG_PASSWORD});
    let failed = request(&server, "POST", "/session", None, Some(&wrong));
    assert_eq!(failed.status, 401, "a wrong password fails");

    let new_user = serde_json::json!({
        "username": "logcheck",
        "first_name": "Log",
        "last_name": "Check",
        "email": "logcheck@example.com",
        "admin_level": "basic_user",
        "roles": [],
        "account_ids": [1],
    });
    let created = request(
        &server,
        "POST",
        "/users",
        Some(&admin_cookie),
        Some(&new_user),
    );
    assert_eq!(created.status, 201, "user created: {}", created.body);
    let listed = request(
        &server,
        "GET",
        "/users?q=logcheck",
        Some(&admin_cookie),
        None,
    );
    assert_eq!(listed.status, 200, "users listed");

    let outbox = request(
        &server,
        "GET",
        "/dev/outbox?to=logcheck@example.com",
        None,
        None,
    );
    assert_eq!(outbox.status, 200, "outbox read: {}", outbox.body);
    let email_body = outbox.json()[0]["body"]
        .as_str()
        .expect("an invitation email")
        .to_owned();
    let start = email_body.find("#token=").expect("a link with a token") + "#token=".len();
    let invitation_token: String = email_body[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();

    let lookup = serde_json::json!({"token": invitation_token});
    let details = request(&server, "POST", "/invitations/lookup", None, Some(&lookup));
    assert_eq!(
        details.status, 200,
        "invitation looked up: {}",
        details.body
    );
    let accept = serde_json::json!({"token": invitation_token, "password": NEW_PASSWORD});
    let accepted = request(&server, "POST", "/invitations/accept", None, Some(&accept));
    assert_eq!(accepted.status, 204, "password set: {}", accepted.body);

    let new_sign_in = serde_json::json!({"username": "logcheck", "password": NEW_PASSWORD});
    let new_session = request(&server, "POST", "/session", None, Some(&new_sign_in));
    assert_eq!(new_session.status, 200, "the new user signs in");
    let user_token = session_token(&new_session);
    let user_cookie = format!("console_session={user_token}");
    let current = request(&server, "GET", "/session", Some(&user_cookie), None);
    assert_eq!(current.status, 200, "the session works");
    let signed_out = request(&server, "DELETE", "/session", Some(&user_cookie), None);
    assert_eq!(signed_out.status, 204, "signed out");
    drop(server);

    let output = std::fs::read_to_string(&log).expect("the log should be readable");
    assert!(
        output.contains("TRACE") || output.contains("DEBUG"),
        "the log ran at debug or trace level"
    );
    assert!(
        output.contains("user signed in"),
        "the flow was logged: {output}"
    );
    let secrets = [
        ("admin password", ADMIN_PASSWORD),
        ("wrong password", WRONG_PASSWORD),
        ("new user's password", NEW_PASSWORD),
        ("admin session token", admin_token.as_str()),
        ("new user's session token", user_token.as_str()),
        ("invitation token", invitation_token.as_str()),
    ];
    for (what, secret) in secrets {
        assert!(!secret.is_empty(), "{what} was captured");
        let line = output.lines().find(|line| line.contains(secret));
        assert!(line.is_none(), "the {what} leaked into the log: {line:?}");
    }
}
