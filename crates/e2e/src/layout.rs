//! Measurements of the rendered page for the layout checks: horizontal overflow, media
//! features such as the colour scheme, running transitions and animations, and how the users
//! table is laid out.

use crate::{Browser, Result};

/// Reports the document's scroll and client widths, and up to five elements whose right edge
/// lies beyond the client width, which are the likely cause of an overflow.
const OVERFLOW_SCRIPT: &str = "const root = document.documentElement;
    const width = root.clientWidth;
    const describe = (element) => element.tagName.toLowerCase()
      + (element.id ? '#' + element.id : '')
      + (typeof element.className === 'string' && element.className.trim()
          ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
    const wide = [...document.body.querySelectorAll('*')]
      .filter((element) => element.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5)
      .map((element) => describe(element)
        + ' (right edge at ' + Math.round(element.getBoundingClientRect().right) + ' px)');
    return { scrollWidth: root.scrollWidth, clientWidth: width, wide: wide };";

/// Lists the elements and pseudo-elements whose transition or running animation lasts longer
/// than 10 ms, with the duration.
const MOTION_SCRIPT: &str = "const seconds = (list) => Math.max(...list.split(',').map((value) =>
      parseFloat(value) * (value.trim().endsWith('ms') ? 0.001 : 1)));
    const moving = [];
    for (const element of document.querySelectorAll('*')) {
      for (const pseudo of [null, '::before', '::after']) {
        const style = getComputedStyle(element, pseudo);
        const transition = seconds(style.transitionDuration);
        const animation = style.animationName === 'none' ? 0 : seconds(style.animationDuration);
        if (transition > 0.01 || animation > 0.01) {
          const name = element.tagName.toLowerCase()
            + (typeof element.className === 'string' && element.className.trim()
                ? '.' + element.className.trim().split(/\\s+/).join('.') : '')
            + (pseudo || '');
          moving.push(name + ' (transition ' + style.transitionDuration
            + ', animation ' + style.animationDuration + ')');
        }
      }
    }
    return moving;";

/// Reads each users table row's CSS `display`, right edge, and the generated label text of
/// its cells, plus the rendered height of the tallest column header and the right edge of
/// the region that contains the table. The header of the selection checkboxes is left out,
/// because it stays visible in the card layout.
const TABLE_SCRIPT: &str = "const heads = [...document.querySelectorAll(
      '.user-table thead th:not(.select-cell)')];
    const results = document.querySelector('.results');
    const rows = [...document.querySelectorAll('tr.user-row')].map((row) => ({
      display: getComputedStyle(row).display,
      right: row.getBoundingClientRect().right,
      labels: [...row.cells].map((cell) => getComputedStyle(cell, '::before').content),
      dataLabels: [...row.cells].map((cell) => cell.dataset.label || ''),
    }));
    return {
      headHeight: heads.length
        ? Math.max(...heads.map((head) => head.getBoundingClientRect().height)) : -1,
      clientWidth: document.documentElement.clientWidth,
      resultsRight: results ? results.getBoundingClientRect().right : -1,
      rows: rows,
    };";

/// Returns the left edge of every element matching `arguments[0]`, in document order.
const LEFT_EDGES_SCRIPT: &str = "return [...document.querySelectorAll(arguments[0])]
      .map((element) => element.getBoundingClientRect().left);";

/// The document's widths, and the elements sticking out when it is wider than the window.
#[derive(Debug)]
pub struct Overflow {
    pub scroll_width: i64,
    pub client_width: i64,
    pub wide_elements: Vec<String>,
}

impl Overflow {
    /// Returns whether the page scrolls horizontally.
    pub fn scrolls(&self) -> bool {
        self.scroll_width > self.client_width
    }
}

/// How the users table is drawn at the current width.
#[derive(Debug)]
pub struct TableLayout {
    /// Rendered height of the tallest column header in CSS pixels, without the selection
    /// checkboxes' header; about 1 when visually hidden.
    pub head_height: f64,
    pub client_width: f64,
    /// Right edge of the region around the table, inside the page's panel, in CSS pixels.
    pub results_right: f64,
    pub rows: Vec<RowLayout>,
}

#[derive(Debug)]
pub struct RowLayout {
    /// CSS `display` of the `<tr>`: `table-row` in a table, `block` as a card.
    pub display: String,
    /// Right edge of the row in CSS pixels from the window's left edge.
    pub right: f64,
    /// The `::before` content of each cell as CSS gives it, such as `"\"Email\""` or `none`.
    pub labels: Vec<String>,
    /// The `data-label` attribute of each cell.
    pub data_labels: Vec<String>,
}

impl Browser {
    /// Measures whether the page is wider than the window.
    pub async fn overflow(&self) -> Result<Overflow> {
        let measured = self.client.execute(OVERFLOW_SCRIPT, vec![]).await?;
        Ok(Overflow {
            scroll_width: measured["scrollWidth"].as_i64().unwrap_or(-1),
            client_width: measured["clientWidth"].as_i64().unwrap_or(-1),
            wide_elements: string_list(&measured["wide"]),
        })
    }

    /// Returns whether the CSS media query, such as `(prefers-color-scheme: dark)`, matches.
    pub async fn media_matches(&self, query: &str) -> Result<bool> {
        let script = "return window.matchMedia(arguments[0]).matches;";
        let matches = self
            .client
            .execute(script, vec![serde_json::json!(query)])
            .await?;
        matches
            .as_bool()
            .ok_or_else(|| format!("matchMedia({query:?}) returned {matches}").into())
    }

    /// Lists the elements whose transition or animation lasts longer than 10 ms.
    pub async fn moving_elements(&self) -> Result<Vec<String>> {
        let moving = self.client.execute(MOTION_SCRIPT, vec![]).await?;
        if !moving.is_array() {
            return Err(format!("the motion script returned {moving}").into());
        }
        Ok(string_list(&moving))
    }

    /// Measures the users table of the list page.
    pub async fn table_layout(&self) -> Result<TableLayout> {
        let measured = self.client.execute(TABLE_SCRIPT, vec![]).await?;
        let rows = measured["rows"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        Ok(TableLayout {
            head_height: measured["headHeight"].as_f64().unwrap_or(-1.0),
            client_width: measured["clientWidth"].as_f64().unwrap_or(-1.0),
            results_right: measured["resultsRight"].as_f64().unwrap_or(-1.0),
            rows: rows
                .iter()
                .map(|row| RowLayout {
                    display: row["display"].as_str().unwrap_or_default().to_owned(),
                    right: row["right"].as_f64().unwrap_or(f64::MAX),
                    labels: string_list(&row["labels"]),
                    data_labels: string_list(&row["dataLabels"]),
                })
                .collect(),
        })
    }
}

impl Browser {
    /// Returns the left edge, in CSS pixels from the window's left edge, of every element
    /// matching `css`, in document order.
    pub async fn left_edges(&self, css: &str) -> Result<Vec<f64>> {
        let measured = self
            .client
            .execute(LEFT_EDGES_SCRIPT, vec![serde_json::json!(css)])
            .await?;
        let edges = measured.as_array().map(Vec::as_slice).unwrap_or(&[]);
        Ok(edges.iter().filter_map(serde_json::Value::as_f64).collect())
    }
}

/// Returns the strings of a JSON array, or none when `value` is not an array.
fn string_list(value: &serde_json::Value) -> Vec<String> {
    let items = value.as_array().map(Vec::as_slice).unwrap_or(&[]);
    items
        .iter()
        .filter_map(|item| item.as_str().map(str::to_owned))
        .collect()
}
