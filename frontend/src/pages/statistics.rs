//! Public statistics, for anyone without signing in: published coupling rounds and drawn
//! lotteries in figures and charts. Counts of fewer than five people come as `null` and show as
//! "<5".

use koppel_api_types::{LotteryStatistics, RankCount, RoundStatistics, StatisticsIndex};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::chart::RankChart;
use crate::components::status::{empty, show};
use crate::hooks::use_get;
use crate::i18n::Lang;
use crate::route::Route;
use crate::session::use_lang;

/// A count as shown: the number, or "<5" when suppressed.
pub fn count(value: Option<u32>) -> String {
    value.map_or_else(|| "<5".to_owned(), |n| n.to_string())
}

/// A share as shown: a percentage, or "<5" when suppressed.
pub fn share(value: Option<f64>) -> String {
    value.map_or_else(|| "<5".to_owned(), |share| format!("{:.0}%", share * 100.0))
}

/// Every published round and drawn lottery.
#[component]
pub fn StatisticsPage() -> Html {
    let lang = use_lang();
    let index = use_get::<StatisticsIndex>("/statistics".to_owned(), 0);
    html! {
        <section class="card" aria-labelledby="statistics-title">
            <h1 id="statistics-title">{ lang.t("Statistieken", "Statistics") }</h1>
            <p class="muted">{ lang.t(
                "Uitkomsten van gepubliceerde koppelingsrondes en plaatsingslotingen, zonder namen. Aantallen kleiner dan 5 staan er als <5, zodat niemand te herkennen is.",
                "Outcomes of published coupling rounds and placement lotteries, without names. Counts below 5 show as <5, so nobody can be recognised.") }</p>
            { show(lang, &index, |index| html! {
                <>
                    <h2>{ lang.t("Koppelingsrondes", "Coupling rounds") }</h2>
                    if index.rounds.is_empty() {
                        { empty(lang.t("Nog geen gepubliceerde rondes.", "No published rounds yet.")) }
                    } else {
                        <ul>{ for index.rounds.iter().map(|r| html! {
                            <li><Link<Route> to={Route::RoundStatistics { id: r.round_id.to_string() }}>
                                { format!("{}, {} {}", r.institute, lang.month(&r.start_month), r.start_year) }
                            </Link<Route>></li>
                        }) }</ul>
                    }
                    <h2>{ lang.t("Plaatsingslotingen", "Placement lotteries") }</h2>
                    if index.lotteries.is_empty() {
                        { empty(lang.t("Nog geen getrokken lotingen.", "No lotteries drawn yet.")) }
                    } else {
                        <ul>{ for index.lotteries.iter().map(|l| html! {
                            <li><Link<Route> to={Route::LotteryStatistics { id: l.lottery_id.to_string() }}>{ l.name.clone() }</Link<Route>></li>
                        }) }</ul>
                    }
                </>
            }) }
        </section>
    }
}

/// Properties of the pages of one round or lottery.
#[derive(Properties, PartialEq)]
pub struct StatisticsProps {
    /// Round or lottery id.
    pub id: String,
}

/// A rank distribution as a chart, suppressed counts marked.
fn ranks_chart(lang: Lang, title: &str, ranks: &[RankCount]) -> Html {
    html! {
        <RankChart title={title.to_owned()} rank_label={lang.t("keuze", "choice")}
            values={ranks.iter().map(|r| r.count.unwrap_or(0)).collect::<Vec<_>>()}
            hidden={ranks.iter().map(|r| r.count.is_none()).collect::<Vec<_>>()} />
    }
}

