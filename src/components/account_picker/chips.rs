//! The selected accounts of the picker as chips, each with a button that removes it, and the
//! loading of their names when the form starts with accounts that no search has shown.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{AccountSearch, account_label};
use crate::api;
use crate::components::error_summary::focus_element;
use crate::components::error_view::ErrorView;
use crate::error::ClientError;

/// Id of the remove button of the chip of the account `id`.
fn remove_button_id(id: i64) -> String {
    format!("account-chip-remove-{id}")
}

/// Lists the accounts in `selected` in the order they were selected. Removing one moves
/// focus to the next chip's button, or the previous one, or with no chip left to
/// `on_empty`.
#[component]
pub fn SelectedChips(
    search: AccountSearch,
    selected: RwSignal<Vec<i64>>,
    #[prop(into)] on_remove: Callback<i64>,
    #[prop(into)] on_empty: Callback<()>,
) -> impl IntoView {
    let names_error = RwSignal::new(None::<ClientError>);
    let not_found = RwSignal::new(Vec::<i64>::new());
    let reload = RwSignal::new(0_u32);

    load_missing_names(search, selected, names_error, not_found, reload);
    let remove = move |id: i64| {
        let neighbour = selected.with_untracked(|ids| {
            let index = ids.iter().position(|selected| *selected == id)?;
            ids.get(index + 1)
                .or_else(|| index.checked_sub(1).and_then(|before| ids.get(before)))
                .copied()
        });
        on_remove.run(id);
        request_animation_frame(move || match neighbour {
            Some(next) => focus_element(&remove_button_id(next)),
            None => on_empty.run(()),
        });
    };
    let label = move |id: i64| {
        search.known.track();
        match search.known_account(id) {
            Some(account) => account_label(&account),
            None if not_found.with(|ids| ids.contains(&id)) => {
                format!("Account {id} (no longer exists)")
            }
            None => format!("Account {id}"),
        }
    };

    view! {
        <ul class="chip-list" aria-label="Selected accounts" hidden=move || selected.with(Vec::is_empty)>
            {move || {
                selected
                    .get()
                    .into_iter()
                    .map(|id| {
                        view! {
                            <li class="chip">
                                <span class="chip-label">{move || label(id)}</span>
                                <button
                                    type="button"
                                    class="chip-remove"
                                    id=remove_button_id(id)
                                    aria-label=move || format!("Remove {}", label(id))
                                    on:click=move |_| remove(id)
                                >
                                    <span aria-hidden="true">"×"</span>
                                </button>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
        {move || {
            names_error
                .get()
                .map(|error| {
                    view! {
                        <ErrorView
                            error
                            on_retry=move || {
                                names_error.set(None);
                                reload.update(|count| *count += 1);
                            }
                        />
                    }
                })
        }}
    }
}

/// Fetches by id the names of the selected accounts that no response has contained yet,
/// whenever the selection changes or `reload` is raised. Ids that no account has go into
/// `not_found`.
fn load_missing_names(
    search: AccountSearch,
    selected: RwSignal<Vec<i64>>,
    names_error: RwSignal<Option<ClientError>>,
    not_found: RwSignal<Vec<i64>>,
    reload: RwSignal<u32>,
) {
    Effect::new(move || {
        reload.track();
        let missing: Vec<i64> = selected.with(|ids| {
            not_found.with_untracked(|absent| {
                ids.iter()
                    .filter(|id| search.known_account(**id).is_none() && !absent.contains(id))
                    .copied()
                    .collect()
            })
        });
        if missing.is_empty() {
            return;
        }
        spawn_local(async move {
            match api::accounts_by_id(&missing).await {
                Ok(accounts) => {
                    search.remember(&accounts);
                    let absent = missing
                        .iter()
                        .filter(|id| !accounts.iter().any(|account| account.id == **id));
                    let absent: Vec<i64> = absent.copied().collect();
                    if !absent.is_empty() {
                        leptos::logging::warn!("selected accounts {absent:?} do not exist");
                        not_found.try_update(|ids| ids.extend(absent));
                    }
                }
                Err(error) => {
                    leptos::logging::warn!(
                        "loading the names of accounts {missing:?} failed: {error}"
                    );
                    names_error.try_set(Some(error));
                }
            }
        });
    });
}
