//! The bundle section: raw, gzip and brotli sizes of the release build's first load (the wasm,
//! its JS glue, the CSS and index.html), measured by `crates/bundle-size`, against the target
//! for the whole first load.

use std::path::{Path, PathBuf};

use bundle_size::FileSize;
use serde_json::{Value, json};

use crate::report::{self, text};
use crate::{Result, env_var};

/// Target of the first load with brotli: 150 KiB.
const BROTLI_TARGET_BYTES: u64 = 150 * 1024;

/// Measures the first load of the dist folder in BENCH_DIST_DIR and records the section.
pub fn run() -> Result {
    let dist = PathBuf::from(env_var("BENCH_DIST_DIR")?);
    let output_dir = PathBuf::from(env_var("BENCH_OUTPUT_DIR")?);
    let files = measure(&dist)?;
    print!("{}", bundle_size::table(&files));
    let section = section_json(&files);
    report::record(&output_dir, "bundle", section)
}

fn measure(dist: &Path) -> Result<Vec<FileSize>> {
    bundle_size::first_load_files(dist)?
        .iter()
        .map(|file| bundle_size::measure(file))
        .collect()
}

/// Returns what a file of the first load is, from its name.
fn kind(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("wasm") => "wasm",
        Some("js") => "JS glue",
        Some("css") => "CSS",
        Some("html") => "index.html",
        _ => "other",
    }
}

fn section_json(files: &[FileSize]) -> Value {
    let total = bundle_size::total(files);
    let is_met = total.brotli <= BROTLI_TARGET_BYTES;
    let mut section = report::section_base(&crate::command_line());
    section["files"] = files.iter().map(file_json).collect();
    section["total"] = file_json(&total);
    section["total"]["kind"] = json!("first load");
    section["brotli_target_bytes"] = json!(BROTLI_TARGET_BYTES);
    section["budget_bytes"] = json!(bundle_size::BROTLI_BUDGET_BYTES);
    section["targets"] = json!([report::target_json(
        "First load, brotli",
        format!(
            "≤ {} ({})",
            bytes(BROTLI_TARGET_BYTES),
            kib(BROTLI_TARGET_BYTES)
        ),
        format!("{} ({})", bytes(total.brotli), kib(total.brotli)),
        is_met,
    )]);
    section
}

fn file_json(file: &FileSize) -> Value {
    json!({
        "name": file.name,
        "kind": kind(&file.name),
        "raw": file.raw,
        "gzip": file.gzip,
        "brotli": file.brotli,
    })
}

/// Renders the bundle section of BENCHMARKS.md from its JSON.
pub fn render(section: &Value) -> String {
    let mut markdown = String::from("## Bundle: the first load\n\n");
    markdown.push_str(&report::measured_line(section));
    markdown.push_str(
        "The release build (`trunk build --release`) as `cargo xtask build` makes it, measured \
         by `crates/bundle-size`: every file that index.html names, gzip at level 9 and brotli \
         at quality 11. A build's sizes are the same on every run, so they are measured once.\n\n\
         | file | what | raw bytes | gzip bytes | brotli bytes |\n|---|---|---|---|---|\n",
    );
    for file in section["files"].as_array().into_iter().flatten() {
        markdown.push_str(&size_row(file, &format!("`{}`", text(&file["name"]))));
    }
    markdown.push_str(&size_row(&section["total"], "**total**"));
    markdown.push('\n');
    markdown.push_str(&report::targets_table(section));
    markdown.push_str(&format!(
        "\n`cargo xtask test` fails when the brotli total is over the budget of {}, which \
         stops growth; ARCHITECTURE.md says what keeps the wasm small.\n",
        bytes(section["budget_bytes"].as_u64().unwrap_or_default())
    ));
    markdown
}

fn size_row(file: &Value, name: &str) -> String {
    format!(
        "| {name} | {} | {} | {} | {} |\n",
        text(&file["kind"]),
        file["raw"],
        file["gzip"],
        file["brotli"]
    )
}

fn bytes(count: u64) -> String {
    format!("{count} bytes")
}

fn kib(count: u64) -> String {
    format!("{:.1} KiB", count as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, brotli: u64) -> FileSize {
        FileSize {
            name: name.to_owned(),
            raw: brotli * 4,
            gzip: brotli * 2,
            brotli,
        }
    }

    #[test]
    fn kind_follows_extension() {
        assert_eq!(kind("console-1a2b_bg.wasm"), "wasm", "wasm");
        assert_eq!(kind("console-1a2b.js"), "JS glue", "JS");
        assert_eq!(kind("main-3c4d.css"), "CSS", "CSS");
        assert_eq!(kind("index.html"), "index.html", "HTML");
    }

    #[test]
    fn target_is_met_up_to_150_kib() {
        let within = section_json(&[file("index.html", 600), file("a_bg.wasm", 153_000)]);
        assert_eq!(within["targets"][0]["met"], true, "153,600 bytes meet it");
        let over = section_json(&[file("index.html", 601), file("a_bg.wasm", 153_000)]);
        assert_eq!(over["targets"][0]["met"], false, "one byte more misses it");
        assert_eq!(over["total"]["brotli"], 153_601, "total of the files");
    }

    #[test]
    fn render_lists_files_and_marks_a_miss() {
        let section = section_json(&[file("index.html", 600), file("a_bg.wasm", 200_000)]);
        let markdown = render(&section);
        assert!(
            markdown.contains("| `a_bg.wasm` | wasm | 800000 | 400000 | 200000 |"),
            "{markdown}"
        );
        assert!(
            markdown.contains("| **total** | first load | 802400 |"),
            "{markdown}"
        );
        assert!(markdown.contains("| **missed** |"), "{markdown}");
    }
}
