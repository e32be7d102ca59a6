//! `cargo xtask bench`: builds the release backend, starts it on a new database seeded with
//! 100,000 users and 2,000 accounts, and runs the bench program of `crates/bench`, which
//! loads it with wrk and writes BENCHMARKS.md and benchmarks.json.

use crate::cmd::{self, Result, command, probe, run};
use crate::{doc_sections, tasks};

/// Port of the backend under load.
const BENCH_BACKEND_ADDR: &str = "127.0.0.1:18929";
/// The Debian package of the load tool, at the version of Debian 12 (bookworm).
const WRK_DEBIAN_VERSION: &str = "4.1.0-3+b2";
const WRK: &str = "/usr/bin/wrk";
const SEED_USERS: &str = "100000";
const SEED_ACCOUNTS: &str = "2000";

/// Options of `cargo xtask bench`; `None` leaves the bench program's default.
pub struct BenchOptions {
    runs: Option<u32>,
    seconds: Option<u32>,
}

impl BenchOptions {
    pub fn parse(args: &[String]) -> Result<BenchOptions> {
        let mut options = BenchOptions {
            runs: None,
            seconds: None,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let value = args.next().ok_or(format!("{arg} needs a value"))?;
            let number = value
                .parse::<u32>()
                .ok()
                .filter(|&number| number > 0)
                .ok_or(format!("{arg} {value:?} is not a whole number above 0"))?;
            match arg.as_str() {
                "--runs" => options.runs = Some(number),
                "--seconds" => options.seconds = Some(number),
                other => return Err(format!("unknown option {other:?} for bench")),
            }
        }
        Ok(options)
    }
}

/// Installs wrk, builds the backend and the bench program, and measures the backend.
pub fn bench(options: &BenchOptions) -> Result {
    install_wrk()?;
    let build = "build --profile server -p console-server -p bench";
    run(&mut command(
        "cargo",
        &build.split_whitespace().collect::<Vec<_>>(),
    ))?;
    let binaries = cmd::target_dir().join("server");
    let data_dir = tasks::fresh_temp_dir("bench")?;
    let seed = ["--seed-users", SEED_USERS, "--seed-accounts", SEED_ACCOUNTS];
    let backend = tasks::start_backend(
        &binaries.join("console-server"),
        BENCH_BACKEND_ADDR,
        &data_dir,
        &seed,
    )?;

    let mut measure = command(&binaries.join("bench").to_string_lossy(), &["backend"]);
    measure
        .env("BENCH_URL", format!("http://{BENCH_BACKEND_ADDR}"))
        .env("BENCH_ADMIN_PASSWORD", tasks::TEST_ADMIN_PASSWORD)
        .env("BENCH_SERVER_PID", backend.id().to_string())
        .env("BENCH_SERVER_LOG", tasks::backend_log(&data_dir))
        .env("BENCH_WRK", WRK)
        .env(
            "BENCH_WRK_SCRIPT",
            cmd::root().join("crates/bench/wrk/users.lua"),
        )
        .env("BENCH_OUTPUT_DIR", cmd::root())
        .env("BENCH_SEED_USERS", SEED_USERS)
        .env("BENCH_SEED_ACCOUNTS", SEED_ACCOUNTS);
    if let Some(runs) = options.runs {
        measure.env("BENCH_RUNS", runs.to_string());
    }
    if let Some(seconds) = options.seconds {
        measure.env("BENCH_SECONDS", seconds.to_string());
    }
    let result = run(&mut measure);
    drop(backend);
    tasks::remove_dir(&data_dir);
    result
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
const ROBUSTNESS_BACKEND_ADDR: &str = "127.0.0.1:18932";

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
        let defaults = parse(&[]).expect("no options");
        assert_eq!(defaults.runs, None, "the bench program's default runs");
    }

    #[test]
    fn options_reject_zero_words_and_unknown_names() {
        for args in [
            &["--runs", "0"][..],
            &["--seconds", "ten"],
            &["--runs"],
            &["--port", "1"],
        ] {
            assert!(parse(args).is_err(), "{args:?} is rejected");
        }
    }
}
