//! `/availability`: the trainer's availability requests, where the O-team's request mail leads.

use yew::prelude::*;

use crate::components::availability::MyAvailability;
use crate::session::{SessionHandle, signed_in};

/// The availability page.
#[component]
pub fn AvailabilityPage() -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    signed_in(&session, |_| {
        html! {
            <>
                <section class="card narrow" aria-labelledby="availability-title">
                    <h1 id="availability-title">{ lang.t("Beschikbaarheid als opleider", "Availability as a trainer") }</h1>
                    <p class="muted">{ lang.t(
                        "Het O-team vraagt vóór een koppelingsronde of je een aios kunt opleiden. Je kunt je antwoord aanpassen tot stap 1 van de ronde voorbij is.",
                        "Before a coupling round the O-team asks whether you can train a trainee. You can change your answer until step 1 of the round is over.") }</p>
                </section>
                <MyAvailability show_empty=true />
            </>
        }
    })
}
