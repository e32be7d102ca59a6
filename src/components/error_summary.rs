//! The list of a form's errors shown above it, each a link that moves focus to its field.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// One entry of the summary: the id of the element to focus and the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryEntry {
    pub target_id: String,
    pub message: String,
}

/// Lists `entries`; hidden while there are none. Focus `node_ref` after a failed submit so
/// that screen readers read the list.
#[component]
pub fn ErrorSummary(
    #[prop(into)] entries: Signal<Vec<SummaryEntry>>,
    node_ref: NodeRef<Div>,
) -> impl IntoView {
    let is_empty = move || entries.with(Vec::is_empty);

    // A group may carry a name, unlike a plain `div`. Screen readers read a focused element's
    // name, role and description, so the title names the group and the list describes it:
    // focus alone reads every error. The links stay reachable by reading on. An alert would
    // announce the list a second time as it appears, just before focus reads it.
    view! {
        <div
            class="error-summary"
            node_ref=node_ref
            role="group"
            tabindex="-1"
            aria-labelledby="error-summary-title"
            aria-describedby="error-summary-list"
            hidden=is_empty
        >
            <h2 class="error-summary-title" id="error-summary-title">
                "There is a problem"
            </h2>
            <ul class="error-summary-list" id="error-summary-list">
                {move || entries.get().into_iter().map(summary_item).collect_view()}
            </ul>
        </div>
    }
}

fn summary_item(entry: SummaryEntry) -> impl IntoView {
    let href = format!("#{}", entry.target_id);
    let target_id = entry.target_id;
    view! {
        <li>
            <a
                href=href
                on:click=move |ev| {
                    ev.prevent_default();
                    focus_element(&target_id);
                }
            >
                {entry.message}
            </a>
        </li>
    }
}

/// Moves focus to the element with `id`, logging when there is none.
pub fn focus_element(id: &str) {
    let element = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match element {
        Some(element) => {
            if let Err(error) = element.focus() {
                leptos::logging::warn!("could not focus #{id}: {error:?}");
            }
        }
        None => leptos::logging::warn!("no focusable element has the id {id}"),
    }
}
