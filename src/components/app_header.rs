//! The header on every page: the skip link, product name, the Account menu, the signed-in
//! user and Sign out.

use crate::base_path;
use leptos::ev::MouseEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::aria::busy_state;
use crate::classes::BUTTON_SECONDARY;
use crate::components::account_menu::AccountMenu;
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::error_view::ErrorView;
use crate::components::navigation_focus::{MAIN_ID, focus_main};
use crate::components::unsaved_changes::use_unsaved_changes;
use crate::contexts::session::use_session;
use crate::page_title::PRODUCT_NAME;

#[component]
pub fn AppHeader() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let unsaved_changes = use_unsaved_changes();

    let (is_confirming, set_is_confirming) = signal(false);

    let sign_out_action = Action::new_local(|_: &()| api::sign_out());

    Effect::new(move || {
        let Some(result) = sign_out_action.value().get() else {
            return;
        };
        // A 401 means the session had already ended, which is what signing out wants.
        let is_signed_out = match &result {
            Ok(()) => true,
            Err(error) => error.is_unauthorized(),
        };
        if is_signed_out {
            session.current_user.set(None);
            navigate("/sign-in", NavigateOptions::default());
        }
    });

    let sign_out_error = move || {
        sign_out_action
            .value()
            .get()
            .and_then(Result::err)
            .filter(|error| !error.is_unauthorized())
            .map(|error| view! { <ErrorView error /> })
    };

    view! {
        <header class="app-header">
            // The router would handle the in-page link without moving focus, so the click
            // handler moves it.
            <a
                class="skip-link"
                href=format!("#{MAIN_ID}")
                on:click=|ev: MouseEvent| {
                    ev.prevent_default();
                    focus_main();
                }
            >
                "Skip to main content"
            </a>
            <div class="app-header-inner">
                <a class="product-name" href=base_path::href("/users")>
                    {PRODUCT_NAME}
                </a>
                <Show when=move || session.current_user.with(Option::is_some)>
                    <AccountMenu />
                    <div class="app-header-user">
                        <span class="app-header-name">
                            {move || {
                                session
                                    .current_user
                                    .with(|user| {
                                        user.as_ref()
                                            .map(|user| format!("{} {}", user.first_name, user.last_name))
                                    })
                            }}
                        </span>
                        <button
                            type="button"
                            class=BUTTON_SECONDARY
                            aria-disabled=move || busy_state(sign_out_action.pending().get())
                            on:click=move |_| {
                                if sign_out_action.pending().get_untracked() {
                                    return;
                                }
                                if unsaved_changes.is_some_and(|changes| changes.exist()) {
                                    set_is_confirming.set(true);
                                } else {
                                    sign_out_action.dispatch(());
                                }
                            }
                        >
                            "Sign out"
                        </button>
                    </div>
                </Show>
            </div>
            {sign_out_error}
            {move || is_confirming.get().then(|| view! { <SignOutDialog sign_out_action set_is_confirming /> })}
        </header>
    }
}

/// Asks before Sign out drops the unsaved changes of a form.
#[component]
fn SignOutDialog(
    sign_out_action: Action<(), Result<(), crate::error::ClientError>>,
    set_is_confirming: WriteSignal<bool>,
) -> impl IntoView {
    view! {
        <ConfirmDialog
            title="Sign out without saving?".to_owned()
            message="Your changes to this user are not saved yet. If you sign out, they are lost."
                .to_owned()
            confirm_label="Sign out without saving"
            is_destructive=true
            is_busy=sign_out_action.pending()
            error=Signal::derive(|| None)
            on_confirm=move || {
                set_is_confirming.set(false);
                sign_out_action.dispatch(());
            }
            on_cancel=move || set_is_confirming.set(false)
        />
    }
}
