//! Prints the raw, gzip and brotli sizes of the files the console's first load fetches from a
//! dist folder, and exits with an error when their brotli total is over the budget.
//!
//! Usage: `bundle-size [DIST]`, where DIST defaults to `dist`.

use std::path::PathBuf;
use std::process::ExitCode;

use bundle_size::{
    BROTLI_BUDGET_BYTES, FileSize, check_budget, first_load_files, measure, table, total,
};

fn main() -> ExitCode {
    let dist = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "dist".to_owned()));
    match measure_first_load(&dist) {
        Ok(files) => {
            println!(
                "First load of {} (bytes):\n{}",
                dist.display(),
                table(&files)
            );
            report_budget(&files)
        }
        Err(message) => {
            eprintln!("bundle-size: {message}");
            ExitCode::FAILURE
        }
    }
}

fn measure_first_load(dist: &std::path::Path) -> Result<Vec<FileSize>, String> {
    first_load_files(dist)?
        .iter()
        .map(|file| measure(file))
        .collect()
}

fn report_budget(files: &[FileSize]) -> ExitCode {
    match check_budget(files, BROTLI_BUDGET_BYTES) {
        Ok(()) => {
            let used = total(files).brotli;
            let left = BROTLI_BUDGET_BYTES - used;
            println!(
                "bundle-size: {used} bytes with brotli, within the budget of \
                 {BROTLI_BUDGET_BYTES} bytes ({left} bytes left)"
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("bundle-size: {message}");
            ExitCode::FAILURE
        }
    }
}
