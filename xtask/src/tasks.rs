//! The tasks themselves: build, serve, test, the bundle size check, screenshots and Lighthouse
//! audits.

use std::path::PathBuf;

use crate::cmd::{self, Result, command, run};
use crate::service::{Service, ensure_port_free};
use crate::tools;

/// Port of the backend that the browser tests talk to. It is fixed because the app under
/// test gets the backend's address at compile time.
const TEST_BACKEND_ADDR: &str = "127.0.0.1:18923";
/// Ports of the backend and ChromeDriver while screenshots are taken.
const SCREENSHOT_BACKEND_ADDR: &str = "127.0.0.1:18924";
const CHROMEDRIVER_ADDR: &str = "127.0.0.1:19515";
/// Ports of the backend and ChromeDriver during the end-to-end story. They differ from the
/// screenshot ports, so `cargo xtask screenshots` can run while the tests do.
const E2E_BACKEND_ADDR: &str = "127.0.0.1:18925";
const E2E_CHROMEDRIVER_ADDR: &str = "127.0.0.1:19516";
/// Accounts generated beside the demo ones for the end-to-end suites, so that the story
/// checks the account picker with an organisation of 2,004 accounts.
const E2E_SEED_ACCOUNTS: &str = "2000";
/// Port of the backend while Lighthouse audits the release build.
const LIGHTHOUSE_BACKEND_ADDR: &str = "127.0.0.1:18928";
/// Port of the second backend of the accessibility suite, whose invitations expire after
/// [`EXPIRING_INVITATION_TTL`], so the suite can open a really expired link.
const E2E_EXPIRING_BACKEND_ADDR: &str = "127.0.0.1:18926";
/// Port of the page of another origin that the security suite serves itself, from which a
/// plain HTML form posts to the backend.
const E2E_FOREIGN_ADDR: &str = "127.0.0.1:18931";
/// Port of the backend of the faults suite, started with `--enable-fault-injection`. It is
/// separate because the faults it adds apply to every request of the backend.
const E2E_FAULTS_BACKEND_ADDR: &str = "127.0.0.1:18932";
/// Default addresses of nginx, the backend and ChromeDriver in the static-host suite; the
/// environment variables of the same names override them.
const STATIC_HOST_ADDRS: [(&str, &str); 3] = [
    ("CONSOLE_STATIC_HOST_ADDR", "127.0.0.1:18950"),
    ("CONSOLE_STATIC_HOST_BACKEND_ADDR", "127.0.0.1:18951"),
    ("CONSOLE_STATIC_HOST_CHROMEDRIVER_ADDR", "127.0.0.1:19517"),
];
/// The nginx site that the static-host suite serves, the one docs/deploy.md shows.
const NGINX_SITE: &str = "deploy/nginx/console.conf";
/// One second: the suite waits until the backend reports the link expired, which takes at
/// most this long after the user is created.
const EXPIRING_INVITATION_TTL: &str = "1s";
/// Passwords of the seeded users in the throwaway test database.
pub(crate) const TEST_ADMIN_PASSWORD: &str = "test-admin-password-1";
const TEST_VIEWER_PASSWORD: &str = "test-viewer-password-1";

pub struct ServeOptions {
    port: u16,
    data_dir: PathBuf,
    /// Everything after `--`, passed on to the backend, such as `--smtp-url URL`.
    backend_args: Vec<String>,
}

impl ServeOptions {
    pub fn parse(args: &[String]) -> Result<ServeOptions> {
        let mut options = ServeOptions {
            port: 8080,
            data_dir: cmd::root().join("data"),
            backend_args: Vec::new(),
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
                "--" => {
                    options.backend_args = args.by_ref().cloned().collect();
                    break;
                }
                other => {
                    return Err(format!(
                        "unknown option {other:?} for serve; pass backend options after `--`, \
                     such as `cargo xtask serve -- {other} ...`"
                    ));
                }
            }
        }
        Ok(options)
    }
}

