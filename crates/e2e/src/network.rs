//! Taking the browser offline and back through ChromeDriver's network emulation
//! (`POST /session/{id}/chromium/network_conditions`), which the W3C commands don't cover.
//! Chromium then fails every request and reports `navigator.onLine` as false.

use fantoccini::Client;
use fantoccini::wd::WebDriverCompatibleCommand;
use hyper::Method;
use url::{ParseError, Url};

use crate::Result;

#[derive(Debug)]
struct SetNetworkConditions {
    is_offline: bool,
}

impl WebDriverCompatibleCommand for SetNetworkConditions {
    fn endpoint(
        &self,
        base_url: &Url,
        session_id: Option<&str>,
    ) -> std::result::Result<Url, ParseError> {
        let session_id = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session_id}/chromium/network_conditions"))
    }

    fn method_and_body(&self, _request_url: &Url) -> (Method, Option<String>) {
        // A throughput of -1 means no throttling.
        let body = serde_json::json!({
            "network_conditions": {
                "offline": self.is_offline,
                "latency": 0,
                "download_throughput": -1,
                "upload_throughput": -1,
            }
        });
        (Method::POST, Some(body.to_string()))
    }
}

/// Takes the browser offline (`is_offline`) or back online.
pub async fn set_offline(client: &Client, is_offline: bool) -> Result {
    client
        .issue_cmd(SetNetworkConditions { is_offline })
        .await
        .map_err(|error| format!("could not set the network offline={is_offline}: {error}"))?;
    Ok(())
}
