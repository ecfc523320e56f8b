//! How far the participants are with each step, with reminders; and the round's audit log.

use koppel_api_types::{AuditLogResponse, ProgressResponse, ReminderRequest, ReminderResponse};
use yew::prelude::*;

use crate::api::{self};
use crate::components::status::{Outcome, empty, show};
use crate::hooks::{use_get, use_version};
use crate::i18n::Lang;
use crate::session::use_lang;

use super::VersionedProps;

pub(super) fn step_name(lang: Lang, step: &str) -> &'static str {
    match step {
        "activation" => lang.t("Account geactiveerd", "Account activated"),
        "profiles" => lang.t("Profiel ingevuld", "Profile filled in"),
        "preferences" => lang.t("Voorkeuren opgegeven", "Preferences submitted"),
        "final_ranking" => lang.t("Definitieve rangorde", "Final ranking"),
        _ => lang.t("Stap", "Step"),
    }
}

#[component]
pub(super) fn Progress(props: &VersionedProps) -> Html {
    let lang = use_lang();
    let (own, reload) = use_version();
    let progress = use_get::<ProgressResponse>(
        format!("/rounds/{}/progress", props.round),
        props.version.wrapping_add(own),
    );
    let outcome = use_state(Outcome::default);
    let round = props.round;
    html! {
        <section class="card" id="progress" aria-labelledby="progress-title">
            <h2 id="progress-title">{ lang.t("Voortgang", "Progress") }</h2>
            { outcome.view(lang, &[]) }
            { show(lang, &progress, |p| html! {
                <div class="steps">
                    { for p.steps.iter().map(|step| {
                        let remind = {
                            let (outcome, reload, step) = (outcome.clone(), reload.clone(), step.step.clone());
                            Callback::from(move |_: MouseEvent| {
                                let request = ReminderRequest { step: step.clone() };
                                let outcome2 = outcome.clone();
                                let reload = reload.clone();
                                wasm_bindgen_futures::spawn_local(async move {
                                    match api::post::<_, ReminderResponse>(&format!("/rounds/{round}/reminders"), &request).await {
                                        Ok(r) => { outcome2.set(Outcome::Done(match lang { Lang::Nl => format!("{} herinneringen verstuurd.", r.sent), Lang::En => format!("{} reminders sent.", r.sent) })); reload.emit(()); }
                                        Err(e) => outcome2.set(Outcome::Failed(e)),
                                    }
                                });
                            })
                        };
                        let total = step.done.len() + step.not_done.len();
                        html! {
                            <div class="step" key={step.step.clone()}>
                                <h3>{ step_name(lang, &step.step) }</h3>
                                <p>
                                    <meter min="0" max={total.max(1).to_string()} value={step.done.len().to_string()} aria-hidden="true"></meter>
                                    { format!(" {}/{} {}", step.done.len(), total, lang.t("klaar", "done")) }
                                    if let Some(deadline) = step.deadline { { format!(" · deadline {}", lang.date(deadline)) } }
                                </p>
                                if !step.not_done.is_empty() {
                                    <details>
                                        <summary>{ format!("{} ({})", lang.t("Nog niet klaar", "Not done yet"), step.not_done.len()) }</summary>
                                        <ul>{ for step.not_done.iter().map(|p| html! { <li key={p.id.to_string()}>{ p.name.clone() }</li> }) }</ul>
                                    </details>
                                    <button type="button" disabled={outcome.is_busy()} onclick={remind}>{ lang.t("Stuur herinnering", "Send reminder") }</button>
                                }
                            </div>
                        }
                    }) }
                </div>
            }) }
        </section>
    }
}

#[component]
pub(super) fn Audit(props: &VersionedProps) -> Html {
    let lang = use_lang();
    let audit =
        use_get::<AuditLogResponse>(format!("/rounds/{}/audit", props.round), props.version);
    html! {
        <section class="card" id="audit" aria-labelledby="audit-title">
            <h2 id="audit-title">{ lang.t("Logboek", "Audit log") }</h2>
            { show(lang, &audit, |list| {
                if list.items.is_empty() { return empty(lang.t("Nog niets gebeurd.", "Nothing happened yet.")); }
                html! {
                    <ol class="audit">{ for list.items.iter().map(|e| html! {
                        <li><time datetime={e.created_at.to_rfc3339()}>{ lang.moment(e.created_at) }</time>{ " " }<code>{ e.action.clone() }</code>{ " " }{ e.summary.clone() }</li>
                    }) }</ol>
                }
            }) }
        </section>
    }
}
