//! Idempotent installs of every tool the build and the tests need. Each step checks for the
//! exact version first and does nothing when it is present.

use std::path::{Path, PathBuf};

use crate::cmd::{self, Result, command, probe, run};

/// Trunk 0.22 needs a newer rustc than this project's 1.95.
const TRUNK_VERSION: &str = "0.21.14";
/// wasm-opt from the npm package `binaryen`; it reports itself as `version_132`, which
/// Trunk.toml pins.
const BINARYEN_NPM_VERSION: &str = "132.0.0";
const WASM_OPT_VERSION_TAG: &str = "version_132";
/// Lighthouse 13 needs Node 22.19 or newer (`npm view lighthouse@13.0.0 engines`), so this is
/// 12.8.2, the newest release that runs on Node 20.
const LIGHTHOUSE_NPM_VERSION: &str = "12.8.2";
/// axe-core, the accessibility rules engine that the accessibility suite injects into pages.
const AXE_CORE_NPM_VERSION: &str = "4.14.1";

/// Installs everything: the build tools and the browser the tests drive.
pub fn install_all() -> Result {
    install_build_tools()?;
    install_chromium()
}

/// Installs what building the app needs: the wasm target, Trunk, wasm-bindgen and the npm
/// tools. Serving the product needs nothing more, so it installs no browser.
pub fn install_build_tools() -> Result {
    install_wasm_target()?;
    install_trunk()?;
    install_wasm_bindgen()?;
    install_npm_tools()
}

