//! The users an account admin selected in the users list for a bulk status change: users
//! ticked one by one across pages, or every user matching the list's filter. Also the row and
//! page checkboxes and the bar that shows the count and offers the changes.

use std::collections::BTreeSet;

use domain::{BULK_STATUS_MAX_USERS, BulkSelection, StatusAction, UserFilter};
use leptos::prelude::*;

use crate::classes::{BUTTON_DANGER, BUTTON_LINK, BUTTON_SECONDARY};
use crate::components::error_summary::focus_element;
use crate::format::format_count;

/// Id of the table header's checkbox, which selects the page.
const PAGE_CHECKBOX_ID: &str = "select-page";
/// Id of the selection bar's Clear selection button.
const CLEAR_BUTTON_ID: &str = "selection-clear";

/// The users a selection names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selected {
    /// Users ticked one by one, on any page.
    Ids(BTreeSet<i64>),
    /// Every user that `filter` matches when the change runs, except those unticked since.
    /// `total` is the number of matching users the list showed last.
    Matching {
        filter: UserFilter,
        total: u64,
        excluded: BTreeSet<i64>,
    },
}

impl Default for Selected {
    fn default() -> Self {
        Selected::Ids(BTreeSet::new())
    }
}

/// Whether the users of the page shown are selected, for the page checkbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageSelection {
    All,
    Some,
    None,
}

/// The selection of the users list, shared by its checkboxes, its bar and the bulk change.
/// Paging, sorting and page size keep it. The users page clears it when the search or a
/// filter changes, because the users it names would no longer be the ones in view.
#[derive(Clone, Copy)]
pub struct Selection {
    selected: RwSignal<Selected>,
}

impl Selection {
    pub fn new() -> Selection {
        Selection {
            selected: RwSignal::new(Selected::default()),
        }
    }

    /// Number of users selected; for a matching selection, an estimate from the list's total.
    pub fn count(&self) -> u64 {
        self.selected.with(|selected| match selected {
            Selected::Ids(ids) => ids.len() as u64,
            Selected::Matching {
                total, excluded, ..
            } => total.saturating_sub(excluded.len() as u64),
        })
    }

    pub fn is_selected(&self, id: i64) -> bool {
        self.selected.with(|selected| match selected {
            Selected::Ids(ids) => ids.contains(&id),
            Selected::Matching { excluded, .. } => !excluded.contains(&id),
        })
    }

    pub fn is_matching(&self) -> bool {
        self.selected
            .with(|selected| matches!(selected, Selected::Matching { .. }))
    }

    /// Number of users the filter of a matching selection matched last; `None` for users
    /// ticked one by one.
    pub fn matching_total(&self) -> Option<u64> {
        self.selected.with(|selected| match selected {
            Selected::Ids(_) => None,
            Selected::Matching { total, .. } => Some(*total),
        })
    }

    /// Ticks or unticks one user.
    pub fn set(&self, id: i64, is_ticked: bool) {
        self.set_many(&[id], is_ticked);
    }

    /// Ticks or unticks each user of `ids`, such as the users of one page.
    pub fn set_many(&self, ids: &[i64], is_ticked: bool) {
        self.selected.update(|selected| {
            let (set, add) = match selected {
                Selected::Ids(set) => (set, is_ticked),
                Selected::Matching { excluded, .. } => (excluded, !is_ticked),
            };
            for id in ids {
                if add {
                    set.insert(*id);
                } else {
                    set.remove(id);
                }
            }
        });
    }

    /// Returns how many of `ids` are selected, as the page checkbox shows it.
    pub fn page_selection(&self, ids: &[i64]) -> PageSelection {
        let ticked = ids.iter().filter(|id| self.is_selected(**id)).count();
        if ids.is_empty() || ticked == 0 {
            PageSelection::None
        } else if ticked == ids.len() {
            PageSelection::All
        } else {
            PageSelection::Some
        }
    }

    /// Selects every user that `filter` matches, across pages.
    pub fn select_matching(&self, filter: UserFilter, total: u64) {
        self.selected.set(Selected::Matching {
            filter,
            total,
            excluded: BTreeSet::new(),
        });
    }

    /// Updates the number of matching users after the list loaded again with the same filter.
    pub fn update_total(&self, new_total: u64) {
        self.selected.update(|selected| {
            if let Selected::Matching { total, .. } = selected
                && *total != new_total
            {
                *total = new_total;
            }
        });
    }

    pub fn clear(&self) {
        self.selected.set(Selected::default());
    }

    /// Returns the selection as a bulk request names it, and the users to leave out of the
    /// response: those unticked after selecting all matching users.
    pub fn to_request(&self) -> (BulkSelection, BTreeSet<i64>) {
        match self.selected.get_untracked() {
            Selected::Ids(ids) => (
                BulkSelection::Ids(ids.into_iter().collect()),
                BTreeSet::new(),
            ),
            Selected::Matching {
                filter, excluded, ..
            } => (BulkSelection::Matching(filter), excluded),
        }
    }
}

