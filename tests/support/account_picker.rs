//! Helpers for the account picker of the user forms: searching it, picking options and
//! reading the selected accounts from its chips.

use super::{attribute, click, find, find_all, type_into, wait_until};

/// The combobox input of the picker.
pub const INPUT: &str = "#field-account_ids";

/// Returns the selector of the option of the account `id`.
pub fn option(id: i64) -> String {
    format!("#account-option-{id}")
}

/// Returns the selector of the remove button of the chip of the account `id`.
pub fn chip_remove(id: i64) -> String {
    format!("#account-chip-remove-{id}")
}

/// Ids of the accounts whose options are in the DOM, in their order.
pub fn option_ids() -> Vec<i64> {
    find_all("#account-listbox [role=option]")
        .iter()
        .filter_map(|option| option.id().strip_prefix("account-option-")?.parse().ok())
        .collect()
}

/// Ids of the selected accounts, in the order of their chips.
pub fn selected_ids() -> Vec<i64> {
    find_all(".chip-remove")
        .iter()
        .filter_map(|button| {
            button
                .id()
                .strip_prefix("account-chip-remove-")?
                .parse()
                .ok()
        })
        .collect()
}

/// Returns whether the popup of options shows.
pub fn is_open() -> bool {
    attribute(INPUT, "aria-expanded").as_deref() == Some("true")
}

/// Types `search` into the picker and waits until the options show its matches.
pub async fn search_accounts(search: &str) {
    type_into(INPUT, search);
    wait_until(&format!("the options answer {search:?}"), || {
        let summary = find(".combobox-summary")
            .and_then(|summary| summary.text_content())
            .unwrap_or_default();
        summary.contains(&format!("\u{201c}{}\u{201d}", search.trim()))
    })
    .await;
}

/// Searches for `search`, then selects the account `id` among the options with the pointer.
pub async fn pick_account(search: &str, id: i64) {
    search_accounts(search).await;
    wait_until(&format!("account {id} is an option"), || {
        find(&option(id)).is_some()
    })
    .await;
    if attribute(&option(id), "aria-selected").as_deref() != Some("true") {
        click(&option(id));
    }
    wait_until(&format!("account {id} is selected"), || {
        selected_ids().contains(&id)
    })
    .await;
}