/// Installs the tools, builds the release app into dist/ and the backend.
pub fn build() -> Result {
    tools::install_build_tools()?;
    build_app()?;
    run(&mut command(
        "cargo",
        &["build", "--profile", "server", "-p", "console-server"],
    ))
}

pub(crate) fn build_app() -> Result {
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
    let server = cmd::target_dir().join("server/console-server");
    let server = server.to_string_lossy();
    let args = [
        "--addr",
        &addr,
        "--data-dir",
        &data_dir,
        "--static-dir",
        "dist",
    ];
    let mut backend = command(&server, &args);
    run(backend.args(&options.backend_args))
}

/// Prints the emails the backend stored in its outbox (newest first), such as the invitation
/// links of new users. `args` are passed on: `--data-dir DIR` (default data) and `--to EMAIL`.
pub fn outbox(args: &[String]) -> Result {
    let mut outbox = command("cargo", &["run", "--quiet", "--profile", "server"]);
    outbox.args(["-p", "console-server", "--", "outbox"]);
    if !args.iter().any(|arg| arg == "--data-dir") {
        outbox.arg("--data-dir").arg(cmd::root().join("data"));
    }
    run(outbox.args(args))
}

/// Runs every test suite; the first failing suite fails the task.
pub fn test() -> Result {
    tools::install_all()?;

    run(&mut command("cargo", &["fmt", "--all", "--check"]))?;
    // The app and the render-bench page only run in the browser, so they are linted for wasm.
    let native_clippy = "clippy --workspace --exclude console --exclude render-bench \
        --all-targets -- -D warnings";
    run(&mut command("cargo", &words(native_clippy)))?;
    let app_clippy = "clippy --target wasm32-unknown-unknown -p console -p render-bench \
        --all-targets -- -D warnings";
    run(&mut command("cargo", &words(app_clippy)))?;

    // The end-to-end story runs only against the servers that end_to_end_tests starts.
    let native_tests = "test --no-fail-fast --workspace --exclude console --exclude e2e \
        --exclude render-bench";
    run(&mut command("cargo", &words(native_tests)))?;
    // The unit tests of crates/e2e itself, such as the Lighthouse summary, need no servers.
    run(&mut command("cargo", &["test", "-p", "e2e", "--lib"]))?;
    crate::schemathesis::schemathesis()?;

    build_app()?;
    check_bundle_size()?;
    browser_tests()?;
    end_to_end_tests()?;
    static_host_tests()
}

/// Runs only the static-host suite, with what it needs installed and built.
pub fn static_host_test() -> Result {
    tools::install_all()?;
    static_host_tests()
}

