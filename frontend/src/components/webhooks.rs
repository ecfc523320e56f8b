//! Coordinators: the institute's webhook endpoints (register with the events wanted, the secret
//! shown once, test, delete) and each endpoint's delivery log with redelivery.

use koppel_api_types::{
    WebhookCreatedResponse, WebhookDeliveryListResponse, WebhookDeliveryStatus, WebhookEvent,
    WebhookListResponse,
};
use uuid::Uuid;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::components::status::{Outcome, confirmed, empty, run, show};
use crate::hooks::{use_get, use_version};
use crate::i18n::Lang;
use crate::session::use_lang;

/// What the events are called in the list.
fn event_name(lang: Lang, event: WebhookEvent) -> &'static str {
    match event {
        WebhookEvent::RoundPhaseChanged => lang.t(
            "ronde naar een volgende fase",
            "round moved to another phase",
        ),
        WebhookEvent::InterviewProposalPublished => lang.t(
            "gespreksvoorstel gepubliceerd",
            "interview proposal published",
        ),
        WebhookEvent::CouplingPublished => lang.t("koppeling gepubliceerd", "coupling published"),
        WebhookEvent::ParticipantWithdrawn => {
            lang.t("deelnemer uitgevallen", "participant withdrawn")
        }
        WebhookEvent::LotteryDrawn => lang.t("loting getrokken", "lottery drawn"),
        WebhookEvent::LotteryOfferDecided => {
            lang.t("aanbod in de loting beslist", "lottery offer decided")
        }
        WebhookEvent::WebhookTest => lang.t("test", "test"),
    }
}

#[derive(Properties, PartialEq)]
pub struct WebhooksProps {
    /// The institute.
    pub institute: Uuid,
}

