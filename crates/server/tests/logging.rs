//! Guards the log output of the `console-server` binary when it is not written to a
//! terminal, as when redirected to a file.

use std::process::Command;

#[test]
fn log_to_a_file_has_no_colour_codes() {
    let dir = tempfile::tempdir().expect("temporary directory should be created");
    let database = console_server::config::database_path(dir.path());
    // An empty database file gets its migrations applied, and each one is logged.
    std::fs::write(&database, b"").expect("empty database file should be written");

    let output = Command::new(env!("CARGO_BIN_EXE_console-server"))
        .args(["outbox", "--data-dir"])
        .arg(dir.path())
        .env("RUST_LOG", "info")
        .env_remove("NO_COLOR")
        .output()
        .expect("console-server should run");

    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "exit status {}", output.status);
    assert!(
        stdout.contains("applied database migration"),
        "the migrations are logged: {stdout}"
    );
    assert!(
        !stdout.contains('\u{1b}'),
        "no ANSI escape codes: {stdout:?}"
    );
}