/// One published coupling round in figures.
#[component]
pub fn RoundStatisticsPage(props: &StatisticsProps) -> Html {
    let lang = use_lang();
    let statistics = use_get::<RoundStatistics>(format!("/statistics/rounds/{}", props.id), 0);
    html! {
        <section class="card" aria-labelledby="round-statistics-title">
            { show(lang, &statistics, |s| html! {
                <>
                    <h1 id="round-statistics-title">{ format!("{} {}, {} {}", lang.t("Koppeling", "Coupling"), s.institute, lang.month(&s.start_month), s.start_year) }</h1>
                    <dl class="figures" data-testid="round-figures">
                        <dt>{ lang.t("Aios in de koppeling", "Trainees in the coupling") }</dt><dd>{ count(s.trainees) }</dd>
                        <dt>{ lang.t("Gekoppeld", "Coupled") }</dt><dd>{ count(s.coupled) }</dd>
                        <dt>{ lang.t("Niet gekoppeld", "Not coupled") }</dt><dd>{ count(s.uncoupled) }</dd>
                        <dt>{ lang.t("Bij hun eerste keus", "At their first choice") }</dt>
                        <dd>{ share(s.first_choice_share) }</dd>
                        <dt>{ lang.t("Blokkerende paren", "Blocking pairs") }</dt><dd>{ count(s.blocking_pairs) }</dd>
                    </dl>
                    <div class="charts">
                        { ranks_chart(lang, lang.t("Welke keus van de aios hun opleider was", "Which of the trainees' choices their trainer was"), &s.trainee_ranks) }
                        { ranks_chart(lang, lang.t("Welke keus van de opleider hun aios was", "Which of the trainers' choices their trainee was"), &s.trainer_ranks) }
                    </div>
                    <p class="muted">{ match lang {
                        Lang::Nl => format!("Aantallen kleiner dan {} staan er als <{}.", s.suppressed_below, s.suppressed_below),
                        Lang::En => format!("Counts below {} show as <{}.", s.suppressed_below, s.suppressed_below),
                    } }</p>
                    <Link<Route> to={Route::Statistics}>{ lang.t("Alle statistieken", "All statistics") }</Link<Route>>
                </>
            }) }
        </section>
    }
}

/// One drawn placement lottery in figures.
#[component]
pub fn LotteryStatisticsPage(props: &StatisticsProps) -> Html {
    let lang = use_lang();
    let statistics = use_get::<LotteryStatistics>(format!("/statistics/lotteries/{}", props.id), 0);
    html! {
        <section class="card" aria-labelledby="lottery-statistics-title">
            { show(lang, &statistics, |s| html! {
                <>
                    <h1 id="lottery-statistics-title">{ s.name.clone() }</h1>
                    <dl class="figures" data-testid="lottery-figures">
                        <dt>{ lang.t("Sollicitanten", "Applicants") }</dt><dd>{ count(s.applicants) }</dd>
                        <dt>{ lang.t("Geselecteerd", "Selected") }</dt><dd>{ count(s.selected) }</dd>
                        <dt>{ lang.t("Tweede poging", "Second attempt") }</dt><dd>{ count(s.second_attempts) }</dd>
                        <dt>{ lang.t("Totaal in de loting", "Total in the lottery") }</dt><dd>{ count(s.total_in_lottery) }</dd>
                        <dt>{ lang.t("Geplaatst", "Placed") }</dt><dd>{ count(s.placed) }</dd>
                        <dt>{ lang.t("Uitgeloot", "Not placed") }</dt><dd>{ count(s.unplaced) }</dd>
                        <dt>{ lang.t("Plaatsen", "Places") }</dt><dd>{ s.places_offered }</dd>
                        <dt>{ lang.t("Onvervuld", "Unfilled") }</dt><dd>{ count(s.places_unfilled) }</dd>
                    </dl>
                    { ranks_chart(lang, lang.t("Geplaatst op de zoveelste voorkeur", "Placed at which preference"), &s.by_preference_rank) }
                    <div class="table-wrap"><table>
                        <caption>{ lang.t("Per opleidingsplaats", "Per training location") }</caption>
                        <thead><tr>
                            <th scope="col">{ lang.t("Plaats", "Location") }</th><th scope="col">{ lang.t("Plaatsen", "Places") }</th>
                            <th scope="col">{ lang.t("Geplaatst", "Placed") }</th><th scope="col">{ lang.t("Onvervuld", "Unfilled") }</th>
                        </tr></thead>
                        <tbody>{ for s.locations.iter().map(|l| html! {
                            <tr><td>{ l.name.clone() }</td><td>{ l.capacity }</td><td>{ count(l.placed) }</td><td>{ count(l.unfilled) }</td></tr>
                        }) }</tbody>
                    </table></div>
                    <Link<Route> to={Route::Statistics}>{ lang.t("Alle statistieken", "All statistics") }</Link<Route>>
                </>
            }) }
        </section>
    }
}