/// Builds the app with `cargo xtask dist` for /admin/, serves it with nginx and the site of
/// deploy/nginx/console.conf, starts the release backend on another port as a separate origin
/// that allows nginx's, and runs crates/e2e/tests/static_host.rs against them.
fn static_host_tests() -> Result {
    tools::install_nginx()?;
    run(&mut command(
        "cargo",
        &["build", "--profile", "server", "-p", "console-server"],
    ))?;
    let [nginx_addr, backend_addr, driver_addr] = STATIC_HOST_ADDRS
        .map(|(name, default)| std::env::var(name).unwrap_or_else(|_| default.to_owned()));
    let work_dir = fresh_temp_dir("static-host")?;
    let site_root = work_dir.join("www");
    let app_dir = site_root.join("admin");
    let api_origin = format!("http://{backend_addr}");
    crate::dist::dist(&crate::dist::DistOptions {
        public_url: "/admin/".to_owned(),
        out_dir: app_dir.clone(),
        api_url: format!("{api_origin}/api/v1"),
    })?;

    let server = cmd::target_dir().join("server/console-server");
    let csp = print_csp(&server, &app_dir, &api_origin)?;
    let template = std::fs::read_to_string(cmd::root().join(NGINX_SITE))
        .map_err(|e| format!("could not read {NGINX_SITE}: {e}"))?;
    let site = template
        .replace("${CONSOLE_LISTEN}", &nginx_addr)
        .replace("${CONSOLE_ROOT}", &site_root.to_string_lossy())
        .replace("${CONSOLE_CSP}", &csp);
    if let Some(start) = site.find("${CONSOLE_") {
        let rest = &site[start..];
        let name = &rest[..rest.find('}').map_or(rest.len(), |end| end + 1)];
        return Err(format!("{NGINX_SITE} has the unknown placeholder {name}"));
    }
    let site_path = work_dir.join("console.conf");
    write_file(&site_path, &site)?;
    let nginx_conf = work_dir.join("nginx.conf");
    write_file(&nginx_conf, &nginx_main_config(&work_dir, &site_path))?;

    let nginx = command(
        "/usr/sbin/nginx",
        &[
            "-p",
            &work_dir.to_string_lossy(),
            "-c",
            &nginx_conf.to_string_lossy(),
        ],
    );
    ensure_port_free(&nginx_addr)?;
    println!(
        "xtask: starting nginx on {nginx_addr}; its configuration is {}",
        nginx_conf.display()
    );
    let nginx = Service::start(
        nginx,
        &nginx_addr,
        "/admin/config.json",
        &work_dir.join("nginx.log"),
    )?;
    let data_dir = work_dir.join("data");
    let allow_origin = format!("http://{nginx_addr}");
    let backend = start_backend(
        &server,
        &backend_addr,
        &data_dir,
        &["--allow-origin", &allow_origin],
    )?;
    let driver = start_chromedriver(&driver_addr, "static-host")?;

    // One thread: the config.json test breaks the file that the other tests load.
    let suite = "test -p e2e --test static_host -- --nocapture --test-threads=1";
    let mut tests = command("cargo", &words(suite));
    tests
        .env("E2E_WEBDRIVER_URL", format!("http://{driver_addr}"))
        .env("E2E_CONSOLE_URL", format!("http://{nginx_addr}/admin"))
        .env("E2E_API_ORIGIN", &api_origin)
        .env("E2E_ADMIN_PASSWORD", TEST_ADMIN_PASSWORD)
        .env("E2E_STATIC_DIR", &app_dir);
    let result = run(&mut tests);
    drop(driver);
    drop(backend);
    drop(nginx);
    if result.is_ok() {
        remove_dir(&work_dir);
    } else {
        eprintln!("xtask: kept {} for inspection", work_dir.display());
    }
    result
}

