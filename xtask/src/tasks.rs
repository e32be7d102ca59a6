//! The tasks themselves: build, serve and test.

use std::path::PathBuf;

use crate::backend::{Backend, ensure_port_free};
use crate::cmd::{self, Result, command, run};
use crate::tools;

/// Port of the backend that the browser tests talk to. It is fixed because the app under
/// test gets the backend's address at compile time.
const TEST_BACKEND_ADDR: &str = "127.0.0.1:18923";
/// Passwords of the seeded users in the throwaway test database.
const TEST_ADMIN_PASSWORD: &str = "test-admin-password-1";
const TEST_VIEWER_PASSWORD: &str = "test-viewer-password-1";

pub struct ServeOptions {
    port: u16,
    data_dir: PathBuf,
}

impl ServeOptions {
    pub fn parse(args: &[String]) -> Result<ServeOptions> {
        let mut options = ServeOptions {
            port: 8080,
            data_dir: cmd::root().join("data"),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or(format!("{arg} needs a value"));
            match arg.as_str() {
                "--port" => {
                    let port = value()?;
                    options.port = port
                        .parse()
                        .map_err(|_| format!("--port {port:?} is not a port number"))?;
                }
                "--data-dir" => options.data_dir = PathBuf::from(value()?),
                other => return Err(format!("unknown option {other:?} for serve")),
            }
        }
        Ok(options)
    }
}

/// Installs the tools, builds the release app into dist/ and the backend.
pub fn build() -> Result {
    tools::install_all()?;
    build_app()?;
    run(&mut command(
        "cargo",
        &["build", "--profile", "server", "-p", "console-server"],
    ))
}

fn build_app() -> Result {
    let mut trunk = command("trunk", &["build", "--release"]);
    trunk.env("TRUNK_SKIP_VERSION_CHECK", "true");
    run(&mut trunk)
}

pub fn serve(options: &ServeOptions) -> Result {
    build()?;
    let addr = format!("127.0.0.1:{}", options.port);
    ensure_port_free(&addr)?;
    let data_dir = options.data_dir.to_string_lossy().into_owned();
    println!(
        "\nxtask: serving the console on http://{addr}/\n\
         xtask: sign in as `admin`. On the first start with a new data folder ({data_dir}) the \
         backend prints the password once below; set CONSOLE_ADMIN_PASSWORD to choose it.\n"
    );
    let server = cmd::root().join("target/server/console-server");
    let server = server.to_string_lossy();
    let args = [
        "--addr",
        &addr,
        "--data-dir",
        &data_dir,
        "--static-dir",
        "dist",
    ];
    run(&mut command(&server, &args))
}

/// Runs every test suite; the first failing suite fails the task.
pub fn test() -> Result {
    tools::install_all()?;
    run(&mut command("cargo", &["fmt", "--all", "--check"]))?;
    let clippy = [
        "clippy",
        "--workspace",
        "--exclude",
        "console",
        "--all-targets",
        "--",
    ];
    run(&mut command(
        "cargo",
        &[&clippy[..], &["-D", "warnings"]].concat(),
    ))?;
    let wasm = ["--target", "wasm32-unknown-unknown", "-p", "console"];
    let app_clippy = [
        &["clippy"][..],
        &wasm,
        &["--all-targets", "--", "-D", "warnings"],
    ]
    .concat();
    run(&mut command("cargo", &app_clippy))?;
    run(&mut command(
        "cargo",
        &["test", "--workspace", "--exclude", "console"],
    ))?;
    build_app()?;
    browser_tests()
}

/// Starts the backend on a fresh database and runs the app's wasm tests in headless
/// Chromium against it.
fn browser_tests() -> Result {
    run(&mut command("cargo", &["build", "-p", "console-server"]))?;
    ensure_port_free(TEST_BACKEND_ADDR)?;
    let data_dir =
        std::env::temp_dir().join(format!("console-browser-tests-{}", std::process::id()));
    let log = std::env::temp_dir().join("console-browser-tests-backend.log");
    let server = cmd::root().join("target/debug/console-server");
    let mut server = command(&server.to_string_lossy(), &["--allow-localhost-origins"]);
    server
        .args(["--addr", TEST_BACKEND_ADDR, "--data-dir"])
        .arg(&data_dir)
        .env("CONSOLE_ADMIN_PASSWORD", TEST_ADMIN_PASSWORD)
        .env("CONSOLE_VIEWER_PASSWORD", TEST_VIEWER_PASSWORD);
    let backend = Backend::start(server, TEST_BACKEND_ADDR, &log)?;

    let mut tests = command(
        "cargo",
        &[
            "test",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "console",
        ],
    );
    tests
        .env(
            "CONSOLE_API_URL",
            format!("http://{TEST_BACKEND_ADDR}/api/v1"),
        )
        .env("CONSOLE_TEST_ADMIN_PASSWORD", TEST_ADMIN_PASSWORD)
        .env("CONSOLE_TEST_VIEWER_PASSWORD", TEST_VIEWER_PASSWORD)
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    let result = run(&mut tests);
    drop(backend);
    if let Err(error) = std::fs::remove_dir_all(&data_dir) {
        eprintln!("xtask: could not remove {}: {error}", data_dir.display());
    }
    result.map_err(|error| format!("{error}; the backend log is {}", log.display()))
}
