//! BENCHMARKS.md and benchmarks.json at the repository root. The JSON keeps each section's
//! raw figures under its name. The Markdown is rendered from the JSON, so a run of one
//! section keeps the figures of the others. Also the pieces that every section's JSON and
//! Markdown share: figures over runs, targets, and the line naming command and machine.

use std::path::Path;

use serde_json::{Map, Value, json};

use crate::Result;
use crate::machine;
use crate::stats::Spread;

/// Renders one section of BENCHMARKS.md from its JSON.
type Render = fn(&Value) -> String;

/// Every section, in the order of BENCHMARKS.md.
pub const SECTIONS: &[(&str, Render)] = &[
    ("bundle", crate::bundle::render),
    ("load", crate::load::render),
    ("render", crate::render::render),
    ("typing", crate::typing::render),
    ("backend", crate::backend::render),
];

const JSON_FILE: &str = "benchmarks.json";
const MARKDOWN_FILE: &str = "BENCHMARKS.md";

const INTRODUCTION: &str = "\
# Benchmarks

Measured figures of the product, each against its target. `cargo xtask bench` measures every
section and rewrites this page and `benchmarks.json`, which has the raw figures of each run;
`cargo xtask bench --section NAME` measures one section and keeps the others' figures. Each
section names the command, the machine and the date of its measurement: figures from
different machines don't compare. A missed target is marked **missed**; the bench then still
exits with 0, unless it ran with `--check`.
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

/// Reads the section `name` of benchmarks.json in `output_dir`, or `None` when it has none.
pub fn recorded_section(output_dir: &Path, name: &str) -> Result<Option<Value>> {
    Ok(read_sections(&output_dir.join(JSON_FILE))?.remove(name))
}

/// Returns a figure over the runs as JSON: each run's value, and their median, minimum and
/// maximum.
pub fn figure_json(values: &[f64]) -> Value {
    let mut figure = Spread::of(values).map(Spread::to_json).unwrap_or(json!({}));
    figure["runs"] = json!(values);
    figure
}

/// Reads a figure that [`figure_json`] wrote.
pub fn figure_spread(figure: &Value) -> Option<Spread> {
    Some(Spread {
        median: figure["median"].as_f64()?,
        min: figure["min"].as_f64()?,
        max: figure["max"].as_f64()?,
    })
}

/// One target of a section, as JSON: what is measured, the target and the measured value
/// as people read them, and whether the value meets the target.
pub fn target_json(figure: &str, target: String, measured: String, is_met: bool) -> Value {
    json!({ "figure": figure, "target": target, "measured": measured, "met": is_met })
}

/// Returns the common fields of a section: the command and the machine, with the date.
pub fn section_base(command: &str) -> Value {
    json!({ "command": command, "machine": machine::describe() })
}

/// Returns the line under a section's heading that names the date, command and machine.
pub fn measured_line(section: &Value) -> String {
    format!(
        "Measured on {} with `{}`, on {}.\n\n",
        text(&section["machine"]["date"]),
        text(&section["command"]),
        machine::summary(&section["machine"])
    )
}

/// Renders the table of a section's targets.
pub fn targets_table(section: &Value) -> String {
    let mut markdown = String::from("| figure | target | measured | result |\n|---|---|---|---|\n");
    for target in section["targets"].as_array().into_iter().flatten() {
        markdown.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            text(&target["figure"]),
            text(&target["target"]),
            text(&target["measured"]),
            met_word(&target["met"])
        ));
    }
    markdown
}

/// Returns "met" or "**missed**" for a target's `met` field.
pub fn met_word(is_met: &Value) -> &'static str {
    if is_met.as_bool() == Some(true) {
        "met"
    } else {
        "**missed**"
    }
}

/// Returns the targets that the recorded section `name` missed, one line each. The backend
/// section records its targets per scenario; every other section lists them in `targets`.
pub fn missed_targets(name: &str, section: &Value) -> Vec<String> {
    if name == "backend" {
        return crate::backend::missed_targets(section);
    }
    section["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|target| target["met"].as_bool() != Some(true))
        .map(|target| {
            format!(
                "{name}: {} is {}, target {}",
                text(&target["figure"]),
                text(&target["measured"]),
                text(&target["target"])
            )
        })
        .collect()
}

/// Returns a string field of the JSON, or "unknown".
pub fn text(value: &Value) -> &str {
    value.as_str().unwrap_or("unknown")
}

/// Formats a spread of milliseconds, such as `212.4 (198.0–260.1)`.
pub fn milliseconds(figure: &Value) -> String {
    match figure_spread(figure) {
        Some(spread) => spread.display(1),
        None => "–".to_owned(),
    }
}