/// Returns the Content-Security-Policy that `console-server print-csp` builds for the app in
/// `app_dir` calling the API at `api_origin`.
fn print_csp(
    server: &std::path::Path,
    app_dir: &std::path::Path,
    api_origin: &str,
) -> Result<String> {
    let mut print = command(&server.to_string_lossy(), &["print-csp", "--static-dir"]);
    print.arg(app_dir).args(["--connect-src", api_origin]);
    let output = print
        .output()
        .map_err(|e| format!("could not run console-server print-csp: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "console-server print-csp failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Returns an nginx main configuration that runs in the foreground as one process, keeps its
/// files in `work_dir`, and includes the site at `site_path`.
fn nginx_main_config(work_dir: &std::path::Path, site_path: &std::path::Path) -> String {
    let work = work_dir.to_string_lossy();
    let module = tools::NGINX_BROTLI_MODULE;
    let site = site_path.to_string_lossy();
    format!(
        "load_module {module};\n\
         daemon off;\n\
         master_process off;\n\
         pid {work}/nginx.pid;\n\
         error_log {work}/nginx-error.log warn;\n\
         events {{}}\n\
         http {{\n\
         include /etc/nginx/mime.types;\n\
         default_type application/octet-stream;\n\
         access_log {work}/nginx-access.log;\n\
         client_body_temp_path {work}/client-body;\n\
         proxy_temp_path {work}/proxy;\n\
         fastcgi_temp_path {work}/fastcgi;\n\
         uwsgi_temp_path {work}/uwsgi;\n\
         scgi_temp_path {work}/scgi;\n\
         include {site};\n\
         }}\n"
    )
}

fn write_file(path: &std::path::Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("could not write {}: {e}", path.display()))
}

/// Builds the release app and checks the size of its first load against the budget.
pub fn bundle_size() -> Result {
    tools::install_build_tools()?;
    build_app()?;
    check_bundle_size()
}

/// Prints the raw, gzip and brotli sizes of the files in dist/ that the first load fetches, and
/// fails when their brotli total is over the budget of crates/bundle-size. The caller has
/// built dist/.
fn check_bundle_size() -> Result {
    run(&mut command(
        "cargo",
        &["run", "--quiet", "-p", "bundle-size", "--", "dist"],
    ))
}

/// Splits a command line written as one string into its arguments.
fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

/// Starts the backend on a fresh database and runs the app's wasm tests in headless
/// Chromium against it.
fn browser_tests() -> Result {
    run(&mut command("cargo", &["build", "-p", "console-server"]))?;
    let server = cmd::target_dir().join("debug/console-server");
    let data_dir = fresh_temp_dir("browser-tests")?;
    let backend = start_backend(
        &server,
        TEST_BACKEND_ADDR,
        &data_dir,
        &["--allow-localhost-origins", "--expose-outbox"],
    )?;

    let wasm = [
        "test",
        "--no-fail-fast",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "console",
    ];
    let mut tests = command("cargo", &wasm);
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
    remove_dir(&data_dir);
    result
}

/// Starts the release backend, serving dist/ with the test-only outbox, and ChromeDriver,
/// then runs the end-to-end story of crates/e2e in Chromium against them, once with the
/// pointer and once with the keyboard alone, followed by the accessibility and layout suites.
/// The caller has built dist/.
fn end_to_end_tests() -> Result {
    run(&mut command(
        "cargo",
        &["build", "--profile", "server", "-p", "console-server"],
    ))?;
    let server = cmd::target_dir().join("server/console-server");
    let data_dir = fresh_temp_dir("end-to-end")?;
    let backend = start_backend(
        &server,
        E2E_BACKEND_ADDR,
        &data_dir,
        &[
            "--static-dir",
            "dist",
            "--expose-outbox",
            "--seed-accounts",
            E2E_SEED_ACCOUNTS,
        ],
    )?;
    let driver = start_chromedriver(E2E_CHROMEDRIVER_ADDR, "end-to-end")?;

    // --nocapture prints each step as it passes, with its duration. One thread runs the two
    // input modes one after the other, so their four Chromium sessions don't share the cores.
    let story_args = "test -p e2e --test story -- --nocapture --test-threads=1";
    let mut story = command("cargo", &words(story_args));
    set_e2e_env(&mut story, E2E_BACKEND_ADDR, E2E_CHROMEDRIVER_ADDR);
    let result = run(&mut story)
        .and_then(|()| accessibility_and_layout_tests(&server))
        .and_then(|()| fault_tests(&server));
    drop(driver);
    drop(backend);
    remove_dir(&data_dir);
    result
}

/// Starts a second release backend whose invitations expire after a second, then runs the
/// accessibility suite (axe-core in every page and state) and the layout suite against both
/// backends and the ChromeDriver of the story, which the caller has started, and the
/// security suite (cross-site form, Content-Security-Policy, markup in names) and the list
/// views suite (a shared, bulk-changed and exported view of the users list).
fn accessibility_and_layout_tests(server: &std::path::Path) -> Result {
    let data_dir = fresh_temp_dir("expiring-invitations")?;
    let expiring_backend = start_backend(
        server,
        E2E_EXPIRING_BACKEND_ADDR,
        &data_dir,
        &[
            "--static-dir",
            "dist",
            "--expose-outbox",
            "--invitation-ttl",
            EXPIRING_INVITATION_TTL,
        ],
    )?;

    let suites = "test -p e2e --no-fail-fast --test accessibility --test layout --test security \
                  --test list_views -- --nocapture";
    let mut tests = command("cargo", &words(suites));
    set_e2e_env(&mut tests, E2E_BACKEND_ADDR, E2E_CHROMEDRIVER_ADDR);
    tests.env("E2E_FOREIGN_ADDR", E2E_FOREIGN_ADDR);
    tests
        .env(
            "E2E_EXPIRING_CONSOLE_URL",
            format!("http://{E2E_EXPIRING_BACKEND_ADDR}"),
        )
        .env("E2E_VIEWER_PASSWORD", TEST_VIEWER_PASSWORD)
        .env(
            "E2E_AXE_SCRIPT",
            cmd::npm_package_dir("axe-core").join("axe.min.js"),
        );
    let result = run(&mut tests);
    drop(expiring_backend);
    remove_dir(&data_dir);
    result
}

/// Starts a release backend with fault injection, then runs the faults suite (failed,
/// slow and unauthorised saves, and offline) against it and the ChromeDriver of the story.
fn fault_tests(server: &std::path::Path) -> Result {
    let data_dir = fresh_temp_dir("faults")?;
    let backend = start_backend(
        server,
        E2E_FAULTS_BACKEND_ADDR,
        &data_dir,
        &[
            "--static-dir",
            "dist",
            "--expose-outbox",
            "--enable-fault-injection",
        ],
    )?;
    // One thread, because a fault applies to every request that matches it.
    let suite = "test -p e2e --test faults -- --nocapture --test-threads=1";
    let mut tests = command("cargo", &words(suite));
    set_e2e_env(&mut tests, E2E_FAULTS_BACKEND_ADDR, E2E_CHROMEDRIVER_ADDR);
    let result = run(&mut tests);
    drop(backend);
    remove_dir(&data_dir);
    result
}

/// Builds the release app and saves screenshots of its main pages into docs/screenshots.
pub fn screenshots() -> Result {
    tools::install_all()?;
    build()?;
    let server = cmd::target_dir().join("server/console-server");
    let data_dir = fresh_temp_dir("screenshots")?;
    let backend = start_backend(
        &server,
        SCREENSHOT_BACKEND_ADDR,
        &data_dir,
        &["--static-dir", "dist"],
    )?;
    let driver = start_chromedriver(CHROMEDRIVER_ADDR, "screenshots")?;

    let mut shots = command(
        "cargo",
        &["run", "--quiet", "-p", "e2e", "--bin", "screenshots"],
    );
    set_e2e_env(&mut shots, SCREENSHOT_BACKEND_ADDR, CHROMEDRIVER_ADDR);
    shots.env("E2E_OUTPUT_DIR", cmd::root().join("docs/screenshots"));
    let result = run(&mut shots);
    drop(driver);
    drop(backend);
    remove_dir(&data_dir);
    result
}

/// Builds the release app, serves it on a fresh database and audits its main pages with
/// Lighthouse. Writes the scores to docs/lighthouse.md and docs/lighthouse.json, the full
/// reports to the target folder, and fails when a score is below its target.
pub fn lighthouse() -> Result {
    tools::install_all()?;
    build()?;
    tools::install_lighthouse()?;
    let server = cmd::target_dir().join("server/console-server");
    let data_dir = fresh_temp_dir("lighthouse")?;
    let backend = start_backend(
        &server,
        LIGHTHOUSE_BACKEND_ADDR,
        &data_dir,
        &["--static-dir", "dist"],
    )?;

    let mut audit = command(
        "cargo",
        &["run", "--quiet", "-p", "e2e", "--bin", "lighthouse"],
    );
    audit
        .env(
            "E2E_CONSOLE_URL",
            format!("http://{LIGHTHOUSE_BACKEND_ADDR}"),
        )
        .env("E2E_ADMIN_PASSWORD", TEST_ADMIN_PASSWORD)
        .env("E2E_LIGHTHOUSE", tools::lighthouse_bin())
        .env("E2E_OUTPUT_DIR", cmd::root().join("docs"))
        .env("E2E_REPORT_DIR", cmd::target_dir().join("lighthouse"))
        .env("CHROME_PATH", "/usr/bin/chromium");
    let result = run(&mut audit);
    drop(backend);
    remove_dir(&data_dir);
    result
}

/// Starts ChromeDriver on `addr`, logging to a file named after `purpose` in the system's
/// temporary folder.
pub(crate) fn start_chromedriver(addr: &str, purpose: &str) -> Result<Service> {
    ensure_port_free(addr)?;
    let log = std::env::temp_dir().join(format!("console-{purpose}-chromedriver.log"));
    let port = addr.rsplit(':').next().unwrap_or_default();
    let driver = command("/usr/bin/chromedriver", &[&format!("--port={port}")]);
    println!(
        "xtask: starting ChromeDriver on {addr}; its log is {}",
        log.display()
    );
    Service::start(driver, addr, "/status", &log)
}

/// Passes the addresses of the backend and ChromeDriver, and the seeded admin's password, to
/// a program of crates/e2e.
fn set_e2e_env(program: &mut std::process::Command, backend_addr: &str, driver_addr: &str) {
    program
        .env("E2E_WEBDRIVER_URL", format!("http://{driver_addr}"))
        .env("E2E_CONSOLE_URL", format!("http://{backend_addr}"))
        .env("E2E_ADMIN_PASSWORD", TEST_ADMIN_PASSWORD);
}

/// Starts `server` on `addr` with a database in `data_dir` and the test passwords.
pub(crate) fn start_backend(
    server: &std::path::Path,
    addr: &str,
    data_dir: &std::path::Path,
    extra_args: &[&str],
) -> Result<Service> {
    ensure_port_free(addr)?;
    let mut backend = command(&server.to_string_lossy(), extra_args);
    backend
        .args(["--addr", addr, "--data-dir"])
        .arg(data_dir)
        .env("CONSOLE_ADMIN_PASSWORD", TEST_ADMIN_PASSWORD)
        .env("CONSOLE_VIEWER_PASSWORD", TEST_VIEWER_PASSWORD);
    let log = backend_log(data_dir);
    println!(
        "xtask: starting the backend on {addr}; its log is {}",
        log.display()
    );
    Service::start(backend, addr, "/api/v1/health", &log)
}

/// Returns the log file of a backend that [`start_backend`] started on `data_dir`.
pub(crate) fn backend_log(data_dir: &std::path::Path) -> PathBuf {
    data_dir.with_extension("log")
}

/// Creates an empty folder under the system's temporary folder, named after `purpose`.
pub(crate) fn fresh_temp_dir(purpose: &str) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("console-{purpose}-{}", std::process::id()));
    remove_dir(&dir);
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    Ok(dir)
}

pub(crate) fn remove_dir(dir: &std::path::Path) {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => eprintln!("xtask: could not remove {}: {error}", dir.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::ServeOptions;

    fn parse(line: &str) -> Result<ServeOptions, String> {
        let args: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        ServeOptions::parse(&args)
    }

    #[test]
    fn serve_passes_options_after_double_dash() {
        let options = parse("--port 9000 -- --invitation-ttl 36h --port 1").expect("valid");
        assert_eq!(options.port, 9000, "--port before -- belongs to serve");
        assert_eq!(
            options.backend_args,
            ["--invitation-ttl", "36h", "--port", "1"],
            "everything after -- goes to the backend unchanged"
        );
    }

    #[test]
    fn serve_rejects_backend_option_before_dash() {
        let error = parse("--invitation-ttl 36h").err().expect("an error");
        assert!(
            error.contains("cargo xtask serve -- --invitation-ttl"),
            "the message shows how to pass it: {error}"
        );
    }
}
