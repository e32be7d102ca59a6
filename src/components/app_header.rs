//! The header on every page: product name, the Account menu, the signed-in user and Sign out.

use leptos::ev::FocusEvent;
use leptos::html::Nav;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;
use web_sys::Node;

use crate::api;
use crate::classes::BUTTON_SECONDARY;
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::error_view::ErrorView;
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
            <a class="skip-link" href="#main">
                "Skip to main content"
            </a>
            <div class="app-header-inner">
                <a class="product-name" href="/users">
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
                            disabled=move || sign_out_action.pending().get()
                            on:click=move |_| {
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

/// Renders the "Account" disclosure menu, which links to Users.
#[component]
fn AccountMenu() -> impl IntoView {
    let (is_open, set_is_open) = signal(false);
    let menu_ref = NodeRef::<Nav>::new();

    // Closes the menu when focus moves to anything outside it.
    let on_focusout = move |ev: FocusEvent| {
        let next = ev
            .related_target()
            .and_then(|target| target.dyn_into::<Node>().ok());
        let is_inside = menu_ref
            .get_untracked()
            .is_some_and(|menu| menu.contains(next.as_ref()));
        if !is_inside {
            set_is_open.set(false);
        }
    };

    view! {
        <nav
            class="account-menu"
            aria-label="Main"
            node_ref=menu_ref
            on:focusout=on_focusout
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    set_is_open.set(false);
                }
            }
        >
            <button
                type="button"
                class="account-menu-button"
                aria-expanded=move || if is_open.get() { "true" } else { "false" }
                aria-controls="account-menu-list"
                on:click=move |_| set_is_open.update(|open| *open = !*open)
            >
                "Account"
            </button>
            <ul class="account-menu-list" id="account-menu-list" hidden=move || !is_open.get()>
                <li>
                    <a href="/users" on:click=move |_| set_is_open.set(false)>
                        "Users"
                    </a>
                </li>
            </ul>
        </nav>
    }
}
