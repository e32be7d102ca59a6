//! The labelled text input used by every form: label above, then hint and error, wired to the
//! input through `aria-describedby`.

use leptos::ev::FocusEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlButtonElement;

/// Id of the input of a field, which error links and labels point at.
pub fn field_id(name: &str) -> String {
    format!("field-{name}")
}

/// Id of the element that shows a field's error.
pub fn error_id(name: &str) -> String {
    format!("{name}-error")
}

/// Id of the element that shows a field's hint.
pub fn hint_id(name: &str) -> String {
    format!("{name}-hint")
}

/// Renders a labelled `<input>` bound to `value`, with `error` beside it.
#[component]
pub fn TextField(
    /// JSON field name; the input's id is `field-<name>`.
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: Option<&'static str>,
    /// `type` attribute; `text` when not given.
    #[prop(optional)]
    input_type: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// Adds "(optional)" to the label.
    #[prop(optional)]
    is_optional: bool,
    /// Id of an extra element describing the input while it shows no error, such as a live
    /// status, which may repeat the error's message.
    #[prop(optional)]
    status_id: Option<&'static str>,
    /// Called after each keystroke, once `value` contains the new text.
    #[prop(optional, into)]
    on_input: Option<Callback<()>>,
    /// Called when the input loses focus after something was typed into it, or while it
    /// shows an error. Tabbing through an untouched form, as keyboard and screen-reader
    /// users do to learn it, so reports nothing: the submit reports empty required fields.
    #[prop(optional, into)]
    on_blur: Option<Callback<()>>,
    /// Shown below the input.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let (is_typed_into, set_is_typed_into) = signal(false);

    let has_error = move || error.with(Option::is_some);
    let described_by = move || {
        let ids = [
            hint.map(|_| hint_id(name)),
            has_error().then(|| error_id(name)),
            status_id.filter(|_| !has_error()).map(str::to_owned),
        ];
        let joined = ids.into_iter().flatten().collect::<Vec<_>>().join(" ");
        (!joined.is_empty()).then_some(joined)
    };

    view! {
        <div class="field" class:field-invalid=has_error>
            <label class="field-label" for=field_id(name)>
                {label}
                {is_optional.then(|| view! { <span class="field-optional">" (optional)"</span> })}
            </label>
            {hint.map(|hint| view! { <p class="field-hint" id=hint_id(name)>{hint}</p> })}
            <FieldError name error />
            <input
                class="input"
                id=field_id(name)
                name=name
                type=input_type.unwrap_or("text")
                autocomplete=autocomplete
                aria-required=(!is_optional).then_some("true")
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    set_is_typed_into.set(true);
                    if let Some(on_input) = on_input {
                        on_input.run(());
                    }
                }
                on:blur=move |ev| {
                    let has_input_or_error = is_typed_into.get_untracked()
                        || error.with_untracked(Option::is_some);
                    if let Some(on_blur) = on_blur
                        && has_input_or_error
                        && !is_moving_to_submit(&ev)
                    {
                        on_blur.run(());
                    }
                }
            />
            {children.map(|children| children())}
        </div>
    }
}

/// Returns whether focus leaves the field for a submit button.
///
/// The blur check is skipped in that case. Its error would push the button down between
/// mousedown and mouseup, so the click would miss it. The submit checks every field anyway.
// NOTE: Safari does not focus buttons on click, so there the blur check still runs.
fn is_moving_to_submit(ev: &FocusEvent) -> bool {
    ev.related_target()
        .and_then(|target| target.dyn_into::<HtmlButtonElement>().ok())
        .is_some_and(|button| button.type_() == "submit")
}

/// Renders the error message of a field, with the id that the field's `aria-describedby` names.
#[component]
pub fn FieldError(
    name: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! {
                <p class="field-error" id=error_id(name)>
                    <span class="visually-hidden">"Error: "</span>
                    {message}
                </p>
            }
        })
    }
}
