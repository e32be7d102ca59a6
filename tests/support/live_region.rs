//! Watching live regions enter the page. Screen readers announce a change to a live region
//! that is already in the page, but may skip a region that arrives together with its text,
//! so a test records the text each region had when it was inserted.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, MutationObserver, MutationObserverInit, MutationRecord};

/// Records the text of every element matching a selector at the moment it enters the page,
/// until dropped.
pub struct RegionInsertions {
    observer: MutationObserver,
    /// Kept alive for as long as the observer may call it.
    _callback: Closure<dyn FnMut(js_sys::Array)>,
    texts: Rc<RefCell<Vec<String>>>,
}

impl RegionInsertions {
    /// Starts recording insertions of elements matching `selector` anywhere in the body. The
    /// observer runs right after the task that inserted them, before later timers and
    /// responses can change their text.
    pub fn watch(selector: &str) -> RegionInsertions {
        let texts = Rc::new(RefCell::new(Vec::new()));
        let recorded = Rc::clone(&texts);
        let selector = selector.to_owned();
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |records: js_sys::Array| {
            for record in records.iter() {
                let record: MutationRecord = record.unchecked_into();
                let added = record.added_nodes();
                for index in 0..added.length() {
                    let Some(element) = added.item(index).and_then(|n| n.dyn_into().ok()) else {
                        continue;
                    };
                    recorded
                        .borrow_mut()
                        .extend(matching_texts(&element, &selector));
                }
            }
        });
        let observer = MutationObserver::new(callback.as_ref().unchecked_ref())
            .expect("a MutationObserver can be created");
        let options = MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        let body = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.body())
            .expect("the document has a body");
        observer
            .observe_with_options(&body, &options)
            .expect("the body can be observed");
        RegionInsertions {
            observer,
            _callback: callback,
            texts,
        }
    }

    /// Returns the text each matching element had when it entered the page, in order.
    pub fn texts(&self) -> Vec<String> {
        self.texts.borrow().clone()
    }
}

impl Drop for RegionInsertions {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Returns the text of `element` and of each descendant that matches `selector`.
fn matching_texts(element: &Element, selector: &str) -> Vec<String> {
    let mut texts = Vec::new();
    if element.matches(selector).expect("the selector is valid") {
        texts.push(element.text_content().unwrap_or_default());
    }
    let descendants = element
        .query_selector_all(selector)
        .expect("the selector is valid");
    for index in 0..descendants.length() {
        if let Some(node) = descendants.item(index) {
            texts.push(node.text_content().unwrap_or_default());
        }
    }
    texts
}
