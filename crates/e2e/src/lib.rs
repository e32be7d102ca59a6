//! A small layer over fantoccini for driving the built console in headless Chromium: start a
//! session, find elements, wait for what a person would see, and save screenshots and the
//! browser console log. `keyboard` and `input` add keyboard-only use.

pub mod api;
pub mod axe;
mod console_log;
pub mod contrast;
pub mod downloads;
pub mod http;
pub mod input;
pub mod keyboard;
pub mod layout;
pub mod lighthouse;
pub mod network;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// How long a wait for something on the page lasts before it fails.
const WAIT: Duration = Duration::from_secs(15);
const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// Windows narrower than this (in CSS pixels) are emulated as a phone screen.
const MIN_DESKTOP_WIDTH: u32 = 600;

/// Chromium flags for running as root on a machine without outside network access.
pub const CHROME_ARGS: [&str; 9] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
];

/// Description of what a poll found while the awaited state is not there yet, such as
/// `it shows "Loading…"`.
pub type Pending = String;

/// A Chromium session and the address of the console it is testing.
pub struct Browser {
    pub client: Client,
    pub base_url: String,
}

impl Browser {
    /// Starts a Chromium session through the ChromeDriver at `webdriver_url`, with a window of
    /// `width` x `height` CSS pixels and the given extra Chromium flags. Chromium keeps every
    /// console message, which [`Browser::console_log`] returns.
    pub async fn start(
        webdriver_url: &str,
        base_url: &str,
        (width, height): (u32, u32),
        extra_args: &[&str],
    ) -> Result<Browser> {
        let mut args: Vec<String> = CHROME_ARGS.iter().map(|arg| arg.to_string()).collect();
        args.push(format!("--window-size={width},{height}"));
        args.extend(extra_args.iter().map(|arg| arg.to_string()));
        let mut options = serde_json::json!({ "args": args });
        if width < MIN_DESKTOP_WIDTH {
            // Desktop Chromium windows have a minimum width, so narrow screens are emulated.
            options["mobileEmulation"] = serde_json::json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 1 }
            });
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".to_owned(), options);
        capabilities.insert(
            "goog:loggingPrefs".to_owned(),
            serde_json::json!({ "browser": "ALL" }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(webdriver_url)
            .await
            .map_err(|error| {
                format!("could not start Chromium through ChromeDriver at {webdriver_url}: {error}")
            })?;
        Ok(Browser {
            client,
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }

    /// Opens `path` of the console, e.g. `/users`.
    pub async fn open(&self, path: &str) -> Result {
        self.open_url(&format!("{}{path}", self.base_url)).await
    }

    /// Opens an absolute URL, such as a link from an email.
    pub async fn open_url(&self, url: &str) -> Result {
        self.client
            .goto(url)
            .await
            .map_err(|error| format!("could not open {url}: {error}"))?;
        Ok(())
    }

    /// Waits until an element matching the CSS selector exists and returns it.
    pub async fn find(&self, css: &str) -> Result<Element> {
        let element = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .map_err(|error| format!("no element matches {css:?} after {WAIT:?}: {error}"))?;
        Ok(element)
    }

    /// Returns whether an element matching the CSS selector exists now, without waiting.
    pub async fn exists(&self, css: &str) -> Result<bool> {
        Ok(!self.client.find_all(Locator::Css(css)).await?.is_empty())
    }

    /// Replaces the text of the input matching `css` with `text`, as typed by a person.
    pub async fn fill(&self, css: &str, text: &str) -> Result {
        let input = self.find(css).await?;
        input.clear().await?;
        input.send_keys(text).await?;
        Ok(())
    }

    pub async fn click(&self, css: &str) -> Result {
        self.find(css).await?.click().await?;
        Ok(())
    }

    /// Ticks or unticks the checkbox matching `css` by clicking it when its state differs.
    pub async fn set_checked(&self, css: &str, is_checked: bool) -> Result {
        let checkbox = self.find(css).await?;
        if checkbox.is_selected().await? != is_checked {
            checkbox.click().await?;
        }
        Ok(())
    }

    /// Selects account `account_id` in the account picker of the open user form with the
    /// pointer, then closes its popup with Escape so that it covers nothing below it.
    pub async fn pick_account(&self, account_id: i64) -> Result {
        let option = format!("#account-option-{account_id}");
        self.click("#field-account_ids").await?;
        self.click(&option).await?;
        self.find(&format!("{option}[aria-selected=\"true\"]"))
            .await?;
        self.press(keyboard::Key::Escape).await
    }

    /// Returns the `value` of the input matching `css`, as shown in the field.
    pub async fn value(&self, css: &str) -> Result<String> {
        let input = self.find(css).await?;
        Ok(input.prop("value").await?.unwrap_or_default())
    }

    /// Waits until the page's visible text contains `text`.
    pub async fn wait_for_text(&self, text: &str) -> Result {
        self.wait_for_element_text("body", text).await?;
        Ok(())
    }

    /// Waits until the element matching `css` exists and its visible text contains `text`,
    /// and returns its whole text.
    pub async fn wait_for_element_text(&self, css: &str, text: &str) -> Result<String> {
        let expectation = format!("the element {css:?} shows {text:?}");
        poll(&expectation, || async move {
            let current = self.text_now(css).await?;
            if current.contains(text) {
                Ok(current)
            } else {
                Err(format!("it shows {current:?}"))
            }
        })
        .await
    }

    /// Waits until no element matches `css`, as when a dialog closes.
    pub async fn wait_for_absence(&self, css: &str) -> Result {
        let expectation = format!("no element matches {css:?}");
        poll(&expectation, || async move {
            match self.client.find_all(Locator::Css(css)).await {
                Ok(found) if found.is_empty() => Ok(()),
                Ok(found) => Err(format!("{} still match", found.len())),
                Err(error) => Err(error.to_string()),
            }
        })
        .await
    }

    /// Waits until the address bar shows `path` (with its query string, if any) on the
    /// console's origin.
    pub async fn wait_for_path(&self, path: &str) -> Result {
        let expected = format!("{}{path}", self.base_url);
        let expectation = format!("the address is {expected}");
        poll(&expectation, || {
            let expected = expected.clone();
            async move {
                let url = self
                    .client
                    .current_url()
                    .await
                    .map_err(|error| error.to_string())?;
                if url.as_str() == expected {
                    Ok(())
                } else {
                    Err(format!("it is {url}"))
                }
            }
        })
        .await
    }

    /// Waits until the focused element (`document.activeElement`) matches `css`.
    pub async fn wait_for_focus(&self, css: &str) -> Result {
        const SCRIPT: &str = "const focused = document.activeElement; \
            if (!focused) { return [false, 'nothing']; } \
            return [focused.matches(arguments[0]), focused.outerHTML.slice(0, 160)];";
        let expectation = format!("focus is on {css:?}");
        poll(&expectation, || async move {
            let answer = self
                .client
                .execute(SCRIPT, vec![serde_json::json!(css)])
                .await
                .map_err(|error| error.to_string())?;
            if answer[0] == serde_json::Value::Bool(true) {
                Ok(())
            } else {
                Err(format!("focus is on {}", answer[1]))
            }
        })
        .await
    }

    /// Returns the visible text of the element matching `css`, or the reason it can't.
    async fn text_now(&self, css: &str) -> std::result::Result<String, Pending> {
        let element = self
            .client
            .find(Locator::Css(css))
            .await
            .map_err(|_| "no element matches yet".to_owned())?;
        element.text().await.map_err(|error| error.to_string())
    }

    /// Saves a PNG of the visible part of the page.
    pub async fn screenshot(&self, path: &Path) -> Result {
        let png = self.client.screenshot().await?;
        std::fs::write(path, png).map_err(|e| format!("could not write {path:?}: {e}"))?;
        println!("screenshot: {}", path.display());
        Ok(())
    }

    /// Returns the browser console messages logged since the last call, one a line.
    pub async fn console_log(&self) -> Result<String> {
        console_log::take(&self.client).await
    }

    /// Saves a screenshot to `<dir>/<stem>.png` and the page address and console log to
    /// `<dir>/<stem>.log`, and returns the paths of the files. A file that could not be saved
    /// is listed with its error instead, so one failure doesn't hide the other file.
    pub async fn save_artifacts(&self, dir: &Path, stem: &str) -> Vec<String> {
        let png = dir.join(format!("{stem}.png"));
        let log = dir.join(format!("{stem}.log"));
        let mut saved = Vec::new();
        match self.screenshot(&png).await {
            Ok(()) => saved.push(png.display().to_string()),
            Err(error) => saved.push(format!("(saving {} failed: {error})", png.display())),
        }
        let url = match self.client.current_url().await {
            Ok(url) => url.to_string(),
            Err(error) => format!("unknown ({error})"),
        };
        let text = match self.console_log().await {
            Ok(lines) => format!("page: {url}\n{lines}"),
            Err(error) => format!("page: {url}\ncould not read the console log: {error}\n"),
        };
        match std::fs::write(&log, text) {
            Ok(()) => saved.push(log.display().to_string()),
            Err(error) => saved.push(format!("(saving {} failed: {error})", log.display())),
        }
        saved
    }

    pub async fn close(self) -> Result {
        self.client.close().await?;
        Ok(())
    }
}

/// Calls `probe` until it returns `Ok`, and fails after [`WAIT`] with `expectation` and the
/// last state the probe described.
pub async fn poll<T, F, Fut>(expectation: &str, mut probe: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = std::result::Result<T, Pending>>,
{
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        match probe().await {
            Ok(value) => return Ok(value),
            Err(state) if tokio::time::Instant::now() > deadline => {
                return Err(format!("expected {expectation}, but after {WAIT:?} {state}").into());
            }
            Err(_) => tokio::time::sleep(POLL_INTERVAL).await,
        }
    }
}

/// Returns the folder for screenshots and logs of failed runs: `e2e-artifacts` in Cargo's
/// target folder (CARGO_TARGET_DIR, or `target` in the workspace).
pub fn artifact_dir() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest_dir.ancestors().nth(2).unwrap_or(manifest_dir);
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace.join(dir),
        None => workspace.join("target"),
    };
    target.join("e2e-artifacts")
}
