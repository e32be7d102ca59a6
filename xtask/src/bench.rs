//! `cargo xtask bench`: builds what the chosen sections need (the release app, the
//! render-bench page, the release backend), starts the servers on 127.0.0.1 (the backend on a
//! new database seeded with 100,000 users and 2,000 accounts, a second backend serving the
//! render-bench page, ChromeDriver), and runs the bench program of `crates/bench` once per
//! section, which writes BENCHMARKS.md and benchmarks.json.

use std::path::PathBuf;

use crate::cmd::{self, Result, command, probe, run};
use crate::service::Service;
use crate::{doc_sections, tasks, tools};

/// Every section, in the order they run. The backend goes last, because its load adds about
/// 100,000 users to the database that the load and typing sections use.
const SECTIONS: [&str; 5] = ["bundle", "load", "render", "typing", "backend"];
/// Port of the seeded backend; the render-bench page's server and ChromeDriver take the two
/// after it. CONSOLE_BENCH_PORT replaces it.
const DEFAULT_PORT: u16 = 18940;
/// The Debian package of the load tool, at the version of Debian 12 (bookworm).
const WRK_DEBIAN_VERSION: &str = "4.1.0-3+b2";
const WRK: &str = "/usr/bin/wrk";
const SEED_USERS: &str = "100000";
const SEED_ACCOUNTS: &str = "2000";

/// Options of `cargo xtask bench`; `None` leaves the bench program's default.
pub struct BenchOptions {
    /// Sections to measure, in the order of [`SECTIONS`].
    sections: Vec<&'static str>,
    runs: Option<u32>,
    seconds: Option<u32>,
    /// Whether a missed target fails the task.
    is_check: bool,
    /// The options as given, for the report.
    given: Vec<String>,
}

impl BenchOptions {
    pub fn parse(args: &[String]) -> Result<BenchOptions> {
        let mut options = BenchOptions {
            sections: Vec::new(),
            runs: None,
            seconds: None,
            is_check: false,
            given: args.to_vec(),
        };
        let mut chosen = Vec::new();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            if arg == "--check" {
                options.is_check = true;
                continue;
            }
            if !matches!(arg.as_str(), "--section" | "--runs" | "--seconds") {
                return Err(format!(
                    "unknown option {arg:?} for bench; the options are --section, --runs, \
                     --seconds and --check (see `cargo xtask` for their use)"
                ));
            }
            let value = args.next().ok_or(format!("{arg} needs a value"))?;
            match arg.as_str() {
                "--section" => chosen.extend(value.split(',').map(str::to_owned)),
                "--runs" => options.runs = Some(positive_number(arg, value)?),
                "--seconds" => options.seconds = Some(positive_number(arg, value)?),
                other => return Err(format!("unknown option {other:?} for bench")),
            }
        }
        for name in &chosen {
            if !SECTIONS.contains(&name.as_str()) {
                return Err(format!(
                    "unknown section {name:?}; the sections are {}",
                    SECTIONS.join(", ")
                ));
            }
        }
        options.sections = SECTIONS
            .into_iter()
            .filter(|section| chosen.is_empty() || chosen.iter().any(|name| name == section))
            .collect();
        Ok(options)
    }

    fn has(&self, section: &str) -> bool {
        self.sections.contains(&section)
    }

    fn command_line(&self) -> String {
        let mut line = "cargo xtask bench".to_owned();
        for arg in &self.given {
            line.push(' ');
            line.push_str(arg);
        }
        line
    }
}

fn positive_number(option: &str, value: &str) -> Result<u32> {
    value
        .parse::<u32>()
        .ok()
        .filter(|&number| number > 0)
        .ok_or(format!("{option} {value:?} is not a whole number above 0"))
}

/// Addresses of the servers the bench starts.
struct Addresses {
    backend: String,
    render_page: String,
    chromedriver: String,
}

