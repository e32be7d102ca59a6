//! BENCHMARKS.md and benchmarks.json at the repository root. The JSON keeps each section's
//! raw figures under its name. The Markdown is rendered from the JSON, so a run of one
//! section keeps the figures of the others.

use std::path::Path;

use serde_json::{Map, Value, json};

use crate::Result;

/// Renders one section of BENCHMARKS.md from its JSON.
type Render = fn(&Value) -> String;

/// Every section, in the order of BENCHMARKS.md.
const SECTIONS: &[(&str, Render)] = &[("backend", crate::backend::render)];

const JSON_FILE: &str = "benchmarks.json";
const MARKDOWN_FILE: &str = "BENCHMARKS.md";

const INTRODUCTION: &str = "\
# Benchmarks

Measured figures of the product, each against its target. `cargo xtask bench` measures every
section and rewrites this page and `benchmarks.json`, which has the raw figures of each run.
Each section names the machine and the date of its measurement: figures from different
machines don't compare.
";

/// Stores `section` under `name` in benchmarks.json in `output_dir`, keeping the other
/// sections, and rewrites BENCHMARKS.md from the result.
pub fn record(output_dir: &Path, name: &str, section: Value) -> Result {
    let json_path = output_dir.join(JSON_FILE);
    let mut sections = read_sections(&json_path)?;
    sections.insert(name.to_owned(), section);
    let document = json!({ "sections": sections });
    let json_text = serde_json::to_string_pretty(&document)
        .map_err(|e| format!("could not write the figures as JSON: {e}"))?;
    write(&json_path, &(json_text + "\n"))?;
    write(&output_dir.join(MARKDOWN_FILE), &render(&sections))
}

/// Rewrites BENCHMARKS.md in `output_dir` from its benchmarks.json, after a change to how
/// the sections are rendered.
pub fn render_again(output_dir: &Path) -> Result {
    let sections = read_sections(&output_dir.join(JSON_FILE))?;
    write(&output_dir.join(MARKDOWN_FILE), &render(&sections))
}

fn read_sections(path: &Path) -> Result<Map<String, Value>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Map::new()),
        Err(error) => return Err(format!("could not read {}: {error}", path.display())),
    };
    let document: Value = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{} is not valid JSON ({e}); remove it to start afresh",
            path.display()
        )
    })?;
    Ok(document["sections"]
        .as_object()
        .cloned()
        .unwrap_or_default())
}

fn render(sections: &Map<String, Value>) -> String {
    let mut markdown = INTRODUCTION.to_owned();
    for (name, render_section) in SECTIONS {
        if let Some(section) = sections.get(*name) {
            markdown.push('\n');
            markdown.push_str(&render_section(section));
        }
    }
    markdown
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("could not write {}: {e}", path.display()))?;
    println!("bench: wrote {}", path.display());
    Ok(())
}
