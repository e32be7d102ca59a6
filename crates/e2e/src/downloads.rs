//! Files the page downloads. Headless Chromium drops downloads without a download folder,
//! which the DevTools command `Browser.setDownloadBehavior` sets through ChromeDriver's
//! `goog/cdp/execute` endpoint.

use std::path::{Path, PathBuf};

use fantoccini::Client;
use fantoccini::wd::WebDriverCompatibleCommand;
use hyper::Method;
use url::{ParseError, Url};

use crate::{Result, poll};

#[derive(Debug)]
struct SetDownloadBehavior {
    dir: PathBuf,
}

impl WebDriverCompatibleCommand for SetDownloadBehavior {
    fn endpoint(
        &self,
        base_url: &Url,
        session_id: Option<&str>,
    ) -> std::result::Result<Url, ParseError> {
        let session_id = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session_id}/goog/cdp/execute"))
    }

    fn method_and_body(&self, _request_url: &Url) -> (Method, Option<String>) {
        let body = serde_json::json!({
            "cmd": "Browser.setDownloadBehavior",
            "params": {
                "behavior": "allow",
                "downloadPath": self.dir.to_string_lossy(),
                "eventsEnabled": false,
            }
        });
        (Method::POST, Some(body.to_string()))
    }
}

/// Makes the browser save downloads into `dir`, which is created empty.
pub async fn save_downloads_in(client: &Client, dir: &Path) -> Result {
    if dir.exists() {
        std::fs::remove_dir_all(dir)
            .map_err(|error| format!("could not empty {}: {error}", dir.display()))?;
    }
    std::fs::create_dir_all(dir)
        .map_err(|error| format!("could not create {}: {error}", dir.display()))?;
    client
        .issue_cmd(SetDownloadBehavior {
            dir: dir.to_owned(),
        })
        .await
        .map_err(|error| format!("could not set the download folder: {error}"))?;
    Ok(())
}

/// Waits until `dir` contains one finished file whose name ends with `suffix`, and returns its
/// path. Chromium writes a download as `*.crdownload` and renames it when it is complete.
pub async fn wait_for_download(dir: &Path, suffix: &str) -> Result<PathBuf> {
    poll(
        &format!("a downloaded *{suffix} file in {}", dir.display()),
        || async {
            let entries = std::fs::read_dir(dir)
                .map_err(|error| format!("can't read {}: {error}", dir.display()))?;
            let names: Vec<PathBuf> = entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .collect();
            let finished: Vec<&PathBuf> = names
                .iter()
                .filter(|path| path.to_string_lossy().ends_with(suffix))
                .collect();
            match finished.as_slice() {
                [path] => Ok((*path).clone()),
                [] => Err(format!("the folder contains {names:?}")),
                _ => Err(format!("the folder contains more than one: {names:?}")),
            }
        },
    )
    .await
}
