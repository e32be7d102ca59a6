//! A modal confirmation dialog shown before a change. It uses the native `<dialog>` element,
//! so focus stays inside and Escape cancels. Focus starts on Cancel, so a stray Enter does not
//! confirm.

use leptos::html::Dialog;
use leptos::prelude::*;

use crate::classes::{BUTTON_DANGER, BUTTON_PRIMARY, BUTTON_SECONDARY};
use crate::components::error_view::ErrorView;
use crate::error::ClientError;

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
    let dialog_ref = NodeRef::<Dialog>::new();

    Effect::new(move || {
        if let Some(dialog) = dialog_ref.get()
            && !dialog.open()
            && let Err(error) = dialog.show_modal()
        {
            leptos::logging::error!("could not open the dialog: {error:?}");
        }
    });

    let confirm_class = if is_destructive {
        BUTTON_DANGER
    } else {
        BUTTON_PRIMARY
    };
    view! {
        <dialog
            class="dialog"
            node_ref=dialog_ref
            aria-labelledby="dialog-title"
            aria-describedby="dialog-message"
            on:cancel=move |ev: leptos::ev::Event| {
                ev.prevent_default();
                on_cancel.run(());
            }
        >
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
                    disabled=move || is_busy.get()
                    on:click=move |_| on_confirm.run(())
                >
                    {confirm_label}
                </button>
                // `showModal` focuses the element marked `autofocus`.
                <button type="button" class=BUTTON_SECONDARY autofocus on:click=move |_| on_cancel.run(())>
                    "Cancel"
                </button>
            </div>
        </dialog>
    }
}
