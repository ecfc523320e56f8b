//! Vetoes: a participant declares a personal tie with someone of the other side.

use koppel_api_types::{MyInterviewsResponse, RankableTrainerListResponse, VetoRequest};
use uuid::Uuid;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::api;
use crate::components::field::TextArea;
use crate::components::status::{Outcome, confirmed, error_box, loading};
use crate::components::veto::REFUSED;
use crate::hooks::use_get;
use crate::i18n::Lang;
use crate::session::use_lang;

use super::SideProps;

/// The categories of the veto form that are grounds for a veto; those the policy refuses are
/// [`REFUSED`].
pub(super) const ALLOWED: [(&str, &str, &str); 1] = [(
    "personal_relationship",
    "Persoonlijke relatie (familie, eigen huisarts, andere persoonlijke band)",
    "Personal relationship (family, own GP, other personal tie)",
)];

/// Why a refused category is no ground for a veto, in the user's language.
pub(super) fn refused_policy(lang: Lang, category: &str) -> Option<String> {
    let (_, nl, en) = REFUSED.iter().find(|(value, ..)| *value == category)?;
    let reason = lang.t(nl, en);
    Some(match (lang, category) {
        (Lang::Nl, "travel_time") => "Reistijd is geen grond voor een veto: aios worden geplaatst op een opleidingslocatie met haar regio, de opleidingspraktijken liggen verspreid over die regio en van aios wordt verwacht dat ze over een (lease)auto beschikken.".to_owned(),
        (Lang::En, "travel_time") => "Travel time is no ground for a veto: trainees are placed at a training location with its region, the training practices lie throughout that region, and trainees are expected to have a (lease) car.".to_owned(),
        (Lang::Nl, _) => format!("{reason} is geen grond voor een veto: de opleiding verwelkomt iedere aios ongeacht geloof, politieke voorkeur, huidskleur, migratieachtergrond, seksuele geaardheid of gender, en verwacht dat opleiders dit beleid uitvoeren."),
        (Lang::En, _) => format!("{reason} is no ground for a veto: the training welcomes every trainee regardless of religion, political preference, skin colour, migration background, sexual orientation or gender, and expects trainers to apply this policy."),
    })
}

