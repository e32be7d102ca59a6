//! The "Account" disclosure menu of the header, which links to Users, with the keys a
//! keyboard user expects of it.

use crate::base_path;
use leptos::ev::{FocusEvent, KeyboardEvent, MouseEvent};
use leptos::html::{Button, Nav, Ul};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, Node};

use crate::components::navigation_focus::focus_main;

/// Renders the "Account" disclosure menu, which links to Users.
///
/// Enter or Space on the button opens and closes it. The Up and Down arrows open it and move
/// focus through the button and the links, wrapping around at either end, and Escape closes
/// it with focus on the button. Following a link moves focus to the page.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let (is_open, set_is_open) = signal(false);
    let menu_ref = NodeRef::<Nav>::new();
    let button_ref = NodeRef::<Button>::new();
    let list_ref = NodeRef::<Ul>::new();

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
    let on_keydown = move |ev: KeyboardEvent| {
        let key = ev.key();
        let step = match key.as_str() {
            "ArrowDown" => 1,
            "ArrowUp" => -1,
            "Escape" => {
                focus_menu_button(button_ref);
                set_is_open.set(false);
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        set_is_open.set(true);
        // The list is shown once the `hidden` attribute is gone, after this event.
        request_animation_frame(move || move_focus_in_menu(button_ref, list_ref, step));
    };
    // While the unsaved-changes dialog is open, focus waits on the button, because the link is
    // hidden once the menu closes, and the dialog returns focus to the element it found
    // focused.
    let on_link_click = move |ev: MouseEvent| {
        set_is_open.set(false);
        if ev.default_prevented() {
            focus_menu_button(button_ref);
        } else {
            focus_main();
        }
    };

    view! {
        <nav
            class="account-menu"
            aria-label="Main"
            node_ref=menu_ref
            on:focusout=on_focusout
            on:keydown=on_keydown
        >
            <button
                type="button"
                class="account-menu-button"
                node_ref=button_ref
                aria-expanded=move || if is_open.get() { "true" } else { "false" }
                aria-controls="account-menu-list"
                on:click=move |_| set_is_open.update(|open| *open = !*open)
            >
                "Account"
            </button>
            <ul
                class="account-menu-list"
                id="account-menu-list"
                node_ref=list_ref
                hidden=move || !is_open.get()
            >
                <li>
                    <a href=base_path::href("/users") on:click=on_link_click>
                        "Users"
                    </a>
                </li>
            </ul>
        </nav>
    }
}

fn focus_menu_button(button_ref: NodeRef<Button>) {
    if let Some(button) = button_ref.get_untracked()
        && let Err(error) = button.focus()
    {
        leptos::logging::warn!("could not focus the Account button: {error:?}");
    }
}

/// Moves focus `step` places along the menu's button and links, wrapping around.
fn move_focus_in_menu(button_ref: NodeRef<Button>, list_ref: NodeRef<Ul>, step: i32) {
    let (Some(button), Some(list)) = (button_ref.get_untracked(), list_ref.get_untracked()) else {
        return;
    };
    let mut stops: Vec<HtmlElement> = vec![button.into()];
    match list.query_selector_all("a[href]") {
        Ok(links) => stops.extend(
            (0..links.length())
                .filter_map(|index| links.item(index))
                .filter_map(|link| link.dyn_into::<HtmlElement>().ok()),
        ),
        Err(error) => leptos::logging::warn!("could not list the Account menu links: {error:?}"),
    }
    let active = document().active_element();
    let current = stops
        .iter()
        .position(|stop| active.as_ref().is_some_and(|active| **stop == *active))
        .unwrap_or(0);
    let next = (current as i32 + step).rem_euclid(stops.len() as i32) as usize;
    if let Err(error) = stops[next].focus() {
        leptos::logging::warn!("could not focus the Account menu item: {error:?}");
    }
}
