//! Coordinators: the institute's rounds, and creating one from the calendar with the schedule
//! shown before saving.

use koppel_api_types::{CreateRoundRequest, RoundListResponse, RoundResponse, StatisticsTrends};
use koppel_domain::{RoundKey, StartMonth};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::status::{Outcome, empty, run, show};
use crate::components::timeline::{round_title, today};
use crate::hooks::{use_get, use_version};
use crate::i18n::Lang;
use crate::pages::statistics::{count, share};
use crate::route::Route;
use crate::session::{SessionHandle, signed_in, use_lang};

/// The rounds page.
#[component]
pub fn AdminRoundsPage() -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    signed_in(&session, |me| match &me.institute {
        Some(institute) => html! { <Rounds institute={institute.id.to_string()} /> },
        None => {
            html! { <section class="card">{ empty(lang.t("Je account hoort niet bij een opleidingsinstituut.", "Your account does not belong to an institute.")) }</section> }
        }
    })
}

#[derive(Properties, PartialEq)]
struct RoundsProps {
    institute: String,
}

#[component]
fn Rounds(props: &RoundsProps) -> Html {
    let lang = use_lang();
    let (version, reload) = use_version();
    let rounds =
        use_get::<RoundListResponse>(format!("/institutes/{}/rounds", props.institute), version);
    html! {
        <>
            <section class="card" aria-labelledby="rounds-title">
                <h1 id="rounds-title">{ lang.t("Koppelingsrondes", "Coupling rounds") }</h1>
                { show(lang, &rounds, |list| {
                    if list.items.is_empty() {
                        return empty(lang.t("Nog geen rondes. Maak hieronder de eerste aan.", "No rounds yet. Create the first one below."));
                    }
                    html! {
                        <div class="table-wrap">
                            <table>
                                <thead><tr>
                                    <th scope="col">{ lang.t("Ronde", "Round") }</th>
                                    <th scope="col">{ lang.t("Fase", "Phase") }</th>
                                    <th scope="col">{ lang.t("Aios", "Trainees") }</th>
                                    <th scope="col">{ lang.t("Opleiders", "Trainers") }</th>
                                </tr></thead>
                                <tbody>
                                    { for list.items.iter().map(|r: &RoundResponse| html! {
                                        <tr key={r.id.to_string()}>
                                            <td><Link<Route> to={Route::AdminRound { id: r.id.to_string() }}>{ round_title(lang, r) }</Link<Route>></td>
                                            <td>{ lang.phase(&r.phase) }</td>
                                            <td>{ r.trainees }</td>
                                            <td>{ r.trainers }</td>
                                        </tr>
                                    }) }
                                </tbody>
                            </table>
                        </div>
                    }
                }) }
            </section>
            <CreateRound institute={props.institute.clone()} on_created={reload} />
            <Trends institute={props.institute.clone()} />
        </>
    }
}

