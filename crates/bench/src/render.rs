//! The render section: the app's users table component against a plain JavaScript table with
//! the same markup, on the render-bench page (`crates/render-bench`), in one Chromium
//! session with interleaved runs: 1,000 rows shown, then filtered to those matching a term.

use fantoccini::Client;
use serde_json::{Value, json};

use crate::report::{self, figure_spread, text};
use crate::stats::Spread;
use crate::{Result, browser, env_number, env_var};

/// Rows shown by the first step.
const USER_COUNT: u64 = 1_000;
/// Term of the filter step; the page's generated users have it in every tenth last name.
const FILTER_TERM: &str = "garcia";
const FILTER_ROWS: u64 = 100;
/// Ratio of the app's median to plain JavaScript's that must be met for each step.
const RATIO_TARGET: f64 = 1.5;
/// Untimed rounds of both sides before the timed ones, so that both are compiled by the
/// optimising tiers of V8 before they are timed.
const WARM_UP_ROUNDS: u64 = 2;

/// The two implementations, as `window.renderBench` names them.
const SIDES: [&str; 2] = ["app", "plain"];

/// The timed steps: name in the JSON, title, the page's step, and the rows it must show.
const STEPS: [(&str, &str, &str, u64); 2] = [
    ("render", "Render 1,000 rows", "all", USER_COUNT),
    ("filter", "Filter to 100 rows", "matching", FILTER_ROWS),
];

