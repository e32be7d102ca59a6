//! The accounts field of the user forms: a combobox that searches the organisation's accounts
//! on the backend and a list of the selected accounts as removable chips. It follows the
//! WAI-ARIA 1.2 combobox pattern with a multi-select listbox popup: focus stays in the input,
//! and `aria-activedescendant` names the option that the arrow keys moved to.

mod chips;
mod search;

use domain::{Account, field};
use leptos::ev::KeyboardEvent;
use leptos::html::{Div, Input, Ul};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::classes::BUTTON_SECONDARY;
use crate::components::error_view::ErrorView;
use crate::components::role_picker::toggle;
use crate::components::text_field::{FieldError, error_id, field_id, hint_id};
use chips::SelectedChips;
pub use search::AccountSearch;

const LISTBOX_ID: &str = "account-listbox";
const LABEL_ID: &str = "account_ids-label";
const STATUS_ID: &str = "account-picker-status";
/// Distance from the end of the listbox, in pixels, within which scrolling loads more.
const LOAD_MORE_MARGIN_PX: i32 = 48;

/// Returns the text that names an account in options and chips, such as
/// "7100-4482-01 – Meridian Health Partners - Head Office".
pub fn account_label(account: &Account) -> String {
    format!("{} – {}", account.number, account.name)
}

/// Id of the option element of the account `id`.
fn option_id(id: i64) -> String {
    format!("account-option-{id}")
}

/// State of one picker: the search, the selection, and the popup with its active option.
#[derive(Clone, Copy)]
struct Picker {
    search: AccountSearch,
    selected: RwSignal<Vec<i64>>,
    is_open: RwSignal<bool>,
    /// The account whose option the arrow keys moved to, which Enter toggles.
    active: RwSignal<Option<i64>>,
    /// Set when an arrow key opened the popup before its options loaded, so that the first
    /// or last option becomes active once they do: 1 for the first, -1 for the last.
    pending_step: RwSignal<Option<isize>>,
    input_ref: NodeRef<Input>,
    listbox_ref: NodeRef<Ul>,
}

impl Picker {
    /// Opens the popup, loading the first page of the typed search if needed.
    fn open(&self) {
        self.search.ensure_loaded();
        self.is_open.set(true);
    }

    fn close(&self) {
        self.is_open.set(false);
        self.active.set(None);
        self.pending_step.set(None);
    }

    /// Activates the option that an arrow key asked for before the options loaded.
    fn activate_pending_on_load(&self) {
        let picker = *self;
        Effect::new(move || {
            let has_results = picker.search.results.with(|results| !results.is_empty());
            if has_results && let Some(step) = picker.pending_step.get_untracked() {
                picker.pending_step.set(None);
                picker.move_active(step);
            }
        });
    }

    /// Selects the account `id`, or removes it when selected, and announces the change.
    fn toggle(&self, id: i64) {
        let is_selected = self.selected.with_untracked(|ids| ids.contains(&id));
        self.selected.update(|ids| toggle(ids, &id, !is_selected));
        let label = self.label(id);
        let count = self.selected.with_untracked(Vec::len);
        let message = if is_selected {
            format!("Removed {label}. {count} selected.")
        } else {
            format!("Added {label}. {count} selected.")
        };
        self.search.announcement.set(message);
    }

    /// Removes the account `id` from the selection and announces it.
    fn remove(&self, id: i64) {
        self.selected
            .update(|ids| ids.retain(|selected| *selected != id));
        let count = self.selected.with_untracked(Vec::len);
        let message = format!("Removed {}. {count} selected.", self.label(id));
        self.search.announcement.set(message);
    }

    /// Returns the label of the account `id`, or "Account <id>" until its name is loaded.
    fn label(&self, id: i64) -> String {
        match self.search.known_account(id) {
            Some(account) => account_label(&account),
            None => format!("Account {id}"),
        }
    }

    /// Moves the active option by `step` options, staying within the loaded ones. Moving
    /// down from the last loaded option loads the next page.
    fn move_active(&self, step: isize) {
        let ids: Vec<i64> = self
            .search
            .results
            .with_untracked(|results| results.iter().map(|account| account.id).collect());
        let Some(last) = ids.len().checked_sub(1) else {
            self.pending_step.set(Some(step));
            return;
        };
        let current = self
            .active
            .get_untracked()
            .and_then(|id| ids.iter().position(|candidate| *candidate == id));
        let next = match current {
            None if step > 0 => 0,
            None => last,
            Some(index) => index.saturating_add_signed(step).min(last),
        };
        if step > 0 && current == Some(last) {
            self.search.load_more();
        }
        self.activate(ids[next]);
    }

    fn move_to_end(&self, is_last: bool) {
        let id = self.search.results.with_untracked(|results| {
            let account = if is_last {
                results.last()
            } else {
                results.first()
            };
            account.map(|account| account.id)
        });
        if let Some(id) = id {
            self.activate(id);
        }
    }