fn install_wasm_target() -> Result {
    let installed = probe("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed
        .lines()
        .any(|line| line == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    run(&mut command(
        "rustup",
        &["target", "add", "wasm32-unknown-unknown"],
    ))
}

fn install_trunk() -> Result {
    let expected = format!("trunk {TRUNK_VERSION}");
    if probe("trunk", &["--version"]).is_some_and(|version| version == expected) {
        return Ok(());
    }
    println!("xtask: installing {expected} (takes several minutes, once)");
    run(&mut command(
        "cargo",
        &["install", "trunk", "--version", TRUNK_VERSION, "--locked"],
    ))
}

/// Installs the wasm-bindgen CLI and test runner at the exact version in Cargo.lock, which
/// must match the library or the generated bindings fail to load.
fn install_wasm_bindgen() -> Result {
    let version = locked_version("wasm-bindgen")?;
    let expected = format!("wasm-bindgen {version}");
    let is_present = |program: &str| probe(program, &["--version"]).is_some_and(|v| v == expected);
    if is_present("wasm-bindgen") && probe("wasm-bindgen-test-runner", &["--version"]).is_some() {
        return Ok(());
    }
    println!("xtask: installing wasm-bindgen-cli {version} (takes a few minutes, once)");
    // NOTE: `--locked` fails for 0.2.130 because a dependency version it pins is no longer
    // in the registry, so the CLI resolves its dependencies afresh.
    run(&mut command(
        "cargo",
        &["install", "wasm-bindgen-cli", "--version", &version],
    ))
}

/// Installs the npm packages into .tools with one `npm install` naming all of them, because
/// npm removes from the folder any package that the latest install did not name.
fn install_npm_tools() -> Result {
    if is_wasm_opt_installed() && is_npm_package_installed("axe-core", AXE_CORE_NPM_VERSION) {
        return Ok(());
    }
    let packages = [
        format!("binaryen@{BINARYEN_NPM_VERSION}"),
        format!("axe-core@{AXE_CORE_NPM_VERSION}"),
    ];
    npm_install(&cmd::root().join(".tools"), &packages)
}

/// Returns the path of the Lighthouse CLI that [`install_lighthouse`] installs.
pub fn lighthouse_bin() -> PathBuf {
    cmd::root().join(".tools/lighthouse/node_modules/.bin/lighthouse")
}

/// Installs the Lighthouse CLI from npm. Only `cargo xtask lighthouse` needs it, so
/// [`install_all`] leaves it out.
///
/// It gets a folder of its own because `npm install --no-save` removes every package of the
/// folder that the same call does not name, so sharing .tools would remove wasm-opt.
pub fn install_lighthouse() -> Result {
    let lighthouse = lighthouse_bin();
    let version = probe(&lighthouse.to_string_lossy(), &["--version"]);
    if version.as_deref() == Some(LIGHTHOUSE_NPM_VERSION) {
        return Ok(());
    }
    println!("xtask: installing lighthouse {LIGHTHOUSE_NPM_VERSION} (takes about 20 s, once)");
    let prefix = cmd::root().join(".tools/lighthouse");
    npm_install(&prefix, &[format!("lighthouse@{LIGHTHOUSE_NPM_VERSION}")])
}

/// Installs `packages` (each `name@version`) from npm into `prefix`/node_modules.
fn npm_install(prefix: &Path, packages: &[String]) -> Result {
    let prefix = prefix.to_string_lossy();
    let mut args = vec![
        "install",
        "--prefix",
        &prefix,
        "--no-save",
        "--no-audit",
        "--no-fund",
    ];
    args.extend(packages.iter().map(String::as_str));
    run(&mut command("npm", &args))
}

fn is_wasm_opt_installed() -> bool {
    let wasm_opt = cmd::npm_bin_dir().join("wasm-opt");
    let wasm_opt = wasm_opt.to_string_lossy();
    probe(&wasm_opt, &["--version"]).is_some_and(|v| v.contains(WASM_OPT_VERSION_TAG))
}

/// Returns whether .tools contains the npm package `name` at exactly `version`, read from its
/// package.json. A missing or unreadable manifest counts as not installed.
fn is_npm_package_installed(name: &str, version: &str) -> bool {
    let manifest = cmd::npm_package_dir(name).join("package.json");
    let expected = format!("\"version\": \"{version}\"");
    std::fs::read_to_string(manifest).is_ok_and(|text| text.contains(&expected))
}

/// Installs Debian's Chromium and ChromeDriver when they are absent and this runs as root;
/// otherwise returns an error that names what to install.
fn install_chromium() -> Result {
    let has_browser = std::path::Path::new("/usr/bin/chromium").exists()
        && std::path::Path::new("/usr/bin/chromedriver").exists();
    if has_browser {
        return Ok(());
    }
    if probe("id", &["-u"]).as_deref() != Some("0") {
        return Err(
            "Chromium and ChromeDriver are missing: install the Debian packages \
                    chromium and chromium-driver, or run this task as root"
                .to_owned(),
        );
    }
    run(&mut command("apt-get", &["update", "-qq"]))?;
    let mut install = command(
        "apt-get",
        &["install", "-y", "-qq", "chromium", "chromium-driver"],
    );
    install.env("DEBIAN_FRONTEND", "noninteractive");
    run(&mut install)
}

/// Path of the brotli_static module that Debian's libnginx-mod-http-brotli-static installs.
pub const NGINX_BROTLI_MODULE: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

/// Installs Debian's nginx and its brotli_static module when they are absent and this runs as
/// root; otherwise returns an error that names what to install. Only the static-host suite
/// needs them.
pub fn install_nginx() -> Result {
    let has_nginx =
        Path::new("/usr/sbin/nginx").exists() && Path::new(NGINX_BROTLI_MODULE).exists();
    if has_nginx {
        return Ok(());
    }
    if probe("id", &["-u"]).as_deref() != Some("0") {
        return Err("nginx is missing: install the Debian packages nginx and \
                    libnginx-mod-http-brotli-static, or run this task as root"
            .to_owned());
    }
    run(&mut command("apt-get", &["update", "-qq"]))?;
    let mut install = command(
        "apt-get",
        &[
            "install",
            "-y",
            "-qq",
            "nginx",
            "libnginx-mod-http-brotli-static",
        ],
    );
    install.env("DEBIAN_FRONTEND", "noninteractive");
    run(&mut install)
}

/// Reads the version of `package` from Cargo.lock.
pub fn locked_version(package: &str) -> Result<String> {
    let path = cmd::root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&path)
        .map_err(|e| format!("could not read {}: {e}", path.display()))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == name_line {
            let version = lines.next().and_then(|l| l.strip_prefix("version = \""));
            if let Some(version) = version.and_then(|v| v.strip_suffix('"')) {
                return Ok(version.to_owned());
            }
        }
    }
    Err(format!("{package} is not in {}", path.display()))
}