/// Runs `window.renderBench[method](argument)` and passes what it resolves to (or the error)
/// back through WebDriver's callback.
const CALL_SCRIPT: &str = r#"
const [method, args, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
window.renderBench[method](...args).then(
  (value) => done({ value }),
  (error) => done({ error: String(error && error.stack || error) }),
);
"#;

struct Settings {
    /// Origin of the server of the render-bench page.
    origin: String,
    webdriver_url: String,
    runs: u64,
    output_dir: std::path::PathBuf,
}

/// Measures both sides `runs` times in one session and records the section.
pub async fn run() -> Result {
    let settings = Settings {
        origin: env_var("BENCH_RENDER_URL")?
            .trim_end_matches('/')
            .to_owned(),
        webdriver_url: env_var("BENCH_WEBDRIVER_URL")?,
        runs: env_number("BENCH_RUNS", 10)?.max(1),
        output_dir: env_var("BENCH_OUTPUT_DIR")?.into(),
    };
    // --expose-gc lets the page collect garbage before each timed step, so neither side pays
    // for the other's garbage.
    let client = browser::start(&settings.webdriver_url, &["--js-flags=--expose-gc"]).await?;
    let result = measure(&client, &settings).await;
    browser::close(client).await;
    let timings = result?;
    report::record(
        &settings.output_dir,
        "render",
        section_json(&timings, settings.runs),
    )
}

/// Milliseconds of each timed step, per side and step, in run order.
#[derive(Default)]
struct Timings {
    /// Indexed as `[side][step]`, in the order of [`SIDES`] and [`STEPS`].
    values: [[Vec<f64>; 2]; 2],
}

async fn measure(client: &Client, settings: &Settings) -> Result<Timings> {
    let url = format!("{}/index.html", settings.origin);
    client
        .goto(&url)
        .await
        .map_err(|error| format!("could not open {url}: {error}"))?;
    let loaded = call(client, "start", json!([USER_COUNT])).await?;
    if loaded != json!(USER_COUNT) {
        return Err(format!(
            "the page generated {loaded} users, not {USER_COUNT}"
        ));
    }
    let difference = call(client, "compareMarkup", json!([])).await?;
    if !difference.is_null() {
        return Err(format!(
            "the app's table and the plain JavaScript table differ, so they would not do the \
             same DOM work:\n{}",
            text(&difference)
        ));
    }
    for _ in 0..WARM_UP_ROUNDS {
        for side in SIDES {
            round(client, side).await?;
        }
    }
    let mut timings = Timings::default();
    for run in 0..settings.runs {
        // Alternates which side goes first, so neither always runs after the other.
        let order = if run % 2 == 0 { [0, 1] } else { [1, 0] };
        for side in order {
            let milliseconds = round(client, SIDES[side]).await?;
            for (step, value) in milliseconds.into_iter().enumerate() {
                timings.values[side][step].push(value);
            }
        }
        println!(
            "bench: render run {} of {}: app {:.1} / {:.1} ms, plain {:.1} / {:.1} ms",
            run + 1,
            settings.runs,
            timings.values[0][0][run as usize],
            timings.values[0][1][run as usize],
            timings.values[1][0][run as usize],
            timings.values[1][1][run as usize],
        );
    }
    Ok(timings)
}

/// Runs every step of one side, then empties its table, and returns each step's time.
async fn round(client: &Client, side: &str) -> Result<[f64; 2]> {
    let mut milliseconds = [0.0; 2];
    for (index, (_, title, step, rows)) in STEPS.iter().enumerate() {
        let result = call(client, "time", json!([side, step, FILTER_TERM])).await?;
        if result["rows"] != json!(rows) {
            return Err(format!(
                "{title} on the {side} side showed {} rows, not {rows}",
                result["rows"]
            ));
        }
        milliseconds[index] = result["milliseconds"]
            .as_f64()
            .ok_or_else(|| format!("{title} on the {side} side returned no time: {result}"))?;
    }
    call(client, "time", json!([side, "clear", ""])).await?;
    Ok(milliseconds)
}

async fn call(client: &Client, method: &str, args: Value) -> Result<Value> {
    let answer = browser::run_async(client, CALL_SCRIPT, vec![json!(method), args]).await?;
    if let Some(error) = answer["error"].as_str() {
        return Err(format!("renderBench.{method} failed in the page: {error}"));
    }
    Ok(answer["value"].clone())
}

fn section_json(timings: &Timings, runs: u64) -> Value {
    let mut steps = Vec::new();
    let mut targets = Vec::new();
    for (index, (id, title, _, rows)) in STEPS.iter().enumerate() {
        let app = &timings.values[0][index];
        let plain = &timings.values[1][index];
        let ratio = match (Spread::of(app), Spread::of(plain)) {
            (Some(app), Some(plain)) if plain.median > 0.0 => Some(app.median / plain.median),
            _ => None,
        };
        let run_ratios: Vec<f64> = app
            .iter()
            .zip(plain)
            .map(|(app, plain)| app / plain)
            .collect();
        let is_met = ratio.is_some_and(|ratio| ratio <= RATIO_TARGET);
        targets.push(report::target_json(
            &format!("{title}: app median / plain JavaScript median"),
            format!("≤ {RATIO_TARGET:.1}x"),
            ratio.map_or("–".to_owned(), |ratio| format!("{ratio:.2}x")),
            is_met,
        ));
        steps.push(json!({
            "id": id,
            "title": title,
            "rows": rows,
            "app_ms": report::figure_json(app),
            "plain_ms": report::figure_json(plain),
            "ratio": ratio,
            "run_ratios": report::figure_json(&run_ratios),
        }));
    }
    let mut section = report::section_base(&crate::command_line());
    section["setup"] = json!({
        "users": USER_COUNT,
        "filter_term": FILTER_TERM,
        "runs": runs,
        "warm_up_rounds": WARM_UP_ROUNDS,
    });
    section["steps"] = json!(steps);
    section["targets"] = json!(targets);
    section
}

/// Renders the render section of BENCHMARKS.md from its JSON.
pub fn render(section: &Value) -> String {
    let setup = &section["setup"];
    let mut markdown = String::from("## Rendering: the users table against plain JavaScript\n\n");
    markdown.push_str(&report::measured_line(section));
    markdown.push_str(&format!(
        "One headless Chromium session opened the render-bench page (`crates/render-bench`, \
         a release build like the app's, never part of the app's dist folder). It holds the \
         app's `UserTable` component (`src/components/user_table.rs`, as an account admin sees \
         it, with a status switch per row) and `plain-table.js`, which builds the same markup \
         with DOM calls and one click listener per switch; before timing, the bench checks \
         that both produce the same elements, attributes and text (Leptos adds comment \
         placeholders). Each side shows {} generated users, then only the {FILTER_ROWS} \
         whose name contains `{}`, then empties its table. Each step replaces the whole \
         table, as the users page does, so the filter step removes 1,000 rows and adds 100. After {} untimed rounds, the sides took turns for {} runs, \
         the first side alternating.\n\n\
         | step | app median ms (range) | plain JavaScript median ms (range) | ratio | per-run ratios |\n\
         |---|---|---|---|---|\n",
        crate::backend::with_thousands(setup["users"].as_u64().unwrap_or_default()),
        text(&setup["filter_term"]),
        setup["warm_up_rounds"],
        setup["runs"],
    ));
    for step in section["steps"].as_array().into_iter().flatten() {
        let ratios = match figure_spread(&step["run_ratios"]) {
            Some(spread) => format!("{:.2}–{:.2}", spread.min, spread.max),
            None => "–".to_owned(),
        };
        let ratio = step["ratio"]
            .as_f64()
            .map_or("–".to_owned(), |ratio| format!("{ratio:.2}x"));
        markdown.push_str(&format!(
            "| {} | {} | {} | {ratio} | {ratios} |\n",
            text(&step["title"]),
            report::milliseconds(&step["app_ms"]),
            report::milliseconds(&step["plain_ms"]),
        ));
    }
    markdown.push('\n');
    markdown.push_str(&report::targets_table(section));
    markdown.push_str(
        "\nA step's time runs from the call in the page to the end of the style and layout \
         of the new table, which reading its size forces: the DOM work, the framework's and \
         the browser's. Painting is left out, because it is the same for the same markup and \
         waiting for a frame would round every figure to the display's frame interval. \
         Garbage is collected (`gc()`) before each step. The app's side includes its \
         reactive update, which Leptos runs on the next turn of its executor.\n",
    );
    markdown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_is_app_median_over_plain_median() {
        let timings = Timings {
            values: [
                [vec![30.0, 20.0, 40.0], vec![6.0, 4.0, 5.0]],
                [vec![10.0, 20.0, 30.0], vec![5.0, 5.0, 5.0]],
            ],
        };
        let section = section_json(&timings, 3);
        assert_eq!(
            section["steps"][0]["ratio"], 1.5,
            "median 30 over median 20"
        );
        assert_eq!(section["targets"][0]["met"], true, "1.5x meets the target");
        assert_eq!(section["steps"][1]["ratio"], 1.0, "median 5 over median 5");
        assert_eq!(
            section["steps"][0]["run_ratios"]["max"], 3.0,
            "30 / 10 in run 1"
        );
        let slow = Timings {
            values: [[vec![31.0], vec![1.0]], [vec![20.0], vec![1.0]]],
        };
        let section = section_json(&slow, 1);
        assert_eq!(
            section["targets"][0]["met"], false,
            "1.55x misses the target"
        );
    }
}