    /// Makes `id` the active option and scrolls it into view within the listbox.
    fn activate(&self, id: i64) {
        self.active.set(Some(id));
        let listbox_ref = self.listbox_ref;
        request_animation_frame(move || scroll_into_view(listbox_ref, id));
    }

    /// Loads the next page once the listbox is scrolled near its end.
    fn on_scroll(&self) {
        if let Some(listbox) = self.listbox_ref.get_untracked() {
            let bottom = listbox.scroll_top() + listbox.client_height();
            if bottom >= listbox.scroll_height() - LOAD_MORE_MARGIN_PX {
                self.search.load_more();
            }
        }
    }

    fn focus_input(&self) {
        if let Some(input) = self.input_ref.get_untracked()
            && let Err(error) = input.focus()
        {
            leptos::logging::warn!("could not focus the account search: {error:?}");
        }
    }

    /// Handles the keys of the combobox; other keys keep their default in the input.
    fn on_keydown(&self, ev: &KeyboardEvent) {
        let is_open = self.is_open.get_untracked();
        let has_active = self.active.with_untracked(Option::is_some);
        match ev.key().as_str() {
            "ArrowDown" if ev.alt_key() => self.open(),
            "ArrowDown" if is_open => self.move_active(1),
            "ArrowDown" => {
                self.open();
                self.move_active(1);
            }
            "ArrowUp" if ev.alt_key() => self.close(),
            "ArrowUp" if is_open => self.move_active(-1),
            "ArrowUp" => {
                self.open();
                self.move_active(-1);
            }
            "Home" | "End" if is_open && has_active => self.move_to_end(ev.key() == "End"),
            "Enter" if is_open => {
                if let Some(id) = self.active.get_untracked() {
                    self.toggle(id);
                }
            }
            "Escape" if is_open => {
                // Stops here, so a dialog or page handler doesn't act on the same key.
                ev.stop_propagation();
                self.close();
            }
            "Backspace" if self.search.text.with_untracked(String::is_empty) => {
                if let Some(last) = self.selected.with_untracked(|ids| ids.last().copied()) {
                    self.remove(last);
                }
            }
            _ => return,
        }
        ev.prevent_default();
    }
}

/// The accounts field bound to the ids in `selected`, with the field's error.
#[component]
pub fn AccountPicker(
    selected: RwSignal<Vec<i64>>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let picker = Picker {
        search: AccountSearch::new(),
        selected,
        is_open: RwSignal::new(false),
        active: RwSignal::new(None),
        pending_step: RwSignal::new(None),
        input_ref: NodeRef::new(),
        listbox_ref: NodeRef::new(),
    };
    let wrapper_ref = NodeRef::<Div>::new();

    let has_error = Signal::derive(move || error.with(Option::is_some));
    picker.activate_pending_on_load();

    view! {
        <div class="field account-picker" class:field-invalid=has_error>
            <label class="field-label" id=LABEL_ID for=field_id(field::ACCOUNT_IDS)>
                "Accounts"
            </label>
            <p class="field-hint" id=hint_id(field::ACCOUNT_IDS)>
                "Search by account number or name and select each account this user can work \
                 with. Select at least one."
            </p>
            <FieldError name=field::ACCOUNT_IDS error />
            <SelectedChips
                search=picker.search
                selected
                on_remove=move |id| picker.remove(id)
                on_empty=move || picker.focus_input()
            />
            <div
                class="combobox"
                node_ref=wrapper_ref
                on:focusout=move |_| close_once_focus_left(picker, wrapper_ref)
            >
                <ComboboxInput picker has_error />
                <AccountPopup picker />
            </div>
            <SearchError picker />
            <p class="visually-hidden" id=STATUS_ID role="status" aria-live="polite">
                {move || picker.search.announcement.get()}
            </p>
        </div>
    }
}

#[component]
fn ComboboxInput(picker: Picker, has_error: Signal<bool>) -> impl IntoView {
    let described_by = move || {
        let mut ids = vec![hint_id(field::ACCOUNT_IDS)];
        if has_error.get() {
            ids.push(error_id(field::ACCOUNT_IDS));
        }
        ids.join(" ")
    };
    let active_descendant = move || picker.active.get().map(option_id);

    view! {
        <input
            class="input combobox-input"
            id=field_id(field::ACCOUNT_IDS)
            node_ref=picker.input_ref
            type="text"
            role="combobox"
            autocomplete="off"
            spellcheck="false"
            aria-autocomplete="list"
            aria-controls=LISTBOX_ID
            aria-expanded=move || if picker.is_open.get() { "true" } else { "false" }
            aria-activedescendant=active_descendant
            aria-required="true"
            aria-invalid=move || has_error.get().then_some("true")
            aria-describedby=described_by
            prop:value=move || picker.search.text.get()
            on:input=move |ev| {
                picker.search.text.set(event_target_value(&ev));
                picker.active.set(None);
                picker.pending_step.set(None);
                picker.is_open.set(true);
                picker.search.search_soon();
            }
            on:click=move |_| picker.open()
            on:keydown=move |ev| picker.on_keydown(&ev)
        />
    }
}

