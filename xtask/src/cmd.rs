//! Running other programs: the workspace root, PATH with the project's tools, and checked runs.

use std::path::{Path, PathBuf};
use std::process::Command;

pub type Result<T = ()> = std::result::Result<T, String>;

/// Returns the workspace root (the parent of this crate's folder).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned()
}

/// Cargo's target folder: CARGO_TARGET_DIR when set, relative paths taken from the root.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// Folder of the tools installed from npm (wasm-opt).
pub fn npm_bin_dir() -> PathBuf {
    root().join(".tools/node_modules/.bin")
}

/// Folder of the npm package `name` installed into .tools, such as axe-core.
pub fn npm_package_dir(name: &str) -> PathBuf {
    root().join(".tools/node_modules").join(name)
}

/// Folder where `cargo install` puts binaries.
pub fn cargo_bin_dir() -> PathBuf {
    match std::env::var_os("CARGO_HOME") {
        Some(home) => PathBuf::from(home).join("bin"),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo/bin"),
    }
}

/// PATH with the project's npm tools and cargo's binaries first, so Trunk finds the pinned
/// wasm-opt and wasm-bindgen.
pub fn tool_path() -> std::ffi::OsString {
    let mut dirs = vec![npm_bin_dir(), cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("tool folders contain no path separator")
}

/// Builds a command that runs in the workspace root with the tool PATH.
pub fn command(program: &str, args: &[&str]) -> Command {
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(root())
        .env("PATH", tool_path());
    command
}

/// Runs a command to completion and fails when it exits non-zero.
pub fn run(command: &mut Command) -> Result {
    let shown = describe(command);
    println!("xtask: running {shown}");
    let status = command
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed with {status}"))
    }
}

/// Runs a command and returns its standard output, or `None` when it can't start or fails.
/// Used to probe for installed tools, where absence is an expected result.
pub fn probe(program: &str, args: &[&str]) -> Option<String> {
    let output = command(program, args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn describe(command: &Command) -> String {
    let mut shown = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        shown.push(' ');
        shown.push_str(&arg.to_string_lossy());
    }
    shown
}
