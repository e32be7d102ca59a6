//! A modal confirmation dialog shown before a change. It uses the native `<dialog>` element,
//! so the page behind it is inert and Escape cancels. Focus starts on Cancel, so that a stray
//! Enter does not confirm. Focus stays inside while the dialog is open, and returns to the
//! control that opened the dialog when it closes.

use leptos::ev::KeyboardEvent;
use leptos::html::Dialog;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlDialogElement, HtmlElement, Node};

use crate::aria::busy_state;
use crate::classes::{BUTTON_DANGER, BUTTON_PRIMARY, BUTTON_SECONDARY};
use crate::components::error_view::ErrorView;
use crate::error::ClientError;

/// Elements of the dialog that Tab can reach.
const FOCUSABLE: &str = "button:not([disabled]), a[href], input:not([disabled]), \
     select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex=\"-1\"])";

/// Opens as a modal when mounted. Unmount it to close it.
#[component]
pub fn ConfirmDialog(
    title: String,
    message: String,
    confirm_label: &'static str,
    /// Styles the confirm button as a destructive action.
    #[prop(optional)]
    is_destructive: bool,
    #[prop(into)] is_busy: Signal<bool>,
    /// Error of the last attempt, shown inside the dialog.
    #[prop(into)]
    error: Signal<Option<ClientError>>,
    #[prop(into)] on_confirm: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let confirm_class = if is_destructive {
        BUTTON_DANGER
    } else {
        BUTTON_PRIMARY
    };
    view! {
        <ModalDialog labelled_by="dialog-title" described_by="dialog-message" on_cancel>
            <h2 class="dialog-title" id="dialog-title">
                {title}
            </h2>
            <p class="dialog-message" id="dialog-message">
                {message}
            </p>
            {move || error.get().map(|error| view! { <ErrorView error /> })}
            <div class="dialog-actions">
                <button
                    type="button"
                    class=confirm_class
                    aria-disabled=move || busy_state(is_busy.get())
                    on:click=move |_| {
                        if !is_busy.get_untracked() {
                            on_confirm.run(());
                        }
                    }
                >
                    {confirm_label}
                </button>
                // `showModal` focuses the element marked `autofocus`.
                <button type="button" class=BUTTON_SECONDARY autofocus on:click=move |_| on_cancel.run(())>
                    "Cancel"
                </button>
            </div>
        </ModalDialog>
    }
}

/// Shows `children` in a modal `<dialog>`, open while mounted. Escape calls `on_cancel`, Tab
/// and Shift+Tab wrap around its controls, and once it is unmounted, focus returns to the
/// control that opened it. `showModal` focuses the child marked `autofocus`.
#[component]
pub fn ModalDialog(
    /// Id of the element that names the dialog.
    labelled_by: &'static str,
    /// Id of the element that describes the dialog.
    #[prop(optional)]
    described_by: Option<&'static str>,
    /// Classes added to `dialog`, such as one that widens it.
    #[prop(optional)]
    class: &'static str,
    #[prop(into)] on_cancel: Callback<()>,
    children: Children,
) -> impl IntoView {
    let dialog_ref = NodeRef::<Dialog>::new();
    let opener = StoredValue::new_local(focused_element());

    Effect::new(move || {
        if let Some(dialog) = dialog_ref.get()
            && !dialog.open()
            && let Err(error) = dialog.show_modal()
        {
            leptos::logging::error!("could not open the dialog: {error:?}");
        }
    });
    on_cleanup(move || {
        let opener = opener.try_get_value().flatten();
        request_animation_frame(move || return_focus(opener));
    });

    view! {
        <dialog
            class=format!("dialog {class}").trim_end().to_owned()
            node_ref=dialog_ref
            aria-labelledby=labelled_by
            aria-describedby=described_by
            on:cancel=move |ev: leptos::ev::Event| {
                ev.prevent_default();
                on_cancel.run(());
            }
            on:keydown=move |ev: KeyboardEvent| {
                if let Some(dialog) = dialog_ref.get_untracked() {
                    keep_tab_inside(&ev, &dialog);
                }
            }
        >
            {children()}
        </dialog>
    }
}

/// Returns the focused element, unless focus is on the body (nothing focused).
fn focused_element() -> Option<HtmlElement> {
    let document = document();
    let active = document.active_element()?;
    let is_body = document.body().is_some_and(|body| *body == active);
    (!is_body)
        .then(|| active.dyn_into::<HtmlElement>().ok())
        .flatten()
}

/// Focuses `opener` again when the closed dialog left focus on the body. A page that already
/// moved focus on purpose, such as to a re-rendered switch, keeps it.
fn return_focus(opener: Option<HtmlElement>) {
    if focused_element().is_some() {
        return;
    }
    if let Some(opener) = opener.filter(|opener| opener.is_connected())
        && let Err(error) = opener.focus()
    {
        leptos::logging::warn!("could not return focus after the dialog: {error:?}");
    }
}

/// Makes Tab on the last control and Shift+Tab on the first wrap around. The modal makes the
/// page behind it inert, but without this, Tab from the last control leaves the document, so
/// focus ends on the body (seen in Chromium 156).
fn keep_tab_inside(ev: &KeyboardEvent, dialog: &HtmlDialogElement) {
    if ev.key() != "Tab" {
        return;
    }
    let Some((first, last)) = first_and_last_control(dialog) else {
        ev.prevent_default();
        return;
    };

    let (edge, wrap_to) = if ev.shift_key() {
        (first, last)
    } else {
        (last, first)
    };
    let active = document().active_element();
    let is_outside = !dialog.contains(active.as_ref().map(|active| active.as_ref()));
    let is_at_edge = active.is_some_and(|active| *active.unchecked_ref::<Node>() == edge);
    if !(is_at_edge || is_outside) {
        return;
    }

    ev.prevent_default();
    if let Ok(wrap_to) = wrap_to.dyn_into::<HtmlElement>()
        && let Err(error) = wrap_to.focus()
    {
        leptos::logging::warn!("could not keep focus in the dialog: {error:?}");
    }
}

/// Returns the first and last control of `dialog` that Tab can reach, or `None` when it has
/// none.
fn first_and_last_control(dialog: &HtmlDialogElement) -> Option<(Node, Node)> {
    let controls = dialog
        .query_selector_all(FOCUSABLE)
        .inspect_err(|error| {
            leptos::logging::warn!("could not list the dialog's controls: {error:?}");
        })
        .ok()?;
    let last_index = controls.length().checked_sub(1)?;
    Some((controls.item(0)?, controls.item(last_index)?))
}
