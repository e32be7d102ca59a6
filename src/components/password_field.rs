//! The new-password input of the set-password page, with a button that shows the password
//! as plain text. Pasting is left to the browser, so password managers can fill it in.

use leptos::prelude::*;

use crate::components::text_field::{FieldError, error_id, field_id};

/// Renders a labelled password input bound to `value`, with its error and a show/hide button.
#[component]
pub fn PasswordField(
    /// JSON field name; the input's id is `field-<name>`.
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    /// Id of the element that lists the password rules, read after the label.
    rules_id: &'static str,
) -> impl IntoView {
    let (is_shown, set_is_shown) = signal(false);

    let has_error = move || error.with(Option::is_some);
    let described_by = move || match has_error() {
        true => format!("{} {rules_id}", error_id(name)),
        false => rules_id.to_owned(),
    };

    view! {
        <div class="field" class:field-invalid=has_error>
            <label class="field-label" for=field_id(name)>
                {label}
            </label>
            <FieldError name error />
            <div class="password-input">
                <input
                    class="input"
                    id=field_id(name)
                    name=name
                    type=move || if is_shown.get() { "text" } else { "password" }
                    autocomplete="new-password"
                    autocapitalize="off"
                    spellcheck="false"
                    aria-required="true"
                    aria-invalid=move || has_error().then_some("true")
                    aria-describedby=described_by
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
                <button
                    type="button"
                    class="password-toggle"
                    aria-controls=field_id(name)
                    aria-pressed=move || if is_shown.get() { "true" } else { "false" }
                    on:click=move |_| set_is_shown.update(|shown| *shown = !*shown)
                >
                    "Show password"
                </button>
            </div>
        </div>
    }
}