impl Addresses {
    fn from_env() -> Result<Addresses> {
        let port = match std::env::var("CONSOLE_BENCH_PORT") {
            Ok(text) => text
                .parse::<u16>()
                .ok()
                .filter(|port| *port > 0 && *port < u16::MAX - 2)
                .ok_or(format!("CONSOLE_BENCH_PORT {text:?} is not a port number"))?,
            Err(_) => DEFAULT_PORT,
        };
        Ok(Addresses {
            backend: format!("127.0.0.1:{port}"),
            render_page: format!("127.0.0.1:{}", port + 1),
            chromedriver: format!("127.0.0.1:{}", port + 2),
        })
    }
}

/// The servers of one bench run, stopped when dropped.
#[derive(Default)]
struct Servers {
    backend: Option<Service>,
    render_page: Option<Service>,
    chromedriver: Option<Service>,
    data_dirs: Vec<PathBuf>,
}

impl Drop for Servers {
    fn drop(&mut self) {
        self.chromedriver.take();
        self.render_page.take();
        self.backend.take();
        for dir in &self.data_dirs {
            tasks::remove_dir(dir);
            let log = tasks::backend_log(dir);
            if let Err(error) = std::fs::remove_file(&log) {
                eprintln!("xtask: could not remove {}: {error}", log.display());
            }
        }
    }
}

/// Builds and starts what the chosen sections need, measures each section, and lists the
/// missed targets. Fails when a section could not be measured, or with `--check` when a
/// target was missed.
pub fn bench(options: &BenchOptions) -> Result {
    let addresses = Addresses::from_env()?;
    build(options)?;
    let servers = start_servers(options, &addresses)?;
    let mut failed = Vec::new();
    for section in &options.sections {
        println!("\nxtask: measuring the {section} section");
        let mut measure = section_command(options, section, &addresses, &servers);
        if let Err(error) = run(&mut measure) {
            eprintln!("xtask: the {section} section could not be measured: {error}");
            failed.push(*section);
        }
    }
    drop(servers);

    let measured: Vec<&str> = options
        .sections
        .iter()
        .copied()
        .filter(|section| !failed.contains(section))
        .collect();
    let missed = if measured.is_empty() {
        Ok(())
    } else {
        let mut list = command(&bench_binary().to_string_lossy(), &["missed"]);
        list.args(&measured).env("BENCH_OUTPUT_DIR", cmd::root());
        run(&mut list)
    };
    if !failed.is_empty() {
        return Err(format!(
            "these sections could not be measured, and their figures were not recorded: {}",
            failed.join(", ")
        ));
    }
    match missed {
        Err(_) if options.is_check => Err("a target was missed (see above)".to_owned()),
        Err(_) => {
            eprintln!(
                "xtask: every section was measured, but targets were missed (listed above and \
                 in BENCHMARKS.md); `--check` makes that fail the task"
            );
            Ok(())
        }
        Ok(()) => Ok(()),
    }
}

/// Installs the tools and builds the release app, the render-bench page, the release
/// backend and the bench program, as far as the chosen sections need them.
fn build(options: &BenchOptions) -> Result {
    if options.has("backend") {
        install_wrk()?;
    }
    let needs_app = ["bundle", "load", "typing"].iter().any(|s| options.has(s));
    if needs_app || options.has("render") {
        tools::install_build_tools()?;
    }
    if needs_app {
        tasks::build_app()?;
    }
    if options.has("render") {
        let dist = render_page_dist();
        let dist = dist.to_string_lossy();
        let args = [
            "build",
            "--release",
            "--dist",
            &dist,
            "crates/render-bench/index.html",
        ];
        let mut trunk = command("trunk", &args);
        trunk.env("TRUNK_SKIP_VERSION_CHECK", "true");
        run(&mut trunk)?;
    }
    // Every section but the bundle starts the backend.
    if options.sections != ["bundle"] {
        let server = "build --profile server -p console-server";
        run(&mut command("cargo", &words(server)))?;
    }
    run(&mut command("cargo", &["build", "-p", "bench"]))
}

fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

