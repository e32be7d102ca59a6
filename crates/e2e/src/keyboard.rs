//! Keyboard-only use of the console: pressing keys in the focused element through WebDriver
//! key actions, moving focus with Tab and Shift+Tab, and checking that every element reached
//! that way shows a visible focus indicator.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::{Element, ElementRef};
use fantoccini::wd::WebDriverCompatibleCommand;
use hyper::Method;
use url::{ParseError, Url};

pub use fantoccini::key::Key;

use crate::{Browser, Result};

/// Minimum contrast between a focus outline and the background around it, as WCAG 2.2
/// success criterion 1.4.11 (non-text contrast) requires of the parts that show a state.
const MIN_OUTLINE_CONTRAST: f64 = 3.0;

/// Reads the focused element and where an element matching `arguments[0]` (if given) lies
/// relative to it, in one round trip. The focus indicator counts as visible when the element
/// matches `:focus-visible`, has a size and lies in the viewport. It also needs a box shadow,
/// or an outline of non-zero width that contrasts with the background behind it by at least
/// `arguments[1]` to 1. That background is the first opaque one among the element's
/// ancestors, because the outline is drawn outside the element.
const FOCUS_SCRIPT: &str = r##"
const [css, minContrast] = arguments;
const focused = document.activeElement;
const target = css ? document.querySelector(css) : null;
const isBody = !focused || focused === document.body || focused === document.documentElement;
let isTargetAfter = true;
if (target && !isBody && target !== focused) {
  isTargetAfter = Boolean(focused.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING);
}
if (isBody) {
  return { matches: false, description: "the page body", problem: "nothing has focus",
           isTargetAfter, top: 0, left: 0 };
}

const text = (focused.getAttribute("aria-label") || focused.innerText || focused.value || "").trim();
let description = focused.tagName.toLowerCase();
if (focused.id) { description += "#" + focused.id; }
if (focused.getAttribute("type")) { description += "[type=" + focused.getAttribute("type") + "]"; }
if (text) { description += " " + JSON.stringify(text.slice(0, 50)); }

