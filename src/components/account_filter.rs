//! The users list's account filter: a WAI-ARIA 1.2 combobox with a single-select listbox
//! popup that searches the organisation's accounts through the account picker's
//! [`AccountSearch`], and the chosen account as a chip with a remove button.

use domain::Account;
use leptos::ev::KeyboardEvent;
use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::api;
use crate::components::account_picker::{AccountSearch, SearchFooter, account_label};
use crate::components::error_summary::focus_element;
use crate::components::error_view::ErrorView;
use crate::components::text_field::{FieldError, error_id};

/// State of the filter's combobox.
#[derive(Clone, Copy)]
struct Combobox {
    id: &'static str,
    search: AccountSearch,
    is_open: RwSignal<bool>,
    /// The account whose option the arrow keys moved to, which Enter chooses.
    active: RwSignal<Option<i64>>,
    on_change: Callback<Option<i64>>,
}

impl Combobox {
    fn listbox_id(&self) -> String {
        format!("{}-listbox", self.id)
    }

    fn option_id(&self, account_id: i64) -> String {
        format!("{}-option-{account_id}", self.id)
    }

    fn open(&self) {
        self.search.ensure_loaded();
        self.is_open.set(true);
    }

    fn close(&self) {
        self.is_open.set(false);
        self.active.set(None);
    }

    /// Filters the list by `account`, closes the popup and empties the search.
    fn choose(&self, account: &Account) {
        self.search.remember(std::slice::from_ref(account));
        self.search.text.set(String::new());
        self.close();
        self.on_change.run(Some(account.id));
    }

    /// Moves the active option by `step`, within the loaded options. Moving down from the
    /// last one loads the next page.
    fn move_active(&self, step: isize) {
        let ids: Vec<i64> = self
            .search
            .results
            .with_untracked(|results| results.iter().map(|account| account.id).collect());
        let Some(last) = ids.len().checked_sub(1) else {
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
        self.active.set(Some(ids[next]));
        let option_id = self.option_id(ids[next]);
        let listbox_id = self.listbox_id();
        request_animation_frame(move || scroll_option_into_view(&listbox_id, &option_id));
    }

    fn on_keydown(&self, ev: &KeyboardEvent) {
        let is_open = self.is_open.get_untracked();
        match ev.key().as_str() {
            "ArrowDown" if !is_open => {
                self.open();
                self.move_active(1);
            }
            "ArrowDown" => self.move_active(1),
            "ArrowUp" if is_open => self.move_active(-1),
            "Enter" if is_open => {
                let active = self
                    .active
                    .get_untracked()
                    .and_then(|id| self.search.known_account(id));
                if let Some(account) = active {
                    self.choose(&account);
                }
            }
            "Escape" if is_open => {
                ev.stop_propagation();
                self.close();
            }
            // Enter with the popup closed must not submit the filters form.
            "Enter" => {}
            _ => return,
        }
        ev.prevent_default();
    }
}

/// Renders the account filter bound to `selected`. `on_change` receives the account chosen,
/// or `None` when the filter is removed. `error` is the backend's message about the account.
#[component]
pub fn AccountFilter(
    /// Id of the combobox input, with which the filter's other ids start.
    id: &'static str,
    #[prop(into)] selected: Signal<Option<i64>>,
    #[prop(into)] on_change: Callback<Option<i64>>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let combobox = Combobox {
        id,
        search: AccountSearch::new(),
        is_open: RwSignal::new(false),
        active: RwSignal::new(None),
        on_change,
    };
    let wrapper_ref = NodeRef::<Div>::new();

    let has_error = move || error.with(Option::is_some);
    let described_by = move || has_error().then(|| error_id(id));
    let active_descendant = move || {
        combobox
            .active
            .get()
            .map(|account| combobox.option_id(account))
    };

    view! {
        <div class="field field-account-filter" class:field-invalid=has_error>
            <label class="field-label" for=id>
                "Account"
            </label>
            <SelectedAccount combobox selected />
            <div
                class="combobox"
                node_ref=wrapper_ref
                on:focusout=move |_| close_once_focus_left(combobox, wrapper_ref)
            >
                <input
                    class="input combobox-input"
                    id=id
                    type="text"
                    role="combobox"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="Search accounts"
                    aria-autocomplete="list"
                    aria-controls=combobox.listbox_id()
                    aria-expanded=move || if combobox.is_open.get() { "true" } else { "false" }
                    aria-activedescendant=active_descendant
                    aria-invalid=move || has_error().then_some("true")
                    aria-describedby=described_by
                    prop:value=move || combobox.search.text.get()
                    on:input=move |ev| {
                        combobox.search.text.set(event_target_value(&ev));
                        combobox.active.set(None);
                        combobox.is_open.set(true);
                        combobox.search.search_soon();
                    }
                    on:click=move |_| combobox.open()
                    on:keydown=move |ev| combobox.on_keydown(&ev)
                />
                <AccountOptions combobox selected />
            </div>
            <FieldError name=id error />
            {move || {
                combobox
                    .search
                    .error
                    .get()
                    .map(|error| {
                        view! { <ErrorView error on_retry=move || combobox.search.retry() /> }
                    })
            }}
        </div>
    }
}

