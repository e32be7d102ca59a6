//! Entry point of the browser app: sets up panic output, then mounts the app.
//!
//! Handled errors are logged with `leptos::logging`, which writes to the browser console.
//! It replaces `tracing` here because tracing-wasm added about 17 KB brotli to the release
//! wasm (measured on this app after `wasm-opt -Oz`).

fn main() {
    console::performance_marks::mark(console::performance_marks::WASM_START);
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(console::app::App);
}