fn start_servers(options: &BenchOptions, addresses: &Addresses) -> Result<Servers> {
    let mut servers = Servers::default();
    let server = cmd::target_dir().join("server/console-server");
    if ["load", "typing", "backend"].iter().any(|s| options.has(s)) {
        let data_dir = tasks::fresh_temp_dir("bench")?;
        servers.data_dirs.push(data_dir.clone());
        let mut args = vec!["--seed-users", SEED_USERS, "--seed-accounts", SEED_ACCOUNTS];
        if options.has("load") || options.has("typing") {
            args.extend(["--static-dir", "dist"]);
        }
        servers.backend = Some(tasks::start_backend(
            &server,
            &addresses.backend,
            &data_dir,
            &args,
        )?);
    }
    if options.has("render") {
        let data_dir = tasks::fresh_temp_dir("bench-render-page")?;
        servers.data_dirs.push(data_dir.clone());
        let dist = render_page_dist();
        let args = ["--static-dir", &*dist.to_string_lossy()].map(str::to_owned);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        servers.render_page = Some(tasks::start_backend(
            &server,
            &addresses.render_page,
            &data_dir,
            &args,
        )?);
    }
    if ["load", "render", "typing"].iter().any(|s| options.has(s)) {
        servers.chromedriver = Some(tasks::start_chromedriver(&addresses.chromedriver, "bench")?);
    }
    Ok(servers)
}

/// Returns the command that measures `section`, with its settings in the environment.
fn section_command(
    options: &BenchOptions,
    section: &str,
    addresses: &Addresses,
    servers: &Servers,
) -> std::process::Command {
    let mut measure = command(&bench_binary().to_string_lossy(), &[section]);
    measure
        .env("BENCH_OUTPUT_DIR", cmd::root())
        .env("BENCH_COMMAND", options.command_line())
        .env("BENCH_URL", format!("http://{}", addresses.backend))
        .env("BENCH_ADMIN_PASSWORD", tasks::TEST_ADMIN_PASSWORD)
        .env(
            "BENCH_WEBDRIVER_URL",
            format!("http://{}", addresses.chromedriver),
        )
        .env(
            "BENCH_RENDER_URL",
            format!("http://{}", addresses.render_page),
        )
        .env("BENCH_DIST_DIR", cmd::root().join("dist"))
        .env("BENCH_WRK", WRK)
        .env(
            "BENCH_WRK_SCRIPT",
            cmd::root().join("crates/bench/wrk/users.lua"),
        )
        .env("BENCH_SEED_USERS", SEED_USERS)
        .env("BENCH_SEED_ACCOUNTS", SEED_ACCOUNTS);
    if let Some(backend) = &servers.backend {
        measure.env("BENCH_SERVER_PID", backend.id().to_string());
    }
    if let Some(data_dir) = servers.data_dirs.first() {
        measure.env("BENCH_SERVER_LOG", tasks::backend_log(data_dir));
    }
    if let Some(runs) = options.runs {
        measure.env("BENCH_RUNS", runs.to_string());
    }
    if let Some(seconds) = options.seconds {
        measure.env("BENCH_SECONDS", seconds.to_string());
    }
    measure
}

fn bench_binary() -> PathBuf {
    cmd::target_dir().join("debug/bench")
}

/// Folder of the release build of the render-bench page, inside the target folder so that
/// it never mixes with the app's dist folder.
fn render_page_dist() -> PathBuf {
    cmd::target_dir().join("render-bench-dist")
}

/// Installs Debian's wrk at [`WRK_DEBIAN_VERSION`] when another version or none is present.
/// Unless this runs as root, it returns an error that names what to install instead.
fn install_wrk() -> Result {
    let installed = probe("dpkg-query", &["--show", "--showformat=${Version}", "wrk"]);
    if installed.as_deref() == Some(WRK_DEBIAN_VERSION) {
        return Ok(());
    }
    let package = format!("wrk={WRK_DEBIAN_VERSION}");
    if probe("id", &["-u"]).as_deref() != Some("0") {
        return Err(format!(
            "wrk is missing or not at version {WRK_DEBIAN_VERSION}: install the Debian package \
             {package}, or run this task as root"
        ));
    }
    run(&mut command("apt-get", &["update", "-qq"]))?;
    let mut install = command(
        "apt-get",
        &["install", "-y", "-qq", "--allow-downgrades", &package],
    );
    install.env("DEBIAN_FRONTEND", "noninteractive");
    run(&mut install)
}

