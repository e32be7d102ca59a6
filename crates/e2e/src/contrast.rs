//! Contrast of the non-text parts that axe-core leaves out (WCAG 2.x success criterion 1.4.11):
//! the borders that show where a form control is, and the focus ring. Each must reach 3:1
//! against the colour around it.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;

use crate::{Browser, Result};

/// Defines `ratio(element, color)`: the WCAG contrast ratio between a CSS colour and the first
/// opaque background colour behind `element`, from its parent outwards.
const CONTRAST_HELPERS: &str = "const channels = (color) => {
      const numbers = color.match(/[\\d.]+/g).map(Number);
      return { rgb: numbers.slice(0, 3), alpha: numbers.length > 3 ? numbers[3] : 1 };
    };
    const luminance = (rgb) => {
      const linear = rgb.map((value) => {
        const v = value / 255;
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
      });
      return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
    };
    const surrounding = (element) => {
      for (let node = element.parentElement; node; node = node.parentElement) {
        const background = channels(getComputedStyle(node).backgroundColor);
        if (background.alpha > 0) { return background.rgb; }
      }
      return [255, 255, 255];
    };
    const ratio = (element, color) => {
      const [lighter, darker] = [luminance(channels(color).rgb), luminance(surrounding(element))]
        .sort((a, b) => b - a);
      return (lighter + 0.05) / (darker + 0.05);
    };";

/// Measures the top border of every visible element matching `arguments[0]`.
const BORDER_SCRIPT: &str = "
    return [...document.querySelectorAll(arguments[0])]
      .filter((element) => element.getClientRects().length > 0)
      .map((element) => ({
        name: element.id ? '#' + element.id : element.tagName.toLowerCase(),
        ratio: ratio(element, getComputedStyle(element).borderTopColor),
      }));";

/// Measures the placeholder text of every visible element matching `arguments[0]` against
/// the element's own background, which the placeholder is drawn on.
const PLACEHOLDER_SCRIPT: &str = "
    const own = (element) => {
      const background = channels(getComputedStyle(element).backgroundColor);
      return background.alpha > 0 ? background.rgb : surrounding(element);
    };
    const textRatio = (color, background) => {
      const [lighter, darker] = [luminance(channels(color).rgb), luminance(background)]
        .sort((a, b) => b - a);
      return (lighter + 0.05) / (darker + 0.05);
    };
    return [...document.querySelectorAll(arguments[0])]
      .filter((element) => element.getClientRects().length > 0)
      .map((element) => ({
        name: element.id ? '#' + element.id : element.tagName.toLowerCase(),
        ratio: textRatio(getComputedStyle(element, '::placeholder').color, own(element)),
      }));";

/// Focuses the element matching `arguments[0]` and measures its outline.
const FOCUS_SCRIPT: &str = "
    const element = document.querySelector(arguments[0]);
    if (!element) { return null; }
    element.focus();
    const style = getComputedStyle(element);
    return {
      isFocusVisible: element.matches(':focus-visible'),
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth),
      ratio: ratio(element, style.outlineColor),
    };";

/// The contrast of one element's border or outline against its surroundings.
#[derive(Debug)]
pub struct Contrast {
    /// `#id` of the element, or its tag name.
    pub name: String,
    pub ratio: f64,
}

/// The focus ring of one element, measured while it has focus.
#[derive(Debug)]
pub struct FocusRing {
    /// Whether the element matches `:focus-visible`, so the browser draws the ring.
    pub is_visible: bool,
    /// CSS `outline-style`, such as `solid` or `none`.
    pub style: String,
    /// Outline width in CSS pixels.
    pub width: f64,
    /// Contrast of the outline colour against the background around the element.
    pub ratio: f64,
}

impl Browser {
    /// Returns the border contrast of each visible element matching `css`.
    pub async fn border_contrasts(&self, css: &str) -> Result<Vec<Contrast>> {
        let script = format!("{CONTRAST_HELPERS}{BORDER_SCRIPT}");
        let measured = self
            .client
            .execute(&script, vec![serde_json::json!(css)])
            .await?;
        let elements = measured.as_array().map(Vec::as_slice).unwrap_or(&[]);
        Ok(elements
            .iter()
            .map(|element| Contrast {
                name: element["name"].as_str().unwrap_or_default().to_owned(),
                ratio: element["ratio"].as_f64().unwrap_or(0.0),
            })
            .collect())
    }

    /// Returns the contrast of the placeholder text of each visible input matching `css`
    /// against the input's background. axe-core 4.14 leaves placeholders out of its text
    /// contrast rule.
    pub async fn placeholder_contrasts(&self, css: &str) -> Result<Vec<Contrast>> {
        let script = format!("{CONTRAST_HELPERS}{PLACEHOLDER_SCRIPT}");
        let measured = self
            .client
            .execute(&script, vec![serde_json::json!(css)])
            .await?;
        let elements = measured.as_array().map(Vec::as_slice).unwrap_or(&[]);
        Ok(elements
            .iter()
            .map(|element| Contrast {
                name: element["name"].as_str().unwrap_or_default().to_owned(),
                ratio: element["ratio"].as_f64().unwrap_or(0.0),
            })
            .collect())
    }

    /// Moves focus to the element matching `css` and measures its focus ring.
    ///
    /// A Tab key press comes first. After a mouse click, Chromium (156, as observed here) draws
    /// no ring for focus that a script moves, while after a key press it draws one, as it does
    /// for keyboard users.
    pub async fn focus_ring(&self, css: &str) -> Result<FocusRing> {
        let tab = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down {
                value: Key::Tab.into(),
            })
            .then(KeyAction::Up {
                value: Key::Tab.into(),
            });
        self.client.perform_actions(tab).await?;
        let script = format!("{CONTRAST_HELPERS}{FOCUS_SCRIPT}");
        let measured = self
            .client
            .execute(&script, vec![serde_json::json!(css)])
            .await?;
        if measured.is_null() {
            return Err(format!("no element matches {css:?}").into());
        }
        Ok(FocusRing {
            is_visible: measured["isFocusVisible"].as_bool().unwrap_or(false),
            style: measured["outlineStyle"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            width: measured["outlineWidth"].as_f64().unwrap_or(0.0),
            ratio: measured["ratio"].as_f64().unwrap_or(0.0),
        })
    }
}