// Computed colours read "rgb(r, g, b)" or "rgba(r, g, b, a)".
const parseColor = (color) => {
  const match = /rgba?\(([^)]*)\)/.exec(color);
  if (!match) { return null; }
  const [r, g, b, a = 1] = match[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
  return { r, g, b, a };
};
const luminance = ({ r, g, b }) => {
  const linear = (channel) => {
    const value = channel / 255;
    return value <= 0.03928 ? value / 12.92 : Math.pow((value + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
};
const contrast = (first, second) => {
  const [light, dark] = [luminance(first), luminance(second)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
};
let background = { r: 255, g: 255, b: 255, a: 1 };
for (let node = focused.parentElement; node; node = node.parentElement) {
  const color = parseColor(getComputedStyle(node).backgroundColor);
  if (color && color.a === 1) { background = color; break; }
}

const style = getComputedStyle(focused);
const rect = focused.getBoundingClientRect();
const outlineColor = parseColor(style.outlineColor);
const hasOutline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
  && outlineColor !== null && outlineColor.a > 0;
const hasShadow = style.boxShadow !== "none";
const outlineContrast = hasOutline ? contrast(outlineColor, background) : 0;
let problem = null;
if (!focused.matches(":focus-visible")) {
  problem = "it does not match :focus-visible";
} else if (!hasOutline && !hasShadow) {
  problem = "it has neither an outline (" + style.outlineStyle + " " + style.outlineWidth + " "
    + style.outlineColor + ") nor a box shadow";
} else if (!hasShadow && outlineContrast < minContrast) {
  problem = "its outline colour " + style.outlineColor + " has a contrast of "
    + outlineContrast.toFixed(2) + " to 1 against the background behind it, rgb("
    + [background.r, background.g, background.b].join(", ") + "), below " + minContrast + " to 1";
} else if (rect.width === 0 || rect.height === 0) {
  problem = "it has no size";
} else if (rect.bottom < 0 || rect.top > window.innerHeight || rect.right < 0 || rect.left > window.innerWidth) {
  problem = "it lies outside the viewport";
}
return { matches: target === focused || (css ? focused.matches(css) : false),
         description, problem, isTargetAfter,
         top: rect.top + window.scrollY, left: rect.left + window.scrollX };
"##;

/// The focused element as the keyboard user sees it.
#[derive(Clone, Debug)]
pub struct Focus {
    /// Whether the focused element matches the selector that was asked about.
    pub matches: bool,
    /// Tag, id, type and text of the focused element, for messages.
    pub description: String,
    /// Why the focus indicator is not visible, or `None` when it is.
    pub problem: Option<String>,
    /// Whether the asked-about element comes after the focused one in the document, so Tab
    /// (not Shift+Tab) moves towards it. True when nothing has focus.
    pub is_target_after: bool,
    /// Position of the focused element's top-left corner in the page, in CSS pixels.
    pub top: f64,
    pub left: f64,
}

/// One stop of a walk with Tab: the accessible name of the focused element and where it is.
#[derive(Clone, Debug)]
pub struct TabStop {
    pub name: String,
    pub description: String,
    pub top: f64,
    pub left: f64,
}

/// ChromeDriver's `GET /session/{id}/element/{element id}/computedlabel`, which returns the
/// element's accessible name as the browser computes it for assistive technology.
#[derive(Debug)]
struct ComputedLabel(ElementRef);

impl WebDriverCompatibleCommand for ComputedLabel {
    fn endpoint(
        &self,
        base_url: &Url,
        session_id: Option<&str>,
    ) -> std::result::Result<Url, ParseError> {
        let session_id = session_id.unwrap_or_default();
        base_url.join(&format!(
            "session/{session_id}/element/{}/computedlabel",
            self.0
        ))
    }

    fn method_and_body(&self, _request_url: &Url) -> (Method, Option<String>) {
        (Method::GET, None)
    }
}

impl Browser {
    /// Presses and releases `key` in the focused element.
    pub async fn press(&self, key: Key) -> Result {
        let key = char::from(key);
        let actions = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    /// Presses `key` while holding `modifier`, such as Shift+Tab or Control+A.
    pub async fn press_with(&self, modifier: Key, key: Key) -> Result {
        self.press_char_with(modifier, char::from(key)).await
    }

    async fn press_char_with(&self, modifier: Key, key: char) -> Result {
        let modifier = char::from(modifier);
        let actions = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: modifier })
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key })
            .then(KeyAction::Up { value: modifier });
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    /// Types `text` into the focused element, one key press per character.
    pub async fn type_text(&self, text: &str) -> Result {
        let mut actions = KeyActions::new("keyboard".to_owned());
        for character in text.chars() {
            actions = actions
                .then(KeyAction::Down { value: character })
                .then(KeyAction::Up { value: character });
        }
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    /// Selects the whole text of the focused field with Control+A and deletes it.
    pub async fn clear_focused_field(&self) -> Result {
        self.press_char_with(Key::Control, 'a').await?;
        self.press(Key::Backspace).await
    }

    /// Returns the focused element, and whether it matches `css` (empty: matches nothing).
    pub async fn focus(&self, css: &str) -> Result<Focus> {
        let answer = self
            .client
            .execute(
                FOCUS_SCRIPT,
                vec![
                    serde_json::json!(css),
                    serde_json::json!(MIN_OUTLINE_CONTRAST),
                ],
            )
            .await?;
        let text = |key: &str| answer[key].as_str().map(str::to_owned);
        Ok(Focus {
            matches: answer["matches"].as_bool().unwrap_or(false),
            description: text("description").unwrap_or_default(),
            problem: text("problem"),
            is_target_after: answer["isTargetAfter"].as_bool().unwrap_or(true),
            top: answer["top"].as_f64().unwrap_or_default(),
            left: answer["left"].as_f64().unwrap_or_default(),
        })
    }

    /// Moves focus to the element matching `css` by pressing Tab, or Shift+Tab when the
    /// element comes before the focused one, at most `max_presses` times, and returns the
    /// number of presses. It waits for the element to exist first. Every element focused on
    /// the way must show a visible focus indicator.
    pub async fn tab_to(&self, css: &str, max_presses: u32) -> Result<u32> {
        self.find(css).await?;
        let start = self.focus(css).await?;
        if start.matches {
            check_indicator(&start, "before any key press")?;
            return Ok(0);
        }
        let is_forward = start.is_target_after;
        let key = if is_forward { "Tab" } else { "Shift+Tab" };
        let mut visited = Vec::new();
        for presses in 1..=max_presses {
            self.press_tab(is_forward).await?;
            let focus = self.focus(css).await?;
            let context = format!(
                "after {key} press {presses} from {} towards {css:?}",
                start.description
            );
            check_indicator(&focus, &context)?;
            visited.push(focus.description.clone());
            if focus.matches {
                return Ok(presses);
            }
        }
        Err(format!(
            "focus did not reach {css:?} within {max_presses} presses of {key}, starting from {}. \
             It visited: {}",
            start.description,
            visited.join(", ")
        )
        .into())
    }

    /// Presses Tab (or Shift+Tab when `is_forward` is false) once.
    pub async fn press_tab(&self, is_forward: bool) -> Result {
        if is_forward {
            self.press(Key::Tab).await
        } else {
            self.press_with(Key::Shift, Key::Tab).await
        }
    }

    /// Presses Tab until the element matching `css` has focus, at most `max_presses` times,
    /// and returns every stop on the way, that element included, with its accessible name.
    pub async fn tab_stops_until(&self, css: &str, max_presses: u32) -> Result<Vec<TabStop>> {
        self.find(css).await?;
        let mut stops = Vec::new();
        for presses in 1..=max_presses {
            self.press(Key::Tab).await?;
            let focus = self.focus(css).await?;
            check_indicator(&focus, &format!("after Tab press {presses}"))?;
            stops.push(TabStop {
                name: self.focused_accessible_name().await?,
                description: focus.description,
                top: focus.top,
                left: focus.left,
            });
            if focus.matches {
                return Ok(stops);
            }
        }
        let names: Vec<&str> = stops.iter().map(|stop| stop.name.as_str()).collect();
        Err(format!(
            "focus did not reach {css:?} within {max_presses} presses of Tab. It visited: {names:?}"
        )
        .into())
    }

    /// Returns the accessible name of the focused element, as the browser computes it.
    pub async fn focused_accessible_name(&self) -> Result<String> {
        let element: Element = self.client.active_element().await?;
        self.computed_name(&element).await
    }

    /// Returns the accessible name of the first element matching `css`, as the browser
    /// computes it, waiting for the element to exist first.
    pub async fn accessible_name(&self, css: &str) -> Result<String> {
        let element = self.find(css).await?;
        self.computed_name(&element).await
    }

    async fn computed_name(&self, element: &Element) -> Result<String> {
        let label = self
            .client
            .issue_cmd(ComputedLabel(element.element_id()))
            .await?;
        let name = label
            .as_str()
            .ok_or_else(|| format!("the computed label is not text: {label}"))?;
        Ok(name.trim().to_owned())
    }

    /// Fails unless the focused element matches `css` and shows a visible focus indicator.
    pub async fn expect_visible_focus(&self, css: &str) -> Result {
        let focus = self.focus(css).await?;
        if !focus.matches {
            return Err(format!(
                "expected focus on {css:?}, but it is on {}",
                focus.description
            )
            .into());
        }
        check_indicator(&focus, "now")
    }
}

/// Fails when `focus` names a reason its focus indicator is not visible. `context` names the
/// moment the focus was read, such as "after Tab press 3".
fn check_indicator(focus: &Focus, context: &str) -> Result {
    match &focus.problem {
        None => Ok(()),
        Some(problem) => Err(format!(
            "{context}, focus is on {}, which shows no visible focus indicator because {problem}",
            focus.description
        )
        .into()),
    }
}