/// Address of the backend that `cargo xtask robustness` starts and kills, unless
/// `ROBUSTNESS_ADDR` sets another.
const ROBUSTNESS_BACKEND_ADDR: &str = "127.0.0.1:18933";

/// Builds the release backend and the bench program, and runs `bench robustness`, which
/// starts the backend on a fresh database, loads it and kills it, then puts its report into
/// its own section of docs/robustness.md.
/// `ROBUSTNESS_SECONDS` and `ROBUSTNESS_CLIENTS` change the mixed load (60 s, 100 clients).
pub fn robustness() -> Result {
    let build = "build --profile server -p console-server -p bench";
    run(&mut command(
        "cargo",
        &build.split_whitespace().collect::<Vec<_>>(),
    ))?;
    let binaries = cmd::target_dir().join("server");
    let data_dir = tasks::fresh_temp_dir("robustness")?;
    let report = cmd::target_dir().join("robustness-writes.md");
    if let Err(error) = std::fs::remove_file(&report)
        && error.kind() != std::io::ErrorKind::NotFound
    {
        return Err(format!("could not remove {}: {error}", report.display()));
    }
    let mut check = command(&binaries.join("bench").to_string_lossy(), &["robustness"]);
    check
        .env("ROBUSTNESS_SERVER", binaries.join("console-server"))
        .env(
            "ROBUSTNESS_ADDR",
            std::env::var("ROBUSTNESS_ADDR").unwrap_or_else(|_| ROBUSTNESS_BACKEND_ADDR.to_owned()),
        )
        .env("ROBUSTNESS_DATA_DIR", &data_dir)
        .env("ROBUSTNESS_ADMIN_PASSWORD", tasks::TEST_ADMIN_PASSWORD)
        .env("ROBUSTNESS_OUTPUT", &report);
    let result = run(&mut check);
    tasks::remove_dir(&data_dir);
    // The report is written before a failing check ends the run, so it lands either way.
    if let Ok(text) = std::fs::read_to_string(&report) {
        let doc = cmd::root().join("docs/robustness.md");
        doc_sections::replace(&doc, "Robustness", "writes", &text)?;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<BenchOptions> {
        let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
        BenchOptions::parse(&args)
    }

    #[test]
    fn options_set_runs_and_seconds() {
        let options = parse(&["--runs", "5", "--seconds", "10"]).expect("valid options");
        assert_eq!(options.runs, Some(5), "--runs");
        assert_eq!(options.seconds, Some(10), "--seconds");
        assert!(!options.is_check, "no --check");
        let defaults = parse(&[]).expect("no options");
        assert_eq!(defaults.runs, None, "the bench program's default runs");
        assert_eq!(defaults.sections, SECTIONS, "every section");
    }

    #[test]
    fn options_choose_sections_in_run_order() {
        let options = parse(&[
            "--section",
            "backend,load",
            "--section",
            "bundle",
            "--check",
        ])
        .expect("valid options");
        assert_eq!(options.sections, ["bundle", "load", "backend"], "run order");
        assert!(options.is_check, "--check");
        assert_eq!(
            options.command_line(),
            "cargo xtask bench --section backend,load --section bundle --check",
            "the command line for the report"
        );
    }

    #[test]
    fn options_reject_zero_words_and_unknown_names() {
        for args in [
            &["--runs", "0"][..],
            &["--seconds", "ten"],
            &["--runs"],
            &["--port", "1"],
            &["--section", "speed"],
            &["--help"],
        ] {
            assert!(parse(args).is_err(), "{args:?} is rejected");
        }
    }
}
