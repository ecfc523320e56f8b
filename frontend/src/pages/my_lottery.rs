//! Candidates of the national placement lottery: their own outcome, their lottery number and
//! public pseudonym, and the answer to a second-chance offer.

use koppel_api_types::{MyLotteryOutcome, MyLotteryResponse, OfferDecisionRequest};
use yew::prelude::*;

use crate::api;
use crate::components::status::{Outcome, confirmed, empty, run, show};
use crate::hooks::{use_get, use_version};
use crate::i18n::Lang;
use crate::session::{SessionHandle, signed_in, use_lang};

/// Candidates: their own outcome and offer.
#[component]
pub fn MyLotteryPage() -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let (version, reload) = use_version();
    let mine = use_get::<MyLotteryResponse>("/me/lottery".to_owned(), version);
    signed_in(&session, |_| {
        html! {
            <section class="card" aria-labelledby="my-lottery-title">
                <h1 id="my-lottery-title">{ lang.t("Je plaatsingsloting", "Your placement lottery") }</h1>
                { show(lang, &mine, |list| {
                    if list.items.is_empty() {
                        return empty(lang.t("Je doet (nog) niet mee aan een loting.", "You are not in a lottery (yet)."));
                    }
                    html! { { for list.items.iter().map(|o| html! { <MyOutcome outcome={o.clone()} on_change={reload.clone()} /> }) } }
                }) }
            </section>
        }
    })
}

#[derive(Properties, PartialEq)]
struct MyOutcomeProps {
    outcome: MyLotteryOutcome,
    on_change: Callback<()>,
}

#[component]
fn MyOutcome(props: &MyOutcomeProps) -> Html {
    let lang = use_lang();
    let outcome = use_state(Outcome::default);
    let o = &props.outcome;
    let decide = |accept: bool| {
        let (outcome, on_change) = (outcome.clone(), props.on_change.clone());
        let path = o
            .offer
            .as_ref()
            .map(|offer| format!("/lotteries/{}/offers/{}/decision", o.lottery_id, offer.id));
        Callback::from(move |_: MouseEvent| {
            let Some(path) = path.clone() else { return };
            let question = if accept {
                lang.t(
                    "Het aanbod aannemen? Je wordt op deze plek geplaatst.",
                    "Accept the offer? You will be placed at this location.",
                )
            } else {
                lang.t(
                    "Het aanbod afwijzen? Dit is definitief: de plek gaat naar de volgende kandidaat.",
                    "Decline the offer? This is final: the place goes to the next candidate.",
                )
            };
            if !confirmed(question) {
                return;
            }
            let request = OfferDecisionRequest { accept };
            let done = if accept {
                lang.t(
                    "Aangenomen: je bent geplaatst.",
                    "Accepted: you are placed.",
                )
            } else {
                lang.t("Afgewezen.", "Declined.")
            };
            run(
                outcome.clone(),
                async move { api::post::<_, serde_json::Value>(&path, &request).await },
                done.to_owned(),
                on_change.clone(),
            );
        })
    };
    html! {
        <article class="run" aria-label={o.name.clone()}>
            <h2>{ o.name.clone() }</h2>
            <p class="muted">{ lang.t("Je voorkeuren: ", "Your preferences: ") }{ o.preferences.join(", ") }</p>
            if o.status != "drawn" {
                <p>{ lang.t("De loting is nog niet gehouden.", "The lottery has not been drawn yet.") }</p>
            }
            if let Some(number) = o.lottery_number {
                <p data-testid="lottery-number">{ lang.t("Je lotnummer: ", "Your lottery number: ") }<strong>{ number }</strong></p>
            }
            if let Some(public_id) = &o.public_id {
                <p class="muted" data-testid="public-id">{ lang.t("In het openbare controledocument sta je als ", "In the public verification document you appear as ") }<code>{ public_id.clone() }</code>{ lang.t(": alleen jij weet dat jij dat bent.", ": only you know that this is you.") }</p>
            }
            if let Some(place) = &o.placed_at {
                <p class="success" data-testid="lottery-outcome">{ match (lang, o.preference_rank) {
                    (Lang::Nl, Some(rank)) => format!("Je bent geplaatst bij {place} (je voorkeur {rank})."),
                    (Lang::En, Some(rank)) => format!("You are placed at {place} (your preference {rank})."),
                    (Lang::Nl, None) => format!("Je bent geplaatst bij {place}."),
                    (Lang::En, None) => format!("You are placed at {place}."),
                } }</p>
            } else if o.status == "drawn" {
                <p data-testid="lottery-outcome">{ lang.t("Je bent uitgeloot voor je voorkeurslocaties.", "You were not placed at your preferred locations.") }</p>
                if let Some(offer) = o.offer.as_ref().filter(|offer| offer.status == "accepted") {
                    <p class="success" data-testid="second-chance-place">{ match lang {
                        Lang::Nl => format!("Je hebt het aanbod aangenomen: je bent geplaatst bij {}.", offer.location_name),
                        Lang::En => format!("You accepted the offer: you are placed at {}.", offer.location_name),
                    } }</p>
                }
            }
            if let Some(offer) = &o.offer {
                <div class="offer">
                    <h3>{ lang.t("Tweede kans", "Second chance") }</h3>
                    <p data-testid="offer">{ match lang {
                        Lang::Nl => format!("Aanbod: {} — {}. Antwoord vóór {}.", offer.location_name, lang.offer_status(&offer.status), lang.moment(offer.respond_by)),
                        Lang::En => format!("Offer: {} — {}. Answer before {}.", offer.location_name, lang.offer_status(&offer.status), lang.moment(offer.respond_by)),
                    } }</p>
                    if offer.status == "open" {
                        <p class="muted">{ lang.t("Afwijzen is definitief: de plek gaat dan naar de volgende kandidaat.", "Declining is final: the place then goes to the next candidate.") }</p>
                        <div class="actions">
                            <button type="button" class="primary" disabled={outcome.is_busy()} onclick={decide(true)}>{ lang.t("Aanbod aannemen", "Accept offer") }</button>
                            <button type="button" class="danger" disabled={outcome.is_busy()} onclick={decide(false)}>{ lang.t("Aanbod afwijzen", "Decline offer") }</button>
                        </div>
                    }
                </div>
            }
            if let Some(until) = o.retry_until {
                <p class="muted">{ lang.t("Je mag nog één keer meedoen aan een loting, tot ", "You may take part in a lottery once more, until ") }{ lang.date(until) }{ "." }</p>
            }
            { outcome.view(lang, &[]) }
        </article>
    }
}