/// The institute's published rounds side by side: how the coupling went over time.
#[component]
fn Trends(props: &RoundsProps) -> Html {
    let lang = use_lang();
    let trends =
        use_get::<StatisticsTrends>(format!("/institutes/{}/statistics", props.institute), 0);
    html! {
        <section class="card" aria-labelledby="trends-title">
            <h2 id="trends-title">{ lang.t("Verloop over de rondes", "Over the rounds") }</h2>
            { show(lang, &trends, |trends| {
                if trends.items.is_empty() {
                    return empty(lang.t("Nog geen gepubliceerde rondes.", "No published rounds yet."));
                }
                html! {
                    <div class="table-wrap"><table data-testid="trends">
                        <thead><tr>
                            <th scope="col">{ lang.t("Ronde", "Round") }</th>
                            <th scope="col">{ lang.t("Aios", "Trainees") }</th>
                            <th scope="col">{ lang.t("Gekoppeld", "Coupled") }</th>
                            <th scope="col">{ lang.t("Eerste keus", "First choice") }</th>
                            <th scope="col">{ lang.t("Blokkerende paren", "Blocking pairs") }</th>
                        </tr></thead>
                        <tbody>{ for trends.items.iter().map(|s| html! {
                            <tr>
                                <td><Link<Route> to={Route::RoundStatistics { id: s.round_id.to_string() }}>{ format!("{} {}", lang.month(&s.start_month), s.start_year) }</Link<Route>></td>
                                <td>{ count(s.trainees) }</td>
                                <td>{ count(s.coupled) }</td>
                                <td>{ share(s.first_choice_share) }</td>
                                <td>{ count(s.blocking_pairs) }</td>
                            </tr>
                        }) }</tbody>
                    </table></div>
                }
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct CreateProps {
    institute: String,
    on_created: Callback<()>,
}

fn month_name(lang: Lang, month: StartMonth) -> String {
    lang.month(&month.to_string().to_lowercase())
}

#[component]
fn CreateRound(props: &CreateProps) -> Html {
    let lang = use_lang();
    let month = use_state(|| StartMonth::September);
    let year = use_state(|| {
        use chrono::Datelike;
        (today().year() + 1).to_string()
    });
    let outcome = use_state(Outcome::default);
    let schedule = year
        .trim()
        .parse::<i32>()
        .ok()
        .map(|y| RoundKey::new(*month, y).map(|key| key.default_schedule()));
    let onsubmit = {
        clone!(month, year, outcome);
        let (institute, on_created) = (props.institute.clone(), props.on_created.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = CreateRoundRequest {
                start_month: month.to_string().to_lowercase(),
                start_year: year.trim().parse().unwrap_or_default(),
                training_years: None,
                profiles_deadline: None,
                preferences_deadline: None,
                final_ranking_deadline: None,
            };
            let path = format!("/institutes/{institute}/rounds");
            run(
                outcome.clone(),
                async move { api::post::<_, RoundResponse>(&path, &request).await },
                lang.t("De ronde is aangemaakt.", "The round has been created.")
                    .to_owned(),
                on_created.clone(),
            );
        })
    };
    html! {
        <section class="card" aria-labelledby="create-title">
            <h2 id="create-title">{ lang.t("Nieuwe ronde", "New round") }</h2>
            <p class="muted">{ lang.t("Kies de maand en het jaar waarin de plaatsing start. Het schema volgt uit de kalender: de ronde opent drie maanden eerder en duurt zes weken.", "Choose the month and year in which the placement starts. The schedule follows from the calendar: the round opens three months earlier and takes six weeks.") }</p>
            <form {onsubmit}>
                <div class="row">
                    <div class="field">
                        <label for="start-month">{ lang.t("Startmaand", "Start month") }</label>
                        <select id="start-month" onchange={let month = month.clone(); Callback::from(move |e: Event| {
                            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
                            if let Some(m) = StartMonth::ALL.into_iter().find(|m| m.to_string() == value) { month.set(m) }
                        })}>
                            { for StartMonth::ALL.into_iter().map(|m| html! {
                                <option value={m.to_string()} selected={*month == m}>{ month_name(lang, m) }</option>
                            }) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="start-year">{ lang.t("Jaar", "Year") }</label>
                        <input id="start-year" type="number" inputmode="numeric" value={(*year).clone()}
                            oninput={let year = year.clone(); Callback::from(move |e: InputEvent| year.set(e.target_unchecked_into::<HtmlInputElement>().value()))}
                            aria-invalid={outcome.field("start_year").is_some().then_some("true")} />
                        if let Some(error) = outcome.field("start_year") {
                            <p class="field-error">{ error }</p>
                        }
                    </div>
                </div>
                <div aria-live="polite" data-testid="schedule-preview">
                    { match &schedule {
                        Some(Ok(s)) => html! {
                            <dl class="schedule">
                                <dt>{ lang.t("Ronde opent", "Round opens") }</dt><dd>{ lang.date(s.opens) }</dd>
                                <dt>{ lang.t("Deadline profielen", "Profiles deadline") }</dt><dd>{ lang.date(s.profiles_deadline) }</dd>
                                <dt>{ lang.t("Deadline voorkeuren", "Preferences deadline") }</dt><dd>{ lang.date(s.preferences_deadline) }</dd>
                                <dt>{ lang.t("Deadline rangorde", "Final ranking deadline") }</dt><dd>{ lang.date(s.final_ranking_deadline) }</dd>
                                <dt>{ lang.t("Start plaatsing", "Placement starts") }</dt><dd>{ lang.date(s.placement_start) }</dd>
                            </dl>
                        },
                        Some(Err(error)) => html! { <p class="field-error">{ error.to_string() }</p> },
                        None => html! { <p class="field-error">{ lang.t("Vul een jaartal in.", "Enter a year.") }</p> },
                    } }
                </div>
                { outcome.view(lang, &["start_year"]) }
                <button class="primary" type="submit" disabled={!matches!(schedule, Some(Ok(_)))}>{ lang.t("Ronde aanmaken", "Create round") }</button>
            </form>
        </section>
    }
}
