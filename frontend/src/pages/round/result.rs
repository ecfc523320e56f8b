//! The published result, with its explanation.

use koppel_api_types::MyCouplingResponse;
use uuid::Uuid;
use yew::prelude::*;

use crate::components::status::show;
use crate::hooks::use_get;
use crate::i18n::Lang;
use crate::session::use_lang;

#[derive(Properties, PartialEq)]
pub(super) struct ResultProps {
    pub(super) round: Uuid,
}

/// The published coupling with the matcher's explanation.
#[component]
pub(super) fn Result(props: &ResultProps) -> Html {
    let lang = use_lang();
    let mine = use_get::<MyCouplingResponse>(format!("/rounds/{}/coupling/mine", props.round), 0);
    html! {
        <section class="card" aria-labelledby="result-title">
            <h2 id="result-title">{ lang.t("Je koppeling", "Your coupling") }</h2>
            { show(lang, &mine, |result: &MyCouplingResponse| {
                if !result.coupled {
                    return html! {
                        <>
                            <p data-testid="result">{ lang.t("Je bent in deze ronde niet gekoppeld. Je coördinator neemt contact met je op.", "You were not coupled in this round. Your coordinator will contact you.") }</p>
                            { alternatives(lang, result) }
                        </>
                    };
                }
                if result.counterparts.len() > 1 {
                    // A duo practice: two trainees with one trainer.
                    return html! {
                        <>
                            <p data-testid="result">{ lang.t("Je bent gekoppeld aan", "You are coupled to") }</p>
                            <ul data-testid="counterparts">
                                { for result.counterparts.iter().map(|c| html! {
                                    <li><strong>{ c.name.clone() }</strong>{ " (" }<a href={format!("mailto:{}", c.email)}>{ c.email.clone() }</a>{ ")" }
                                        { match (c.rank, lang) {
                                            (Some(rank), Lang::Nl) => format!(" · je keuze nummer {rank}"),
                                            (Some(rank), Lang::En) => format!(" · your choice number {rank}"),
                                            (None, _) => format!(" · {}", lang.t("door je coördinatoren gekoppeld", "coupled by your coordinators")),
                                        } }
                                    </li>
                                }) }
                            </ul>
                        </>
                    };
                }
                html! {
                    <>
                        <p data-testid="result">{ lang.t("Je bent gekoppeld aan", "You are coupled to") }{ " " }<strong>{ result.name.clone().unwrap_or_default() }</strong>
                            if let Some(email) = &result.email {
                                { " (" }<a href={format!("mailto:{email}")}>{ email.clone() }</a>{ ")" }
                            }
                        </p>
                        <p data-testid="rank">{ match (result.rank, lang) {
                            (Some(1), _) => lang.t("Dit was je eerste keus.", "This was your first choice.").to_owned(),
                            (Some(rank), Lang::Nl) => format!("Dit was je keuze nummer {rank}."),
                            (Some(rank), Lang::En) => format!("This was your choice number {rank}."),
                            (None, _) => lang.t("Deze koppeling is door je coördinatoren gemaakt.", "Your coordinators made this coupling.").to_owned(),
                        } }</p>
                        { alternatives(lang, result) }
                    </>
                }
            }) }
        </section>
    }
}

/// Each choice a trainee ranked higher than what they got. Why each one did not come about is not
/// shown: it follows from how trainers ranked and vetoed, which stays confidential.
pub(super) fn alternatives(lang: Lang, result: &MyCouplingResponse) -> Html {
    if result.alternatives.is_empty() {
        return html! {};
    }
    html! {
        <>
            <h3>{ lang.t("Waarom niet een hogere keuze?", "Why not a higher choice?") }</h3>
            <p>{ lang.t("Je had hoger gerangschikt:", "You ranked higher:") }</p>
            <ul data-testid="explanation">
                { for result.alternatives.iter().map(|a| html! { <li>{ match lang {
                    Lang::Nl => format!("{} (keuze {})", a.trainer_name, a.rank),
                    Lang::En => format!("{} (choice {})", a.trainer_name, a.rank),
                } }</li> }) }
            </ul>
            <p class="muted">{ lang.t(
                "Koppel berekent de beste koppeling voor de hele groep tegelijk, met ieders rangschikking en de koppelregels. Die koppeling gaf jou geen hogere keuze. Hoe anderen jou rangschikten, blijft vertrouwelijk.",
                "Koppel computes the best coupling for the whole group at once, with everyone's rankings and the coupling rules. That coupling did not give you a higher choice. How others ranked you stays confidential.",
            ) }</p>
        </>
    }
}
