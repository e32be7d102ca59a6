//! Guard of a form with unsaved changes: leaving through an in-app link asks first with the
//! app's confirmation dialog, and closing or reloading the tab asks through the browser. The
//! guard also publishes its state, so that actions outside the form, such as Sign out, can ask.

use std::time::Duration;

use leptos::ev::MouseEvent;
use leptos::html::Span;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Element, HtmlElement};

use crate::app_path::is_app_path;
use crate::components::confirm_dialog::ConfirmDialog;

/// Context that holds the "is dirty" signal of the mounted guard's form, if any. Holding the
/// signal itself, not a copy of its value, keeps the answer current even right after a
/// keystroke, before effects have run.
#[derive(Clone, Copy)]
pub struct UnsavedChanges(RwSignal<Option<Signal<bool>>>);

impl UnsavedChanges {
    pub fn exist(self) -> bool {
        self.0
            .get_untracked()
            .is_some_and(|is_dirty| is_dirty.try_get_untracked().unwrap_or(false))
    }
}

/// Provides the context that guards register with; call it above the header and the pages.
pub fn provide_unsaved_changes() {
    provide_context(UnsavedChanges(RwSignal::new(None)));
}

/// Returns the flag, or `None` outside an app that provides it.
pub fn use_unsaved_changes() -> Option<UnsavedChanges> {
    use_context::<UnsavedChanges>()
}

const UNSAVED_MESSAGE: &str =
    "Your changes to this user are not saved yet. If you leave this page, they are lost.";

/// While `is_dirty` holds, asks before in-app links and the browser leave the page.
///
/// The router handles link clicks in a `click` listener on the window and skips clicks whose
/// default is already prevented, so a capturing listener that prevents it stops the
/// navigation until the admin confirms.
// NOTE: the browser's back and forward buttons are not intercepted: the router has already
// changed the address when `popstate` fires, so they leave without asking.
#[component]
pub fn UnsavedChangesGuard(
    #[prop(into)] is_dirty: Signal<bool>,
    /// Called when the admin confirms leaving without saving.
    #[prop(optional, into)]
    on_discard: Option<Callback<()>>,
) -> impl IntoView {
    let navigate = use_navigate();
    let unsaved_changes = use_unsaved_changes();
    let (pending_path, set_pending_path) = signal(None::<String>);
    let clicked_link = StoredValue::new_local(None::<HtmlElement>);
    let marker_ref = NodeRef::<Span>::new();

    // Asks only while the marker is in the document. A view that is removed without its
    // owner being disposed, as in tests that mount the app several times, keeps its
    // listeners, and these must not stop navigation elsewhere.
    let is_asking = move || {
        let is_mounted = marker_ref
            .try_get_untracked()
            .flatten()
            .is_some_and(|marker| marker.is_connected());
        is_mounted && is_dirty.try_get_untracked().unwrap_or(false)
    };
    let on_click = Closure::<dyn Fn(MouseEvent)>::new(move |ev: MouseEvent| {
        if !is_asking() {
            return;
        }
        if let Some((link, path)) = in_app_link(&ev) {
            ev.prevent_default();
            clicked_link.set_value(Some(link));
            // Opens the dialog once the click has reached every listener. The link's own
            // listener may still move focus, as the Account menu does when it closes and
            // hides the link, and the dialog returns focus to where it finds focus.
            let open_dialog = move || {
                set_pending_path.try_set(Some(path));
            };
            if let Err(error) = set_timeout_with_handle(open_dialog, Duration::ZERO) {
                leptos::logging::error!("could not open the unsaved-changes dialog: {error:?}");
            }
        }
    });
    add_capturing_click_listener(&on_click);
    let on_click = StoredValue::new_local(Some(on_click));
    let unload_handle = window_event_listener_untyped("beforeunload", move |ev| {
        if is_asking() {
            ask_before_unload(&ev);
        }
    });
    if let Some(UnsavedChanges(registered)) = unsaved_changes {
        registered.set(Some(is_dirty));
    }
    on_cleanup(move || {
        if let Some(UnsavedChanges(registered)) = unsaved_changes {
            registered.try_set(None);
        }
        unload_handle.remove();
        if let Some(on_click) = on_click.try_update_value(Option::take).flatten() {
            remove_capturing_click_listener(&on_click);
        }
    });

    // Leaves the dialog open until the page is gone, because clearing it first would
    // re-render the dialog while navigation disposes the page.
    let on_confirm = move |()| {
        if let Some(path) = pending_path.get_untracked() {
            if let Some(on_discard) = on_discard {
                on_discard.run(());
            }
            navigate(&path, NavigateOptions::default());
        }
    };
    // A link that is still shown takes focus again, as in browsers that don't focus links on
    // click. A hidden one can't, so the dialog returns focus to where it found it.
    let on_cancel = move |()| {
        set_pending_path.set(None);
        if let Some(link) = clicked_link.get_value().filter(is_rendered)
            && let Err(error) = link.focus()
        {
            leptos::logging::warn!("could not focus the link again: {error:?}");
        }
    };

    let dialog = move || {
        let on_confirm = on_confirm.clone();
        pending_path.try_get().flatten().map(|_| {
            view! {
                <ConfirmDialog
                    title="Leave without saving?".to_owned()
                    message=UNSAVED_MESSAGE.to_owned()
                    confirm_label="Leave without saving"
                    is_destructive=true
                    is_busy=false
                    error=Signal::derive(|| None)
                    on_confirm
                    on_cancel
                />
            }
        })
    };

    view! {
        <span class="unsaved-changes-guard" hidden node_ref=marker_ref></span>
        {dialog}
    }
}