/// Renders the popup under the input: the loaded options, how many of the matches they are,
/// and a button that loads more.
#[component]
fn AccountPopup(picker: Picker) -> impl IntoView {
    let search = picker.search;
    let has_options = move || search.results.with(|results| !results.is_empty());

    view! {
        <div class="combobox-popup" hidden=move || !picker.is_open.get()>
            <ul
                class="combobox-listbox"
                id=LISTBOX_ID
                role="listbox"
                aria-labelledby=LABEL_ID
                aria-multiselectable="true"
                node_ref=picker.listbox_ref
                hidden=move || !has_options()
                // Keeps focus in the input when an option is pressed with the pointer.
                on:mousedown=|ev| ev.prevent_default()
                on:scroll=move |_| picker.on_scroll()
            >
                // A keyed <For> would add about 10 KB of brotli to the first load, while
                // rebuilding one page of options on each change is quick.
                {move || {
                    search
                        .results
                        .get()
                        .into_iter()
                        .map(|account| view! { <AccountOption account picker /> })
                        .collect_view()
                }}
            </ul>
            <SearchFooter search />
        </div>
    }
}

/// Renders the count of the loaded matches, or that they are loading, and "Show more
/// accounts" while the search has more. Both account comboboxes end their popup with it.
#[component]
pub fn SearchFooter(search: AccountSearch) -> impl IntoView {
    view! {
        <div class="combobox-footer">
            <p class="combobox-summary">
                {move || {
                    if search.is_loading.get() {
                        "Loading accounts…".to_owned()
                    } else {
                        search.summary()
                    }
                }}
            </p>
            <button
                type="button"
                class=BUTTON_SECONDARY
                hidden=move || !search.has_more()
                aria-disabled=move || search.is_loading.get().then_some("true")
                on:mousedown=|ev| ev.prevent_default()
                on:click=move |_| search.load_more()
            >
                "Show more accounts"
            </button>
        </div>
    }
}

#[component]
fn AccountOption(account: Account, picker: Picker) -> impl IntoView {
    let id = account.id;
    let is_selected = move || picker.selected.with(|ids| ids.contains(&id));

    view! {
        <li
            class="combobox-option"
            id=option_id(id)
            role="option"
            class:is-active=move || picker.active.get() == Some(id)
            aria-selected=move || if is_selected() { "true" } else { "false" }
            on:click=move |_| {
                picker.active.set(Some(id));
                picker.toggle(id);
            }
        >
            <span>
                <span class="combobox-option-number">{account.number}</span>
                " – "
                {account.name}
            </span>
        </li>
    }
}

/// Renders the failure of the latest search, with a retry that keeps the typed text.
#[component]
fn SearchError(picker: Picker) -> impl IntoView {
    move || {
        picker.search.error.get().map(|error| {
            view! {
                <ErrorView
                    error
                    on_retry=move || {
                        picker.focus_input();
                        picker.is_open.set(true);
                        picker.search.retry();
                    }
                />
            }
        })
    }
}

/// Closes the popup when, a frame after a `focusout`, focus is outside the mounted
/// `wrapper_ref`.
///
/// Waiting a frame also skips the `focusout` that Chromium sends while it removes a focused
/// input from the page, as when the form's page is left. The picker is disposed by then, so
/// closing at once would queue updates that run on its disposed signals.
fn close_once_focus_left(picker: Picker, wrapper_ref: NodeRef<Div>) {
    request_animation_frame(move || {
        let Some(Some(wrapper)) = wrapper_ref.try_get_untracked() else {
            return;
        };
        let has_focus = document()
            .active_element()
            .is_some_and(|focused| wrapper.contains(Some(&focused)));
        if wrapper.is_connected() && !has_focus {
            picker.close();
        }
    });
}

/// Scrolls the listbox so that the option of `id` is fully visible.
fn scroll_into_view(listbox_ref: NodeRef<Ul>, id: i64) {
    let Some(listbox) = listbox_ref.get_untracked() else {
        return;
    };
    let option = document()
        .get_element_by_id(&option_id(id))
        .and_then(|element| element.dyn_into::<HtmlElement>().ok());
    let Some(option) = option else {
        return;
    };
    let top = option.offset_top();
    let bottom = top + option.offset_height();
    if top < listbox.scroll_top() {
        listbox.set_scroll_top(top);
    } else if bottom > listbox.scroll_top() + listbox.client_height() {
        listbox.set_scroll_top(bottom - listbox.client_height());
    }
}
