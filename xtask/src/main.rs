//! Project tasks, run as `cargo xtask <task>`: install the tools the project needs, serve the
//! product, run every test suite, check the bundle size, take screenshots, audit pages with
//! Lighthouse and benchmark the app and the backend.

mod bench;
mod cmd;
mod dist;
mod doc_sections;
mod docs_check;
mod schemathesis;
mod service;
mod tasks;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "\
Usage: cargo xtask <task> [options]

Tasks:
  serve [--port N] [--data-dir DIR] [-- BACKEND OPTIONS]
                                     Build the release app and serve it with the backend
                                     on http://127.0.0.1:N (default 8080, data in ./data).
                                     Options after `--` go to the backend, such as
                                     `-- --smtp-url URL --mail-from ADDRESS`.
  test                               Run every test suite (formatting, lints, unit, backend,
                                     bundle size, browser, end-to-end, accessibility and
                                     layout).
  outbox [--data-dir DIR] [--to EMAIL]
                                     Print the emails the backend stored instead of
                                     sending them, such as invitation links.
  install                            Install the tools the build and tests need.
  build                              Build the release app into dist/ and the backend.
                                     CONSOLE_API_URL sets the app's backend address.
  dist [--public-url PATH] [--out DIR] [--api-url URL]
                                     Build the release app for a static host into DIR
                                     (default dist-static): hashed asset names, .br and .gz
                                     copies, integrity attributes, and a config.json whose
                                     api_url is URL (default /api/v1). PATH is where the
                                     host serves it, such as /admin/ (default /).
  test-static-host                   Run only the static-host suite: the dist build under
                                     /admin/ behind nginx, with the backend on another
                                     origin (part of `test`).
  bundle-size                        Build the release app and print the raw, gzip and
                                     brotli sizes of its first load; fail when the brotli
                                     total is over the budget.
  screenshots                        Save screenshots of the main pages into
                                     docs/screenshots.
  lighthouse                         Audit the main pages with Lighthouse, write the
                                     scores to docs/lighthouse.md and docs/lighthouse.json,
                                     and fail when a score is below its target.
  schemathesis                       Run Schemathesis against every operation of the
                                     backend's OpenAPI document, write the figures to
                                     docs/robustness.md, and fail on any 5xx or response
                                     that breaks the document.
  bench [--section NAME[,NAME]] [--runs N] [--seconds S] [--check]
                                     Measure the bundle, the cold load, the users table's
                                     rendering, typing on the add-user form (in headless
                                     Chromium) and the backend under load with wrk (seeded
                                     with 100,000 users), and write BENCHMARKS.md and
                                     benchmarks.json. --section measures only the named
                                     sections (bundle, load, render, typing, backend) and
                                     keeps the others' figures. --runs sets the runs of
                                     every section (default 10 in the browser, 3 for the
                                     backend), --seconds the load per backend scenario
                                     (default 30). Missed targets are listed and leave the
                                     exit status 0 unless --check is given.
  robustness                         Check writes of the release backend under 50 concurrent
                                     identical creates, 100 clients for 60 s, and a kill -9,
                                     and write docs/robustness.md; fail when a check fails.

serve, test, build, bundle-size, screenshots, lighthouse, schemathesis and bench first
install what is missing and skip what is present.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((task, options)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match task.as_str() {
        "serve" => tasks::ServeOptions::parse(options).and_then(|options| tasks::serve(&options)),
        "test" => tasks::test(),
        "install" => tools::install_all(),
        "build" => tasks::build(),
        "dist" => dist::DistOptions::parse(options).and_then(|options| dist::dist(&options)),
        "test-static-host" => tasks::static_host_test(),
        "bundle-size" => tasks::bundle_size(),
        "screenshots" => tasks::screenshots(),
        "lighthouse" => tasks::lighthouse(),
        "schemathesis" => schemathesis::schemathesis(),
        "bench" => bench::BenchOptions::parse(options).and_then(|options| bench::bench(&options)),
        "robustness" => bench::robustness(),
        "outbox" => tasks::outbox(options),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown task {other:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask {task}: {message}");
            ExitCode::FAILURE
        }
    }
}