/// Returns the link of a plain left click on an in-app link to another page, and its path.
///
/// In-app links are the app's root-relative ones, such as `/users`. Links to the same page
/// (the error summary's `#field` links) are skipped, and so are links the router leaves to
/// the browser.
fn in_app_link(ev: &MouseEvent) -> Option<(HtmlElement, String)> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.alt_key()
        || ev.ctrl_key()
        || ev.shift_key()
    {
        return None;
    }
    let target = ev.target()?.dyn_into::<Element>().ok()?;
    let link = target.closest("a[href]").ok()??;
    if link.has_attribute("download") || link.get_attribute("target").is_some() {
        return None;
    }
    let href = link.get_attribute("href")?;
    let path = href.split('#').next().unwrap_or_default();
    let location = window().location();
    let current = location.pathname().unwrap_or_default() + &location.search().unwrap_or_default();
    let is_other_page = is_app_path(&href) && path != current;
    let link = link.dyn_into::<HtmlElement>().ok()?;
    // The router adds the base path again when it navigates.
    let app_path = crate::base_path::strip(&href).to_owned();
    is_other_page.then_some((link, app_path))
}

/// Returns whether `element` is laid out, which `display: none` on it or on an ancestor
/// prevents. Only a laid-out element can take focus.
fn is_rendered(element: &HtmlElement) -> bool {
    element.offset_parent().is_some()
}

fn add_capturing_click_listener(listener: &Closure<dyn Fn(MouseEvent)>) {
    let result = window().add_event_listener_with_callback_and_bool(
        "click",
        listener.as_ref().unchecked_ref(),
        true,
    );
    if let Err(error) = result {
        leptos::logging::error!("could not watch link clicks for unsaved changes: {error:?}");
    }
}

fn remove_capturing_click_listener(listener: &Closure<dyn Fn(MouseEvent)>) {
    let result = window().remove_event_listener_with_callback_and_bool(
        "click",
        listener.as_ref().unchecked_ref(),
        true,
    );
    if let Err(error) = result {
        leptos::logging::error!("could not stop watching link clicks: {error:?}");
    }
}

/// Makes the browser ask before it closes or reloads the page. Browsers show their own text.
fn ask_before_unload(ev: &web_sys::Event) {
    ev.prevent_default();
    // Older browsers ask only when `returnValue` is set.
    if let Err(error) = js_sys::Reflect::set(ev, &"returnValue".into(), &"".into()) {
        leptos::logging::warn!("could not set returnValue of beforeunload: {error:?}");
    }
}
