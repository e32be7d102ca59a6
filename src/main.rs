//! Entry point of the browser app: sets up panic output, loads `config.json`, then mounts the
//! app, or an error page when the settings can't be loaded.
//!
//! Handled errors are logged with `leptos::logging`, which writes to the browser console.
//! It replaces `tracing` here because tracing-wasm added about 17 KB brotli to the release
//! wasm (measured on this app after `wasm-opt -Oz`).

use console::runtime_config::{self, ConfigErrorPage};
use leptos::prelude::*;

fn main() {
    console::performance_marks::mark(console::performance_marks::WASM_START);
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        match runtime_config::load().await {
            Ok(config) => {
                runtime_config::install(config);
                leptos::mount::mount_to_body(console::app::App);
            }
            Err(error) => {
                leptos::logging::error!(
                    "could not load the settings from {}: {}",
                    error.url,
                    error.reason
                );
                leptos::mount::mount_to_body(move || view! { <ConfigErrorPage error /> });
            }
        }
    });
}