/// Declare a veto; the form explains which reasons count and which never do.
#[component]
pub(super) fn Veto(props: &SideProps) -> Html {
    let lang = use_lang();
    let trainee = props.trainee;
    let counterparts_path = if trainee {
        format!("/rounds/{}/rankable-trainers", props.round)
    } else {
        format!("/rounds/{}/interviews/mine", props.round)
    };
    let loaded = use_get::<serde_json::Value>(counterparts_path, 0);
    let counterpart = use_state(String::new);
    let category = use_state(|| "personal_relationship".to_owned());
    let relationship = use_state(|| "family".to_owned());
    let note = use_state(String::new);
    let outcome = use_state(Outcome::default);
    let options: Vec<(String, String)> = match &loaded {
        Some(Ok(value)) if trainee => {
            serde_json::from_value::<RankableTrainerListResponse>((**value).clone())
                .map(|l| {
                    l.items
                        .into_iter()
                        .map(|t| (t.trainer_id.to_string(), t.name))
                        .collect()
                })
                .unwrap_or_default()
        }
        Some(Ok(value)) => serde_json::from_value::<MyInterviewsResponse>((**value).clone())
            .map(|l| {
                l.items
                    .into_iter()
                    .map(|i| (i.trainee_id.to_string(), i.name))
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    match &loaded {
        None => return html! { <section class="card">{ loading(lang) }</section> },
        Some(Err(error)) => {
            return html! { <section class="card">{ error_box(lang, error) }</section> };
        }
        Some(Ok(_)) if options.is_empty() => return html! {},
        Some(Ok(_)) => {}
    }
    let onsubmit = {
        clone!(counterpart, category, relationship, note, outcome);
        let round = props.round;
        let options = options.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let chosen = if counterpart.is_empty() {
                options.first().map(|o| o.0.clone()).unwrap_or_default()
            } else {
                (*counterpart).clone()
            };
            let Ok(counterpart_id) = chosen.parse::<Uuid>() else {
                return;
            };
            // A refused reason goes to the API, which explains the policy; an allowed one is
            // asked once more, since a veto cannot be taken back.
            let name = options
                .iter()
                .find(|o| o.0 == chosen)
                .map(|o| o.1.clone())
                .unwrap_or_default();
            if *category == "personal_relationship" {
                let question = match lang {
                    Lang::Nl => format!(
                        "Een veto vastleggen voor {name}? Jullie worden dan niet aan elkaar gekoppeld; een veto kun je niet intrekken."
                    ),
                    Lang::En => format!(
                        "Declare a veto for {name}? You will then not be coupled to each other; a veto cannot be withdrawn."
                    ),
                };
                if !confirmed(&question) {
                    return;
                }
            }
            if outcome.is_busy() {
                return;
            }
            outcome.set(Outcome::Busy);
            let request = VetoRequest {
                counterpart_id,
                category: (*category).clone(),
                relationship: (*category == "personal_relationship")
                    .then(|| (*relationship).clone()),
                note: (!note.trim().is_empty()).then(|| (*note).clone()),
            };
            let outcome = outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<_, serde_json::Value>(
                    &format!("/rounds/{round}/vetoes"),
                    &request,
                )
                .await
                {
                    Ok(_) => outcome.set(Outcome::Done(
                        lang.t(
                            "Je veto is vastgelegd. Jullie worden niet aan elkaar gekoppeld.",
                            "Your veto has been recorded. You will not be coupled to each other.",
                        )
                        .to_owned(),
                    )),
                    Err(error) => outcome.set(Outcome::Failed(error)),
                }
            });
        })
    };
    let select = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: Event| {
            state.set(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    html! {
        <section class="card" aria-labelledby="veto-title">
            <h2 id="veto-title">{ lang.t("Veto", "Veto") }</h2>
            <p class="muted">{ lang.t(
                "Een veto voorkomt een koppeling alleen bij een persoonlijke relatie: familie, je eigen huisarts of een andere persoonlijke band. Reistijd, geloof, politieke voorkeur, huidskleur, migratieachtergrond, seksuele geaardheid en gender zijn nooit een grond voor een veto. Een eerdere opleider (jaar 1) wordt automatisch uitgesloten.",
                "A veto prevents a coupling only for a personal relationship: family, your own GP or another personal tie. Travel time, religion, political preference, skin colour, migration background, sexual orientation and gender are never grounds for a veto. A previous (year-1) trainer is excluded automatically.") }</p>
            <form {onsubmit}>
                <div class="field">
                    <label for="veto-counterpart">{ if trainee { lang.t("Opleider", "Trainer") } else { lang.t("Aios", "Trainee") } }</label>
                    <select id="veto-counterpart" onchange={select(&counterpart)}>
                        { for options.iter().map(|(id, name)| html! { <option value={id.clone()} selected={*counterpart == *id}>{ name.clone() }</option> }) }
                    </select>
                </div>
                <div class="field">
                    <label for="veto-category">{ lang.t("Reden", "Reason") }</label>
                    <select id="veto-category" onchange={select(&category)} aria-invalid={outcome.field("category").is_some().then_some("true")}
                        aria-describedby={outcome.field("category").map(|_| "veto-category-error")}>
                        <optgroup label={lang.t("Toegestaan", "Allowed")}>
                            { for ALLOWED.iter().map(|(value, nl, en)| html! { <option value={*value} selected={*category == *value}>{ lang.t(nl, en) }</option> }) }
                        </optgroup>
                        <optgroup label={lang.t("Niet toegestaan", "Not allowed")}>
                            { for REFUSED.iter().map(|(value, nl, en)| html! { <option value={*value} selected={*category == *value}>{ lang.t(nl, en) }</option> }) }
                        </optgroup>
                    </select>
                    if let Some(error) = outcome.field("category") {
                        <p id="veto-category-error" class="field-error" role="alert" data-testid="veto-error">{ refused_policy(lang, &category).unwrap_or(error) }</p>
                    }
                </div>
                if *category == "personal_relationship" {
                    <div class="field">
                        <label for="veto-relationship">{ lang.t("Soort relatie", "Kind of relationship") }</label>
                        <select id="veto-relationship" onchange={select(&relationship)}>
                            <option value="family" selected={*relationship == "family"}>{ lang.t("Familie", "Family") }</option>
                            <option value="own_gp" selected={*relationship == "own_gp"}>{ lang.t("Eigen huisarts", "Own GP") }</option>
                            <option value="other_personal_tie" selected={*relationship == "other_personal_tie"}>{ lang.t("Andere persoonlijke band", "Other personal tie") }</option>
                        </select>
                    </div>
                }
                <TextArea id="veto-note" label={lang.t("Toelichting (optioneel)", "Note (optional)")} rows={2} value={(*note).clone()}
                    on_change={let note = note.clone(); Callback::from(move |v: String| note.set(v))} />
                { outcome.view(lang, &["category"]) }
                <button type="submit" disabled={outcome.is_busy()}>{ lang.t("Veto vastleggen", "Declare veto") }</button>
            </form>
        </section>
    }
}
