//! `cargo xtask dist`: one release build of the app for any static host, with content-hashed
//! asset names, precompressed `.br` and `.gz` files, Subresource Integrity on every asset the
//! page loads, and a `config.json` that the app reads at start-up.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cmd::{self, Result, command, run};
use crate::tools;

/// Options of `cargo xtask dist`.
pub struct DistOptions {
    /// Path under which the host serves the app, with a leading and a trailing slash.
    pub public_url: String,
    pub out_dir: PathBuf,
    /// Value of `api_url` in the generated config.json.
    pub api_url: String,
}

impl DistOptions {
    pub fn parse(args: &[String]) -> Result<DistOptions> {
        let mut options = DistOptions {
            public_url: "/".to_owned(),
            out_dir: cmd::root().join("dist-static"),
            api_url: "/api/v1".to_owned(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or(format!("{arg} needs a value"));
            match arg.as_str() {
                "--public-url" => options.public_url = value()?.clone(),
                "--out" => options.out_dir = cmd::root().join(value()?),
                "--api-url" => options.api_url = value()?.clone(),
                other => return Err(format!("unknown option {other:?} for dist")),
            }
        }
        let url = &options.public_url;
        if !url.starts_with('/') || !url.ends_with('/') || url.starts_with("//") {
            return Err(format!(
                "--public-url {url:?} is invalid: expected a path with a leading and a \
                 trailing slash, such as /admin/"
            ));
        }
        Ok(options)
    }
}

/// Builds the app for a static host into `options.out_dir`.
pub fn dist(options: &DistOptions) -> Result {
    tools::install_build_tools()?;
    let out_dir = options.out_dir.to_string_lossy().into_owned();
    let mut trunk = command(
        "trunk",
        &[
            "build",
            "--release",
            "--public-url",
            &options.public_url,
            "--dist",
            &out_dir,
        ],
    );
    trunk.env("TRUNK_SKIP_VERSION_CHECK", "true");
    run(&mut trunk)?;

    let index_path = options.out_dir.join("index.html");
    let index = read(&index_path)?;
    write(&index_path, &fetch_wasm_with_integrity(&index)?)?;
    write(
        &options.out_dir.join("config.json"),
        &config_json(&options.api_url),
    )?;
    let compressed = precompress(&options.out_dir)?;
    println!(
        "xtask: built {} for the public URL {} with config.json pointing at {}; {compressed} \
         files precompressed. `console-server print-csp --static-dir {}` prints the \
         Content-Security-Policy its index.html needs (docs/deploy.md).",
        options.out_dir.display(),
        options.public_url,
        options.api_url,
        options.out_dir.display()
    );
    Ok(())
}

/// Returns the text of a config.json whose `api_url` is `api_url`.
fn config_json(api_url: &str) -> String {
    let escaped: String = api_url
        .chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            c => vec![c],
        })
        .collect();
    format!("{{\n  \"api_url\": \"{escaped}\"\n}}\n")
}

/// Rewrites Trunk's inline loader so that it fetches the wasm with the `integrity` of the
/// wasm preload link. Trunk 0.21 puts integrity on the preload link only, and a `fetch`
/// without integrity metadata neither checks the hash nor reuses that preload.
pub fn fetch_wasm_with_integrity(html: &str) -> Result<String> {
    let preload_start = html
        .find("rel=preload")
        .and_then(|rel| html[..rel].rfind("<link"))
        .ok_or("index.html has no wasm preload link; did Trunk's output change?")?;
    let preload_end = preload_start
        + html[preload_start..]
            .find('>')
            .ok_or("index.html has an unclosed <link>")?;
    let preload = &html[preload_start..preload_end];
    let integrity = attribute(preload, "integrity")
        .ok_or("the wasm preload link has no integrity attribute")?;
    let wasm = attribute(preload, "href").ok_or("the wasm preload link has no href")?;
    let loader_call = format!("module_or_path: '{wasm}'");
    if !html.contains(&loader_call) {
        return Err(format!(
            "index.html's loader does not contain {loader_call:?}; did Trunk's output change?"
        ));
    }
    let checked_call = format!("module_or_path: fetch('{wasm}', {{ integrity: '{integrity}' }})");
    Ok(html.replacen(&loader_call, &checked_call, 1))
}

/// Returns the value of `name` in the attributes of one tag, quoted or not (Trunk's HTML
/// minifier drops the quotes).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let pattern = format!(" {name}=");
    let start = tag.find(&pattern)? + pattern.len();
    let rest = &tag[start..];
    match rest.chars().next()? {
        quote @ ('"' | '\'') => {
            let value = &rest[1..];
            value.find(quote).map(|end| &value[..end])
        }
        _ => {
            let end = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .unwrap_or(rest.len());
            Some(&rest[..end])
        }
    }
}

/// Writes `NAME.br` and `NAME.gz` beside each file of `dir` but config.json, and returns how
/// many files it compressed. config.json is left out because deployments edit it, and a
/// stale compressed copy would be served in its place.
fn precompress(dir: &Path) -> Result<usize> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("could not list {}: {e}", dir.display()))?;
    let mut count = 0;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("could not list {}: {e}", dir.display()))?
            .path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let is_compressed = name.ends_with(".br") || name.ends_with(".gz");
        if !path.is_file() || is_compressed || name == "config.json" {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut brotli = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut bytes.as_slice(), &mut brotli, &params)
            .map_err(|e| format!("brotli failed on {}: {e}", path.display()))?;
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(&bytes)
            .and_then(|()| gzip.finish())
            .map(|gzip| write_bytes(&with_suffix(&path, "gz"), &gzip))
            .map_err(|e| format!("gzip failed on {}: {e}", path.display()))??;
        write_bytes(&with_suffix(&path, "br"), &brotli)?;
        count += 1;
    }
    Ok(count)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("could not read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result {
    write_bytes(path, text.as_bytes())
}

fn write_bytes(path: &Path, bytes: &[u8]) -> Result {
    std::fs::write(path, bytes).map_err(|e| format!("could not write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::{attribute, config_json, fetch_wasm_with_integrity};

    const TRUNK_INDEX: &str = "<script type=module>import init from '/admin/app-1.js';\n\
        const wasm = await init({ module_or_path: '/admin/app-1_bg.wasm' });</script>\
        <link crossorigin href=/admin/app-1_bg.wasm integrity=sha384-abc+/= rel=preload \
        type=application/wasm>";

    #[test]
    fn loader_fetches_wasm_with_integrity() {
        let html = fetch_wasm_with_integrity(TRUNK_INDEX).expect("rewritten");
        assert!(
            html.contains(
                "module_or_path: fetch('/admin/app-1_bg.wasm', { integrity: 'sha384-abc+/=' })"
            ),
            "{html}"
        );
    }

    #[test]
    fn loader_rewrite_fails_without_preload() {
        let html = "<script type=module>init({ module_or_path: '/a_bg.wasm' })</script>";
        assert!(fetch_wasm_with_integrity(html).is_err());
    }

    #[test]
    fn attribute_reads_quoted_and_bare_values() {
        assert_eq!(attribute("<link href=\"/a b\" x=1", "href"), Some("/a b"));
        assert_eq!(attribute("<link href=/a integrity=sha", "href"), Some("/a"));
        assert_eq!(attribute("<link href=/a", "integrity"), None);
    }

    #[test]
    fn config_json_escapes_quotes() {
        assert_eq!(
            config_json("/api\"v1"),
            "{\n  \"api_url\": \"/api\\\"v1\"\n}\n"
        );
    }
}