/// The webhooks section.
#[component]
pub fn Webhooks(props: &WebhooksProps) -> Html {
    let lang = use_lang();
    let (version, reload) = use_version();
    let base = format!("/institutes/{}/webhooks", props.institute);
    let list = use_get::<WebhookListResponse>(base.clone(), version);
    let outcome = use_state(Outcome::default);
    let secret = use_state(|| None::<String>);
    let url = use_node_ref();
    let description = use_node_ref();
    let chosen = use_state(|| {
        vec![
            WebhookEvent::RoundPhaseChanged,
            WebhookEvent::CouplingPublished,
        ]
    });
    let toggle = |event: WebhookEvent| {
        clone!(chosen);
        Callback::from(move |_: Event| {
            let mut events = (*chosen).clone();
            match events.iter().position(|e| *e == event) {
                Some(at) => {
                    events.remove(at);
                }
                None => events.push(event),
            }
            chosen.set(events);
        })
    };
    let onsubmit = {
        clone!(outcome, secret, url, description, chosen, reload, base);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let value = |node: &NodeRef| {
                node.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let body = serde_json::json!({
                "url": value(&url).trim(),
                "events": *chosen,
                "description": value(&description),
            });
            // A secret shown before belongs to another endpoint: it goes, whatever happens now.
            secret.set(None);
            clone!(secret, base);
            run(
                outcome.clone(),
                async move {
                    let created: WebhookCreatedResponse = api::post(&base, &body).await?;
                    secret.set(Some(created.secret));
                    Ok(())
                },
                lang.t("Webhook geregistreerd.", "Webhook registered.")
                    .to_owned(),
                reload.clone(),
            );
        })
    };
    let action =
        |path: String, done: &'static str, question: Option<String>, empty_answer: bool| {
            clone!(outcome, reload, secret);
            Callback::from(move |_: MouseEvent| {
                if question.as_ref().is_some_and(|q| !confirmed(q)) {
                    return;
                }
                // After a deletion the secret may be of the endpoint just deleted.
                if empty_answer {
                    secret.set(None);
                }
                let path = path.clone();
                run(
                    outcome.clone(),
                    async move {
                        if empty_answer {
                            api::delete::<()>(&path).await
                        } else {
                            api::post::<_, serde_json::Value>(&path, &serde_json::json!({}))
                                .await
                                .map(|_| ())
                        }
                    },
                    done.to_owned(),
                    reload.clone(),
                );
            })
        };
    let choices = WebhookEvent::ALL
        .into_iter()
        .filter(|e| *e != WebhookEvent::WebhookTest);
    html! {
        <section class="card" aria-labelledby="webhooks-title">
            <h1 id="webhooks-title">{ lang.t("Webhooks", "Webhooks") }</h1>
            <p class="muted">{ lang.t(
                "Laat een eigen systeem weten wat er gebeurt, in plaats van het te laten vragen. Een bericht bevat alleen ids en links, nooit rankings of veto's, en is ondertekend volgens Standard Webhooks.",
                "Tell one of your own systems what happens, instead of letting it ask. A message holds ids and links only, never rankings or vetoes, and is signed as Standard Webhooks describes.") }</p>
            { outcome.view(lang, &["url", "events", "description"]) }
            if let Some(secret) = secret.as_ref() {
                <label for="webhook-secret">{ lang.t("Ondertekeningsgeheim (alleen nu te zien; bewaar het in je systeem)", "Signing secret (shown only now; keep it in your system)") }</label>
                <input id="webhook-secret" type="text" readonly=true value={secret.clone()} data-testid="webhook-secret" />
            }
            <form {onsubmit} novalidate=true>
                <div class="field">
                    <label for="webhook-url">{ lang.t("Adres (https://)", "Address (https://)") }</label>
                    <input id="webhook-url" ref={url} type="url" required=true placeholder="https://rooster.example.nl/koppel" />
                    if let Some(message) = outcome.field("url") { <p class="field-error">{ message }</p> }
                </div>
                <fieldset>
                    <legend>{ lang.t("Berichten", "Events") }</legend>
                    { for choices.map(|event| {
                        let id = format!("webhook-event-{}", event.as_str().replace('.', "-"));
                        html! {
                            <label for={id.clone()} class="inline">
                                <input id={id} type="checkbox" checked={chosen.contains(&event)} onchange={toggle(event)} />
                                { event_name(lang, event) }
                            </label>
                        }
                    }) }
                    if let Some(message) = outcome.field("events") { <p class="field-error">{ message }</p> }
                </fieldset>
                <div class="field">
                    <label for="webhook-description">{ lang.t("Waarvoor (optioneel)", "What for (optional)") }</label>
                    <input id="webhook-description" ref={description} type="text" maxlength="200" />
                </div>
                <button type="submit" disabled={outcome.is_busy()}>{ lang.t("Webhook registreren", "Register webhook") }</button>
            </form>
            { show(lang, &list, |list| {
                if list.items.is_empty() { return empty(lang.t("Nog geen webhooks.", "No webhooks yet.")); }
                html! {
                    <ul class="plain cards" data-testid="webhooks">
                        { for list.items.iter().map(|w| {
                            let one = format!("{base}/{}", w.id);
                            let events = w.events.iter().map(|e| event_name(lang, *e)).collect::<Vec<_>>().join(", ");
                            html! {
                                <li key={w.id.to_string()} class="item column">
                                    <strong>{ w.url.clone() }</strong>
                                    <span class="muted">{ w.description.clone().unwrap_or_default() }</span>
                                    <span>{ events }</span>
                                    if w.failing > 0 {
                                        <span class="alert">{ format!("{} {}", w.failing, lang.t("bericht(en) nog niet aangekomen", "message(s) not arrived yet")) }</span>
                                    }
                                    <div class="actions">
                                        <button type="button" onclick={action(format!("{one}/test"), lang.t("Testbericht verstuurd.", "Test message sent."), None, false)}>{ lang.t("Testbericht", "Test message") }</button>
                                        <button type="button" class="danger" onclick={action(one.clone(), lang.t("Webhook verwijderd.", "Webhook deleted."),
                                            Some(lang.t("Deze webhook verwijderen? Er gaan geen berichten meer heen.", "Delete this webhook? No more messages go to it.").to_owned()), true)}>{ lang.t("Verwijderen", "Delete") }</button>
                                    </div>
                                    <details>
                                        <summary>{ lang.t("Verzonden berichten", "Messages sent") }</summary>
                                        <Deliveries path={one} version={version} />
                                    </details>
                                </li>
                            }
                        }) }
                    </ul>
                }
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct DeliveriesProps {
    path: String,
    version: u32,
}

/// One endpoint's log, with a redeliver button per message.
#[component]
fn Deliveries(props: &DeliveriesProps) -> Html {
    let lang = use_lang();
    let (own, reload) = use_version();
    let log = use_get::<WebhookDeliveryListResponse>(
        format!("{}/deliveries", props.path),
        props.version + own,
    );
    let outcome = use_state(Outcome::default);
    html! {
        <>
            { outcome.view(lang, &[]) }
            { show(lang, &log, |log| {
                if log.items.is_empty() { return empty(lang.t("Nog geen berichten.", "No messages yet.")); }
                html! {
                    <ul class="plain">
                        { for log.items.iter().map(|d| {
                            let state = match d.status {
                                WebhookDeliveryStatus::Delivered => lang.t("aangekomen", "arrived"),
                                WebhookDeliveryStatus::Pending if d.attempts == 0 => lang.t("wacht op verzending", "waiting to be sent"),
                                WebhookDeliveryStatus::Pending => lang.t("wacht op een nieuwe poging", "waiting for another attempt"),
                                WebhookDeliveryStatus::Failed => lang.t("niet aangekomen", "did not arrive"),
                            };
                            let path = format!("{}/deliveries/{}/redeliver", props.path, d.id);
                            let again = {
                                clone!(outcome, reload);
                                Callback::from(move |_: MouseEvent| {
                                    let path = path.clone();
                                    run(outcome.clone(), async move { api::post::<_, ()>(&path, &serde_json::json!({})).await },
                                        lang.t("Opnieuw in de wachtrij.", "Queued again.").to_owned(), reload.clone());
                                })
                            };
                            html! {
                                <li key={d.id.to_string()}>
                                    { format!("{} · {} · {state} ({} {})", lang.moment(d.created_at), event_name(lang, d.event), d.attempts, lang.t("pogingen", "attempts")) }
                                    if let Some(error) = &d.last_error { <span class="muted">{ format!(" · {error}") }</span> }
                                    { " " }
                                    <button type="button" onclick={again}>{ lang.t("Opnieuw versturen", "Send again") }</button>
                                </li>
                            }
                        }) }
                    </ul>
                }
            }) }
        </>
    }
}
