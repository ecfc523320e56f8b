//! A team's message to its own side of a round: the A-team to the trainees, the O-team to the
//! trainers (an administrator chooses), in Dutch and optionally in English.

use koppel_api_types::{MessageAudience, Role, RoundMessageRequest, RoundMessageResponse};
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self, ClientError};
use crate::components::field::{Field, TextArea};
use crate::session::use_lang;

/// Props: the round and who writes.
#[derive(Properties, PartialEq)]
pub struct RoundMessageProps {
    /// Round id.
    pub round: Uuid,
    /// The writer's role.
    pub role: Role,
    /// Called after a message was queued (the audit log changes).
    pub on_sent: Callback<()>,
}

/// The message form.
#[component]
pub fn RoundMessage(props: &RoundMessageProps) -> Html {
    let lang = use_lang();
    let texts = lang.texts();
    let own = match props.role {
        Role::TraineeTeam => Some(MessageAudience::Trainees),
        Role::TrainerTeam => Some(MessageAudience::Trainers),
        _ => None,
    };
    let audience = use_state(|| own.unwrap_or(MessageAudience::Trainees));
    let subject = use_state(String::new);
    let body = use_state(String::new);
    let subject_en = use_state(String::new);
    let body_en = use_state(String::new);
    let error = use_state(|| None::<ClientError>);
    let sent = use_state(|| None::<RoundMessageResponse>);
    let busy = use_state(|| false);

    let onsubmit = {
        clone!(
            audience, subject, body, subject_en, body_en, error, sent, busy
        );
        let (round, on_sent) = (props.round, props.on_sent.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let optional = |text: &str| (!text.trim().is_empty()).then(|| text.to_owned());
            let request = RoundMessageRequest {
                audience: if own.is_some() { None } else { Some(*audience) },
                subject: (*subject).clone(),
                body: (*body).clone(),
                subject_en: optional(&subject_en),
                body_en: optional(&body_en),
            };
            clone!(
                subject, body, subject_en, body_en, error, sent, busy, on_sent
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result: Result<RoundMessageResponse, _> =
                    api::post(&format!("/rounds/{round}/messages"), &request).await;
                busy.set(false);
                match result {
                    Ok(done) => {
                        error.set(None);
                        for field in [&subject, &body, &subject_en, &body_en] {
                            field.set(String::new());
                        }
                        sent.set(Some(done));
                        on_sent.emit(());
                    }
                    Err(failure) => {
                        sent.set(None);
                        error.set(Some(failure));
                    }
                }
            });
        })
    };
    let field = |name: &str| error.as_ref().and_then(|error| error.field(name));
    let general = error
        .as_ref()
        .filter(|error| {
            ["subject", "body", "subject_en", "body_en"]
                .iter()
                .all(|name| error.field(name).is_none())
        })
        .map(|error| error.message(texts));
    let set = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |value: String| handle.set(value))
    };
    let side = |audience: MessageAudience| match audience {
        MessageAudience::Trainees => lang.t("de aios van deze ronde", "the trainees of this round"),
        MessageAudience::Trainers => {
            lang.t("de opleiders van deze ronde", "the trainers of this round")
        }
    };
    html! {
        <section class="card" id="message" aria-labelledby="message-title">
            <h2 id="message-title">{ lang.t("Bericht sturen", "Send a message") }</h2>
            <p class="muted">{ match own {
                Some(audience) => format!("{} {}.", lang.t("Je bericht gaat per mail naar", "Your message is mailed to"), side(audience)),
                None => lang.t("Kies wie het bericht krijgt.", "Choose who gets the message.").to_owned(),
            } }{ " " }{ lang.t("Wie Engels heeft gekozen, krijgt de Engelse tekst als je die schrijft.", "Whoever chose English gets the English text if you write it.") }</p>
            if let Some(done) = &*sent {
                <p class="success" role="status" data-testid="message-sent">{
                    lang.t("Verstuurd aan {n}.", "Sent to {n}.").replace("{n}", &format!("{} ({})", done.sent, side(done.audience)))
                }</p>
            }
            if let Some(message) = general {
                <div class="alert" role="alert">{ message }</div>
            }
            <form {onsubmit} novalidate=true>
                if own.is_none() {
                    <div class="field">
                        <label for="audience">{ lang.t("Aan", "To") }</label>
                        <select id="audience" onchange={
                            let audience = audience.clone();
                            Callback::from(move |event: Event| {
                                let target: web_sys::HtmlSelectElement = event.target_unchecked_into();
                                audience.set(if target.value() == "trainers" { MessageAudience::Trainers } else { MessageAudience::Trainees });
                            })
                        }>
                            <option value="trainees" selected={*audience == MessageAudience::Trainees}>{ side(MessageAudience::Trainees) }</option>
                            <option value="trainers" selected={*audience == MessageAudience::Trainers}>{ side(MessageAudience::Trainers) }</option>
                        </select>
                    </div>
                }
                <Field id="subject" label={lang.t("Onderwerp", "Subject")} kind="text"
                    value={(*subject).clone()} on_change={set(&subject)} error={field("subject")} />
                <TextArea id="body" label={lang.t("Bericht", "Message")}
                    value={(*body).clone()} on_change={set(&body)} error={field("body")} />
                <details>
                    <summary>{ lang.t("Ook in het Engels (optioneel)", "Also in English (optional)") }</summary>
                    <Field id="subject_en" label={lang.t("Onderwerp (Engels)", "Subject (English)")} kind="text"
                        value={(*subject_en).clone()} on_change={set(&subject_en)} error={field("subject_en")} />
                    <TextArea id="body_en" label={lang.t("Bericht (Engels)", "Message (English)")}
                        value={(*body_en).clone()} on_change={set(&body_en)} error={field("body_en")} />
                </details>
                <button class="primary" type="submit" disabled={*busy}>{ lang.t("Versturen", "Send") }</button>
            </form>
        </section>
    }
}