/// Renders the chosen account as a chip whose button removes the filter. The account's name
/// is fetched by id when no search has shown it, as after opening a link.
#[component]
fn SelectedAccount(combobox: Combobox, selected: Signal<Option<i64>>) -> impl IntoView {
    let search = combobox.search;
    // The id of the chosen account when no account has it, as after an old link.
    let missing = RwSignal::new(None::<i64>);
    Effect::new(move || {
        let Some(id) = selected.get() else {
            return;
        };
        if search.known_account(id).is_some() {
            return;
        }
        spawn_local(async move {
            match api::accounts_by_id(&[id]).await {
                Ok(accounts) if accounts.is_empty() => {
                    leptos::logging::warn!("the account filter's account {id} does not exist");
                    missing.try_set(Some(id));
                }
                Ok(accounts) => search.remember(&accounts),
                // The chip keeps "Account <id>", and the list still loads.
                Err(error) => {
                    leptos::logging::warn!("loading the name of account {id} failed: {error}");
                }
            }
        });
    });
    let label = move |id: i64| {
        search.known.track();
        match search.known_account(id) {
            Some(account) => account_label(&account),
            None if missing.get() == Some(id) => format!("Account {id} (not found)"),
            None => format!("Account {id}"),
        }
    };
    let remove_id = format!("{}-remove", combobox.id);

    move || {
        selected.get().map(|id| {
            view! {
                <ul class="chip-list" aria-label="Chosen account">
                    <li class="chip">
                        <span class="chip-label">{move || label(id)}</span>
                        <button
                            type="button"
                            class="chip-remove"
                            id=remove_id.clone()
                            aria-label=move || format!("Remove account filter {}", label(id))
                            on:click=move |_| {
                                combobox.on_change.run(None);
                                let input_id = combobox.id;
                                request_animation_frame(move || focus_element(input_id));
                            }
                        >
                            <span aria-hidden="true">"×"</span>
                        </button>
                    </li>
                </ul>
            }
        })
    }
}

/// Renders the popup: the loaded options, how many matches they are, and a button that loads
/// more.
#[component]
fn AccountOptions(combobox: Combobox, selected: Signal<Option<i64>>) -> impl IntoView {
    let search = combobox.search;
    let has_options = move || search.results.with(|results| !results.is_empty());
    let options = move || {
        search
            .results
            .get()
            .into_iter()
            .map(|account| {
                let account_id = account.id;
                let label = account_label(&account);
                view! {
                    <li
                        class="combobox-option"
                        id=combobox.option_id(account_id)
                        role="option"
                        class:is-active=move || combobox.active.get() == Some(account_id)
                        aria-selected=move || {
                            if selected.get() == Some(account_id) { "true" } else { "false" }
                        }
                        on:click=move |_| combobox.choose(&account)
                    >
                        {label}
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <div class="combobox-popup" hidden=move || !combobox.is_open.get()>
            <ul
                class="combobox-listbox"
                id=combobox.listbox_id()
                role="listbox"
                aria-label="Accounts"
                hidden=move || !has_options()
                // Keeps focus in the input when an option is pressed with the pointer.
                on:mousedown=|ev| ev.prevent_default()
            >
                {options}
            </ul>
            <SearchFooter search />
        </div>
    }
}

/// Closes the popup when, a frame after a `focusout`, focus is outside the mounted
/// `wrapper_ref`. The frame also lets a page that removed the input dispose the filter first.
fn close_once_focus_left(combobox: Combobox, wrapper_ref: NodeRef<Div>) {
    request_animation_frame(move || {
        let Some(Some(wrapper)) = wrapper_ref.try_get_untracked() else {
            return;
        };
        let has_focus = document()
            .active_element()
            .is_some_and(|focused| wrapper.contains(Some(&focused)));
        if wrapper.is_connected() && !has_focus {
            combobox.close();
        }
    });
}

/// Scrolls the listbox `listbox_id` so that its option `option_id` is fully visible, without
/// scrolling the page.
fn scroll_option_into_view(listbox_id: &str, option_id: &str) {
    let element = |id: &str| {
        document()
            .get_element_by_id(id)
            .and_then(|element| element.dyn_into::<HtmlElement>().ok())
    };
    let (Some(listbox), Some(option)) = (element(listbox_id), element(option_id)) else {
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