impl Default for Selection {
    fn default() -> Self {
        Selection::new()
    }
}

/// Renders the checkbox that selects one user, named after them.
#[component]
pub fn RowCheckbox(selection: Selection, id: i64, name: String) -> impl IntoView {
    view! {
        <input
            type="checkbox"
            class="select-checkbox"
            aria-label=format!("Select {name}")
            prop:checked=move || selection.is_selected(id)
            on:change=move |ev| selection.set(id, event_target_checked(&ev))
        />
    }
}

/// Renders the checkbox of the table's header, which selects or clears the users of the page
/// and shows whether all, some (mixed) or none of them are selected.
#[component]
pub fn PageCheckbox(selection: Selection, ids: Vec<i64>) -> impl IntoView {
    let ids = StoredValue::new(ids);
    let state = move || ids.with_value(|ids| selection.page_selection(ids));

    view! {
        <input
            type="checkbox"
            class="select-checkbox"
            id=PAGE_CHECKBOX_ID
            aria-label="Select all users on this page"
            prop:checked=move || state() == PageSelection::All
            prop:indeterminate=move || state() == PageSelection::Some
            on:change=move |ev| {
                let is_ticked = event_target_checked(&ev);
                ids.with_value(|ids| selection.set_many(ids, is_ticked));
            }
        />
    }
}

/// Renders the selection bar above the list: the count, Deactivate, Reactivate and Clear
/// selection, and once the whole page is ticked, the offer to select every matching user.
/// `page_ids` are the users shown and `total` the number matching `filter`.
#[component]
pub fn SelectionBar(
    selection: Selection,
    #[prop(into)] page_ids: Signal<Vec<i64>>,
    #[prop(into)] total: Signal<u64>,
    #[prop(into)] filter: Signal<UserFilter>,
    #[prop(into)] on_action: Callback<StatusAction>,
) -> impl IntoView {
    let count = move || selection.count();
    let is_page_ticked =
        move || page_ids.with(|ids| selection.page_selection(ids)) == PageSelection::All;
    let can_offer_matching = move || {
        !selection.is_matching() && is_page_ticked() && total.get() > page_ids.with(Vec::len) as u64
    };

    let matching_summary = move || {
        let total = selection.matching_total()?;
        let count = count();
        Some(if count == total {
            format!(
                "All {} users matching this view are selected.",
                format_count(total)
            )
        } else {
            format!(
                "{} of {} users matching this view are selected.",
                format_count(count),
                format_count(total)
            )
        })
    };

    // The live region stays in the page while nothing is selected, so that screen readers
    // announce the first count.
    view! {
        <div class="selection-bar" class:selection-bar-empty=move || count() == 0>
            <p class="selection-count" role="status">
                {move || (count() > 0).then(|| format!("{} selected", format_count(count())))}
            </p>
            <div class="selection-actions" hidden=move || count() == 0>
                <button
                    type="button"
                    class=BUTTON_DANGER
                    on:click=move |_| on_action.run(StatusAction::Deactivate)
                >
                    "Deactivate"
                </button>
                <button
                    type="button"
                    class=BUTTON_SECONDARY
                    on:click=move |_| on_action.run(StatusAction::Reactivate)
                >
                    "Reactivate"
                </button>
                <button
                    type="button"
                    id=CLEAR_BUTTON_ID
                    class=BUTTON_LINK
                    on:click=move |_| {
                        selection.clear();
                        // The bar's buttons hide, so focus goes to the page checkbox.
                        request_animation_frame(|| focus_element(PAGE_CHECKBOX_ID));
                    }
                >
                    "Clear selection"
                </button>
            </div>
            {move || {
                can_offer_matching()
                    .then(|| {
                        let page_text = format!("All {} users on this page are selected. ", page_ids.with(Vec::len));
                        if total.get() > BULK_STATUS_MAX_USERS as u64 {
                            // The backend takes at most this many users in one change.
                            let limit = format!(
                                "{} users match this view, and a bulk change can include up to {}: narrow the search or filters to select them all.",
                                format_count(total.get()),
                                format_count(BULK_STATUS_MAX_USERS as u64),
                            );
                            return view! { <p class="selection-offer">{page_text}{limit}</p> }.into_any();
                        }
                        view! {
                <p class="selection-offer">
                    {page_text}
                    <button
                        type="button"
                        class=BUTTON_LINK
                        on:click=move |_| {
                            selection.select_matching(filter.get_untracked(), total.get_untracked());
                            // The offer disappears, so focus goes to Clear selection, which undoes it.
                            request_animation_frame(|| focus_element(CLEAR_BUTTON_ID));
                        }
                    >
                        {move || format!("Select all {} users matching this view", format_count(total.get()))}
                    </button>
                </p>
                        }
                        .into_any()
                    })
            }}
            {move || matching_summary().map(|summary| view! { <p class="selection-offer">{summary}</p> })}
        </div>
    }
}
