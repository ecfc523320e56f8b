//! A labelled input with its error message, wired for screen readers.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Properties of [`Field`].
#[derive(Properties, PartialEq)]
pub struct FieldProps {
    /// Element id (also ties the label and the error to the input).
    pub id: AttrValue,
    /// Visible label.
    pub label: AttrValue,
    /// `type` of the input.
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    /// `autocomplete` hint.
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    /// Current value.
    pub value: AttrValue,
    /// Called with the new value on every keystroke.
    pub on_change: Callback<String>,
    /// Help text below the input.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Error to show below the input.
    #[prop_or_default]
    pub error: Option<String>,
}

/// The ids of a field's error and hint, and which one describes the input.
fn described(
    id: &str,
    error: &Option<String>,
    hint: &Option<AttrValue>,
) -> (String, String, Option<String>) {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = match (error, hint) {
        (Some(_), _) => Some(error_id.clone()),
        (None, Some(_)) => Some(hint_id.clone()),
        (None, None) => None,
    };
    (error_id, hint_id, described_by)
}

/// A labelled input.
#[component]
pub fn Field(props: &FieldProps) -> Html {
    let on_change = props.on_change.clone();
    let oninput = Callback::from(move |event: InputEvent| {
        on_change.emit(event.target_unchecked_into::<HtmlInputElement>().value());
    });
    let (error_id, hint_id, described_by) = described(&props.id, &props.error, &props.hint);
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <input
                id={props.id.clone()}
                name={props.id.clone()}
                type={props.kind.clone()}
                autocomplete={props.autocomplete.clone()}
                value={props.value.clone()}
                {oninput}
                required=true
                aria-invalid={props.error.is_some().then_some("true")}
                aria-describedby={described_by}
            />
            if let Some(hint) = &props.hint {
                <p id={hint_id} class="muted">{ hint.clone() }</p>
            }
            if let Some(error) = &props.error {
                <p id={error_id} class="field-error">{ error.clone() }</p>
            }
        </div>
    }
}

/// Properties of [`TextArea`].
#[derive(Properties, PartialEq)]
pub struct TextAreaProps {
    /// Element id.
    pub id: AttrValue,
    /// Visible label.
    pub label: AttrValue,
    /// Current value.
    pub value: AttrValue,
    /// Called with the new value on every keystroke.
    pub on_change: Callback<String>,
    /// Help text below the input.
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Error to show below the input.
    #[prop_or_default]
    pub error: Option<String>,
    /// Visible lines.
    #[prop_or(5)]
    pub rows: u32,
}

/// A labelled multi-line input.
#[component]
pub fn TextArea(props: &TextAreaProps) -> Html {
    let on_change = props.on_change.clone();
    let oninput = Callback::from(move |event: InputEvent| {
        on_change.emit(
            event
                .target_unchecked_into::<web_sys::HtmlTextAreaElement>()
                .value(),
        );
    });
    let (error_id, hint_id, described_by) = described(&props.id, &props.error, &props.hint);
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <textarea id={props.id.clone()} name={props.id.clone()} rows={props.rows.to_string()}
                value={props.value.clone()} {oninput}
                aria-invalid={props.error.is_some().then_some("true")}
                aria-describedby={described_by} />
            if let Some(hint) = &props.hint {
                <p id={hint_id} class="muted">{ hint.clone() }</p>
            }
            if let Some(error) = &props.error {
                <p id={error_id} class="field-error">{ error.clone() }</p>
            }
        </div>
    }
}
