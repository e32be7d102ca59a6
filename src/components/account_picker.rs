//! The accounts fieldset of the add-user form: one checkbox per account, at least one needed.

use domain::{Account, field};
use leptos::prelude::*;

use crate::components::role_picker::toggle;
use crate::components::text_field::{FieldError, error_id, field_id};

/// Checkboxes for `accounts`, bound to the ids in `selected`, with the field's error.
#[component]
pub fn AccountPicker(
    accounts: Vec<Account>,
    selected: RwSignal<Vec<i64>>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let has_error = Signal::derive(move || error.with(Option::is_some));
    let options = accounts
        .into_iter()
        .enumerate()
        .map(|(index, account)| {
            view! { <AccountOption account is_first=index == 0 selected has_error /> }
        })
        .collect_view();

    view! {
        <fieldset
            class="fieldset"
            class:field-invalid=has_error
            aria-describedby=move || has_error.get().then(|| error_id(field::ACCOUNT_IDS))
        >
            <legend class="fieldset-legend">"Accounts"</legend>
            <p class="field-hint">"Select at least one account this user can work with."</p>
            <FieldError name=field::ACCOUNT_IDS error />
            <div class="checkbox-list">{options}</div>
        </fieldset>
    }
}

#[component]
fn AccountOption(
    account: Account,
    is_first: bool,
    selected: RwSignal<Vec<i64>>,
    has_error: Signal<bool>,
) -> impl IntoView {
    let input_id = if is_first {
        field_id(field::ACCOUNT_IDS)
    } else {
        format!("account-{}", account.id)
    };
    let account_id = account.id;

    view! {
        <div class="checkbox">
            <input
                type="checkbox"
                id=input_id.clone()
                name="account_ids"
                value=account_id.to_string()
                aria-invalid=move || has_error.get().then_some("true")
                prop:checked=move || selected.with(|ids| ids.contains(&account_id))
                on:change=move |ev| {
                    let is_ticked = event_target_checked(&ev);
                    selected.update(|ids| toggle(ids, &account_id, is_ticked));
                }
            />
            <label for=input_id>{format!("{} – {}", account.number, account.name)}</label>
        </div>
    }
}
