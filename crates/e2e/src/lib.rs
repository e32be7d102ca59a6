//! A small layer over fantoccini for driving the built console in headless Chromium: start a
//! session, find elements, wait for what a person would see, and save screenshots.

use std::path::Path;
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// How long a wait for something on the page lasts before it fails.
const WAIT: Duration = Duration::from_secs(15);

/// Windows narrower than this (in CSS pixels) are emulated as a phone screen.
const MIN_DESKTOP_WIDTH: u32 = 600;

/// Chromium flags for running as root on a machine without outside network access.
const CHROME_ARGS: [&str; 9] = [
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

/// A Chromium session and the address of the console it is testing.
pub struct Browser {
    pub client: Client,
    pub base_url: String,
}

impl Browser {
    /// Starts a Chromium session through the ChromeDriver at `webdriver_url`, with a window of
    /// `width` x `height` CSS pixels and the given extra Chromium flags.
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
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(webdriver_url)
            .await?;
        Ok(Browser {
            client,
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }

    /// Opens `path` of the console, e.g. `/users`.
    pub async fn open(&self, path: &str) -> Result {
        self.client
            .goto(&format!("{}{path}", self.base_url))
            .await?;
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

    /// Waits until the page's visible text contains `text`.
    pub async fn wait_for_text(&self, text: &str) -> Result {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let body = self.client.find(Locator::Css("body")).await?.text().await?;
            if body.contains(text) {
                return Ok(());
            }
            if tokio::time::Instant::now() > deadline {
                return Err(format!("the page does not show {text:?} after {WAIT:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a PNG of the visible part of the page.
    pub async fn screenshot(&self, path: &Path) -> Result {
        let png = self.client.screenshot().await?;
        std::fs::write(path, png).map_err(|e| format!("could not write {path:?}: {e}"))?;
        println!("screenshot: {}", path.display());
        Ok(())
    }

    pub async fn close(self) -> Result {
        self.client.close().await?;
        Ok(())
    }
}
