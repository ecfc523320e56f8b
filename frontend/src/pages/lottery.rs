//! The national placement lottery as administrators run it: set-up, commit, draw, the second
//! chance and the report. Candidates' own page is `my_lottery`.

use koppel_api_types::{
    CreateLotteryRequest, DrawLotteryRequest, LotteryCandidateListResponse, LotteryListResponse,
    LotteryLocation, LotteryLocationListResponse, LotteryLocationsRequest,
    LotteryOfferListResponse, LotteryReportResponse, LotteryResponse, SimulationRequest,
    SimulationResponse,
};
use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ClientError};
use crate::components::chart::RankChart;
use crate::components::csv::{import_on_change, import_result, row_errors};
use crate::components::field::TextArea;
use crate::components::lottery_handover::{Handover, LocationInstitute};
use crate::components::status::{Outcome, confirmed, empty, run, show};
use crate::components::timeline::today;
use crate::hooks::{use_get, use_version};
use crate::i18n::Lang;
use crate::route::Route;
use crate::session::{SessionHandle, signed_in, use_lang};

fn status_name(lang: Lang, status: &str) -> &'static str {
    match status {
        "draft" => lang.t("In voorbereiding", "Draft"),
        "committed" => lang.t("Vastgelegd: invoer bevroren", "Committed: inputs frozen"),
        "drawn" => lang.t("Geloot", "Drawn"),
        _ => lang.t("Onbekend", "Unknown"),
    }
}

/// Administrators: every lottery, and a new one.
#[component]
pub fn LotteriesPage() -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let (version, reload) = use_version();
    let list = use_get::<LotteryListResponse>("/lotteries".to_owned(), version);
    let name = use_state(String::new);
    let draw_on = use_state(|| today().to_string());
    let applicants = use_state(String::new);
    let selected = use_state(String::new);
    let outcome = use_state(Outcome::default);
    let text = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            state.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let onsubmit = {
        clone!(name, draw_on, applicants, selected, outcome, reload);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Ok(date) = draw_on.parse() else {
                outcome.set(Outcome::Failed(ClientError::local_field(
                    "draw_on",
                    lang.t("Kies een lotingsdatum.", "Choose a draw date."),
                )));
                return;
            };
            let request = CreateLotteryRequest {
                name: (*name).clone(),
                draw_on: date,
                applicants: applicants.trim().parse().unwrap_or(0),
                selected: selected.trim().parse().unwrap_or(0),
                response_days: None,
            };
            run(
                outcome.clone(),
                async move { api::post::<_, LotteryResponse>("/lotteries", &request).await },
                lang.t("Loting aangemaakt.", "Lottery created.").to_owned(),
                reload.clone(),
            );
        })
    };
    let field_error = |f: &str| outcome.field(f);
    signed_in(&session, |_| {
        html! {
            <>
                <section class="card" aria-labelledby="lotteries-title">
                    <h1 id="lotteries-title">{ lang.t("Plaatsingsloting", "Placement lottery") }</h1>
                    { show(lang, &list, |list| {
                        if list.items.is_empty() {
                            return empty(lang.t("Nog geen lotingen.", "No lotteries yet."));
                        }
                        html! {
                            <div class="table-wrap"><table>
                                <thead><tr>
                                    <th scope="col">{ lang.t("Loting", "Lottery") }</th>
                                    <th scope="col">{ lang.t("Datum", "Date") }</th>
                                    <th scope="col">{ lang.t("Status", "Status") }</th>
                                    <th scope="col">{ lang.t("Kandidaten", "Candidates") }</th>
                                </tr></thead>
                                <tbody>{ for list.items.iter().map(|l| html! {
                                    <tr key={l.id.to_string()}>
                                        <td><Link<Route> to={Route::AdminLottery { id: l.id.to_string() }}>{ l.name.clone() }</Link<Route>></td>
                                        <td>{ lang.date(l.draw_on) }</td>
                                        <td>{ status_name(lang, &l.status) }</td>
                                        <td>{ l.candidates }</td>
                                    </tr>
                                }) }</tbody>
                            </table></div>
                        }
                    }) }
                </section>
                <section class="card" aria-labelledby="new-lottery-title">
                    <h2 id="new-lottery-title">{ lang.t("Nieuwe loting", "New lottery") }</h2>
                    <form {onsubmit}>
                        <div class="row">
                            <div class="field">
                                <label for="lottery-name">{ lang.t("Naam", "Name") }</label>
                                <input id="lottery-name" value={(*name).clone()} oninput={text(&name)}
                                    aria-invalid={field_error("name").is_some().then_some("true")} />
                                if let Some(e) = field_error("name") { <p class="field-error">{ e }</p> }
                            </div>
                            <div class="field">
                                <label for="lottery-date">{ lang.t("Datum van de loting", "Draw date") }</label>
                                <input id="lottery-date" type="date" value={(*draw_on).clone()} oninput={text(&draw_on)}
                                    aria-invalid={field_error("draw_on").is_some().then_some("true")} />
                                if let Some(e) = field_error("draw_on") { <p class="field-error">{ e }</p> }
                            </div>
                        </div>
                        <div class="row">
                            <div class="field">
                                <label for="lottery-applicants">{ lang.t("Sollicitanten", "Applicants") }</label>
                                <input id="lottery-applicants" type="number" min="0" inputmode="numeric" value={(*applicants).clone()} oninput={text(&applicants)}
                                    aria-invalid={field_error("applicants").is_some().then_some("true")} />
                                if let Some(e) = field_error("applicants") { <p class="field-error">{ e }</p> }
                            </div>
                            <div class="field">
                                <label for="lottery-selected">{ lang.t("Geselecteerd", "Selected") }</label>
                                <input id="lottery-selected" type="number" min="0" inputmode="numeric" value={(*selected).clone()} oninput={text(&selected)}
                                    aria-invalid={field_error("selected").is_some().then_some("true")} />
                                if let Some(e) = field_error("selected") { <p class="field-error">{ e }</p> }
                            </div>
                        </div>
                        { outcome.view(lang, &["name", "draw_on", "applicants", "selected"]) }
                        <button class="primary" type="submit" disabled={outcome.is_busy()}>{ lang.t("Loting aanmaken", "Create lottery") }</button>
                    </form>
                </section>
            </>
        }
    })
}

/// Properties of [`LotteryPage`].
#[derive(Properties, PartialEq)]
pub struct LotteryProps {
    /// Lottery id.
    pub id: String,
}

/// Administrators: one lottery from set-up to report.
#[component]
pub fn LotteryPage(props: &LotteryProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let (version, reload) = use_version();
    let lottery = use_get::<LotteryResponse>(format!("/lotteries/{}", props.id), version);
    let outcome = use_state(Outcome::default);
    let public_value = use_state(String::new);
    let id = props.id.clone();
    signed_in(&session, |_| {
        show(lang, &lottery, |l| {
            let step = |path: &'static str, question: &'static str, done: &'static str| {
                clone!(outcome, reload, id);
                Callback::from(move |_: MouseEvent| {
                    if !confirmed(question) {
                        return;
                    }
                    let path = format!("/lotteries/{id}/{path}");
                    run(
                        outcome.clone(),
                        async move { api::post::<_, LotteryResponse>(&path, &()).await },
                        done.to_owned(),
                        reload.clone(),
                    );
                })
            };
            let draw = {
                clone!(outcome, reload, id, public_value);
                Callback::from(move |event: SubmitEvent| {
                    event.prevent_default();
                    if !confirmed(lang.t("Nu loten? De uitslag is definitief, het geheim, de publieke waarde en de startwaarde worden bekendgemaakt en alle kandidaten krijgen meteen bericht.", "Draw now? The outcome is final, the secret, the public value and the seed are revealed and every candidate is told at once.")) {
                        return;
                    }
                    let path = format!("/lotteries/{id}/draw");
                    let body = DrawLotteryRequest {
                        public_value: (*public_value).clone(),
                    };
                    run(
                        outcome.clone(),
                        async move { api::post::<_, LotteryResponse>(&path, &body).await },
                        lang.t("Geloot: de startwaarde is bekendgemaakt en alle kandidaten krijgen bericht.", "Drawn: the seed is revealed and every candidate is told.").to_owned(),
                        reload.clone(),
                    );
                })
            };
            let verification = api::url(&format!("/lotteries/{}/verification", l.id));
            html! {
                <>
                    <section class="card" aria-labelledby="lottery-title">
                        <h1 id="lottery-title">{ l.name.clone() }</h1>
                        <p>
                            <span class="badge phase" data-testid="lottery-status">{ status_name(lang, &l.status) }</span>
                            { format!(" · {} · {} {} · {} {}", lang.date(l.draw_on), l.locations, lang.t("locaties", "locations"), l.candidates, lang.t("kandidaten", "candidates")) }
                        </p>
                        <dl class="schedule">
                            <dt>{ lang.t("Commitment (SHA-256 van het geheim)", "Commitment (SHA-256 of the secret)") }</dt>
                            <dd><code class="hash" data-testid="commitment">{ l.seed_commitment.clone().unwrap_or_else(|| "—".to_owned()) }</code></dd>
                            <dt>{ lang.t("Hash van de invoer", "Inputs hash") }</dt>
                            <dd><code class="hash">{ l.inputs_hash.clone().unwrap_or_else(|| "—".to_owned()) }</code></dd>
                            <dt>{ lang.t("Geheim", "Secret") }</dt>
                            <dd><code class="hash" data-testid="secret">{ l.secret.clone().unwrap_or_else(|| lang.t("geheim tot de loting", "secret until the draw").to_owned()) }</code></dd>
                            <dt>{ lang.t("Publieke waarde", "Public value") }</dt>
                            <dd data-testid="public-value">{ l.public_value.clone().unwrap_or_else(|| lang.t("wordt bij de loting ingevoerd", "entered at the draw").to_owned()) }</dd>
                            <dt>{ lang.t("Startwaarde: SHA-256(geheim \":\" publieke waarde)", "Seed: SHA-256(secret \":\" public value)") }</dt>
                            <dd><code class="hash" data-testid="seed">{ l.seed.clone().unwrap_or_else(|| lang.t("geheim tot de loting", "secret until the draw").to_owned()) }</code></dd>
                        </dl>
                        <div class="actions">
                            if l.status == "draft" {
                                <button type="button" class="primary" disabled={outcome.is_busy()} onclick={step("commit", lang.t("Vastleggen? Locaties en kandidaten kunnen daarna niet meer veranderen; de commitment wordt gepubliceerd.", "Commit? Locations and candidates can no longer change afterwards; the commitment is published."), lang.t("Vastgelegd: de invoer ligt vast en de commitment is gepubliceerd.", "Committed: the inputs are frozen and the commitment is published."))}>{ lang.t("Vastleggen (commit)", "Commit") }</button>
                            }

                            if l.status != "draft" {
                                <a href={verification} target="_blank" rel="noopener">{ lang.t("Openbare controle (JSON)", "Public verification (JSON)") }</a>
                            }
                        </div>
                        if l.status == "committed" {
                            <form onsubmit={draw} class="row">
                                <div class="field">
                                    <label for="public-value">{ lang.t("Publieke waarde", "Public value") }</label>
                                    <input id="public-value" type="text" maxlength="500" required=true value={(*public_value).clone()}
                                        aria-describedby="public-value-help"
                                        oninput={let public_value = public_value.clone(); Callback::from(move |e: InputEvent| public_value.set(e.target_unchecked_into::<HtmlInputElement>().value()))}
                                        aria-invalid={outcome.field("public_value").is_some().then_some("true")} />
                                    <p id="public-value-help" class="muted">{ lang.t("Een waarde die bij het vastleggen nog niemand kende, bijvoorbeeld de uitkomst van een publieke randomness-beacon (drand-ronde) of een getal dat de notaris bij de loting trekt. Zo kan niemand de uitslag vooraf kennen of kiezen.", "A value nobody knew at the commit, for example a public randomness beacon's output (a drand round) or a number the notary draws at the ceremony. So nobody can know or choose the outcome in advance.") }</p>
                                    if let Some(e) = outcome.field("public_value") { <p class="field-error">{ e }</p> }
                                </div>
                                <button type="submit" class="primary" disabled={outcome.is_busy()}>{ lang.t("Loten", "Draw") }</button>
                            </form>
                        }
                        { outcome.view(lang, &["public_value"]) }
                        if l.status != "draft" {
                            <p class="muted">{ lang.t("Iedereen kan de loting narekenen met dit document: koppel verify-lottery BESTAND, of het Python-fragment in de README.", "Anyone can recompute the lottery from this document: koppel verify-lottery FILE, or the Python snippet in the README.") }</p>
                        }
                    </section>
                    <Locations id={l.id.to_string()} editable={l.status == "draft"} linkable={l.handed_over_at.is_none()} on_change={reload.clone()} version={version} />
                    <Candidates id={l.id.to_string()} editable={l.status == "draft"} on_change={reload.clone()} version={version} />
                    if l.status == "drawn" {
                        <Report id={l.id.to_string()} version={version} />
                        <Offers id={l.id.to_string()} on_change={reload.clone()} version={version} />
                        <Handover lottery={(*l).clone()} on_change={reload.clone()} />
                    }
                    if l.status != "draft" {
                        <Simulation id={l.id.to_string()} />
                    }
                </>
            }
        })
    })
}

#[derive(Properties, PartialEq)]
struct PartProps {
    id: String,
    #[prop_or_default]
    editable: bool,
    /// Whether locations may still be linked to institutes (until the hand-over).
    #[prop_or_default]
    linkable: bool,
    #[prop_or_default]
    on_change: Callback<()>,
    #[prop_or_default]
    version: u32,
}

/// Locations as lines `id,name,places`.
#[component]
fn Locations(props: &PartProps) -> Html {
    let lang = use_lang();
    let locations = use_get::<LotteryLocationListResponse>(
        format!("/lotteries/{}/locations", props.id),
        props.version,
    );
    let lottery_id: uuid::Uuid = props.id.parse().unwrap_or_default();
    let institutes: Vec<(uuid::Uuid, String)> =
        use_get::<koppel_api_types::InstituteListResponse>("/institutes".to_owned(), 0)
            .and_then(Result::ok)
            .map(|list| list.items.iter().map(|i| (i.id, i.name.clone())).collect())
            .unwrap_or_default();
    let text = use_state(String::new);
    let outcome = use_state(Outcome::default);
    let linked: Vec<(String, Option<uuid::Uuid>)> = locations
        .as_ref()
        .and_then(|l| l.as_ref().ok())
        .map(|l| {
            l.items
                .iter()
                .map(|l| (l.id.clone(), l.institute_id))
                .collect()
        })
        .unwrap_or_default();
    let onsubmit = {
        let (text, outcome, on_change, id) = (
            text.clone(),
            outcome.clone(),
            props.on_change.clone(),
            props.id.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let locations: Vec<LotteryLocation> = text
                .lines()
                .filter(|line| !line.trim().is_empty())
                .map(|line| {
                    let parts: Vec<&str> = line.split(',').map(str::trim).collect();
                    let id = parts.first().copied().unwrap_or_default().to_owned();
                    // A location kept keeps its institute.
                    let institute_id = linked.iter().find(|(l, _)| *l == id).and_then(|(_, i)| *i);
                    LotteryLocation {
                        id,
                        name: parts.get(1).copied().unwrap_or_default().to_owned(),
                        capacity: parts.get(2).and_then(|c| c.parse().ok()).unwrap_or(0),
                        institute_id,
                    }
                })
                .collect();
            let request = LotteryLocationsRequest { locations };
            let path = format!("/lotteries/{id}/locations");
            run(
                outcome.clone(),
                async move { api::put::<_, LotteryLocationListResponse>(&path, &request).await },
                lang.t("Locaties opgeslagen.", "Locations saved.")
                    .to_owned(),
                on_change.clone(),
            );
        })
    };
    html! {
        <section class="card" aria-labelledby="locations-title">
            <h2 id="locations-title">{ lang.t("Opleidingslocaties", "Training locations") }</h2>
            { show(lang, &locations, |list| {
                if list.items.is_empty() { return empty(lang.t("Nog geen locaties.", "No locations yet.")); }
                html! {
                    <div class="table-wrap"><table>
                        <thead><tr><th scope="col">{ "Id" }</th><th scope="col">{ lang.t("Naam", "Name") }</th><th scope="col">{ lang.t("Plaatsen", "Places") }</th><th scope="col">{ lang.t("Instituut", "Institute") }</th></tr></thead>
                        <tbody>{ for list.items.iter().map(|l| html! { <tr><td><code>{ l.id.clone() }</code></td><td>{ l.name.clone() }</td><td>{ l.capacity }</td>
                            <td><LocationInstitute lottery={lottery_id} location={l.clone()} institutes={institutes.clone()} editable={props.linkable} on_change={props.on_change.clone()} /></td></tr> }) }</tbody>
                    </table></div>
                }
            }) }
            if props.editable {
                <form {onsubmit}>
                    <TextArea id="locations-text" label={lang.t("Locaties: één per regel, id,naam,plaatsen", "Locations: one per line, id,name,places")} rows={5}
                        value={(*text).clone()} on_change={let text = text.clone(); Callback::from(move |v: String| text.set(v))}
                        hint={lang.t("Bijvoorbeeld: utrecht,Huisartsopleiding Utrecht,40. Dit vervangt de hele lijst.", "For example: utrecht,Huisartsopleiding Utrecht,40. This replaces the whole list.")} />
                    { row_errors(lang, &outcome, "location-errors", lang.t("Niets opgeslagen. Verbeter dit:", "Nothing saved. Fix this:")) }
                    <button type="submit">{ lang.t("Locaties opslaan", "Save locations") }</button>
                </form>
            }
        </section>
    }
}

/// Candidates, and their CSV import with every bad row shown.
#[component]
fn Candidates(props: &PartProps) -> Html {
    let lang = use_lang();
    let candidates = use_get::<LotteryCandidateListResponse>(
        format!("/lotteries/{}/candidates", props.id),
        props.version,
    );
    let outcome = use_state(Outcome::default);
    let onchange = import_on_change(
        format!("/lotteries/{}/candidates/import", props.id),
        outcome.clone(),
        |lang, n| match lang {
            Lang::Nl => format!("{n} kandidaten geïmporteerd."),
            Lang::En => format!("{n} candidates imported."),
        },
        lang,
        props.on_change.clone(),
    );
    html! {
        <section class="card" aria-labelledby="candidates-title">
            <h2 id="candidates-title">{ lang.t("Kandidaten", "Candidates") }</h2>
            if props.editable {
                <div class="field">
                    <label for="candidates-import">{ lang.t("Kandidaten: importeer CSV", "Candidates: import CSV") }</label>
                    <input id="candidates-import" type="file" accept=".csv,text/csv" {onchange} />
                    <p class="muted">{ lang.t("Kopregel: ", "Header line: ") }<code>{ "id,name,email,preferences,second_attempt,suitable_on" }</code>{ lang.t(". Voorkeuren gescheiden door ;. Alles of niets.", ". Preferences separated by ;. All or nothing.") }</p>
                </div>
                { import_result(lang, &outcome, "candidate-import-errors") }
            }
            { show(lang, &candidates, |list| {
                if list.items.is_empty() { return empty(lang.t("Nog geen kandidaten.", "No candidates yet.")); }
                html! {
                    <div class="table-wrap"><table>
                        <thead><tr>
                            <th scope="col">{ "Id" }</th><th scope="col">{ lang.t("Naam", "Name") }</th>
                            <th scope="col">{ lang.t("Voorkeuren", "Preferences") }</th><th scope="col">{ lang.t("Tweede keer", "Second attempt") }</th>
                        </tr></thead>
                        <tbody>{ for list.items.iter().map(|c| html! {
                            <tr key={c.id.clone()}><td><code>{ c.id.clone() }</code></td><td>{ c.name.clone() }</td><td>{ c.preferences.join(", ") }</td>
                            <td>{ if c.second_attempt { lang.t("ja", "yes") } else { "" } }</td></tr>
                        }) }</tbody>
                    </table></div>
                }
            }) }
        </section>
    }
}

/// The published figures with charts.
#[component]
fn Report(props: &PartProps) -> Html {
    let lang = use_lang();
    let report =
        use_get::<LotteryReportResponse>(format!("/lotteries/{}/report", props.id), props.version);
    let csv_outcome = use_state(Outcome::default);
    let csv = {
        let (id, outcome) = (props.id.clone(), csv_outcome.clone());
        Callback::from(move |_: MouseEvent| {
            clone!(id, outcome);
            wasm_bindgen_futures::spawn_local(async move {
                match api::get_text(&format!("/lotteries/{id}/report?format=csv")).await {
                    Ok(text) => {
                        crate::download::download("lottery-report.csv", &text);
                        outcome.set(Outcome::None);
                    }
                    Err(error) => outcome.set(Outcome::Failed(error)),
                }
            });
        })
    };
    html! {
        <section class="card" aria-labelledby="report-title">
            <h2 id="report-title">{ lang.t("Verslag", "Report") }</h2>
            { show(lang, &report, |r| html! {
                <>
                    <dl class="stats" data-testid="report">
                        <dt>{ lang.t("Sollicitanten", "Applicants") }</dt><dd>{ r.applicants }</dd>
                        <dt>{ lang.t("Geselecteerd", "Selected") }</dt><dd>{ r.selected }</dd>
                        <dt>{ lang.t("Voor de tweede keer", "Second attempt") }</dt><dd>{ r.second_attempts }</dd>
                        <dt>{ lang.t("Totaal in de loting", "Total in the lottery") }</dt><dd>{ r.total_in_lottery }</dd>
                        <dt>{ lang.t("Geplaatst op een voorkeurslocatie", "Placed at a preferred location") }</dt><dd>{ r.placed_at_preferred }</dd>
                        <dt>{ lang.t("Uitgeloot", "Not placed") }</dt><dd>{ r.unplaced }</dd>
                        <dt>{ lang.t("Opleidingsplekken aangeboden", "Places offered") }</dt><dd>{ r.places_offered }</dd>
                        <dt>{ lang.t("Plekken onvervuld", "Places unfilled") }</dt><dd>{ r.places_unfilled }</dd>
                        <dt>{ lang.t("Tweede kans aangenomen", "Second chance accepted") }</dt><dd>{ r.second_chance.accepted }</dd>
                    </dl>
                    <div class="charts">
                        <RankChart title={lang.t("Geplaatst per voorkeur", "Placed per preference")} rank_label={lang.t("voorkeur", "preference")}
                            values={r.by_preference_rank.iter().map(|x| x.placed).collect::<Vec<_>>()} />
                    </div>
                    <div class="table-wrap"><table>
                        <thead><tr>
                            <th scope="col">{ lang.t("Locatie", "Location") }</th><th scope="col">{ lang.t("Plaatsen", "Places") }</th>
                            <th scope="col">{ lang.t("Geplaatst", "Placed") }</th><th scope="col">{ lang.t("Onvervuld", "Unfilled") }</th>
                            <th scope="col">{ lang.t("Tweede kans", "Second chance") }</th>
                        </tr></thead>
                        <tbody>{ for r.locations.iter().map(|l| html! {
                            <tr><td>{ l.name.clone() }</td><td>{ l.capacity }</td><td>{ l.placed }</td><td>{ l.unfilled }</td><td>{ l.second_chance }</td></tr>
                        }) }</tbody>
                    </table></div>
                </>
            }) }
            <button type="button" onclick={csv}>{ lang.t("Verslag als CSV", "Report as CSV") }</button>
            { csv_outcome.view(lang, &[]) }
        </section>
    }
}

/// The second-chance offers.
#[component]
fn Offers(props: &PartProps) -> Html {
    let lang = use_lang();
    let offers = use_get::<LotteryOfferListResponse>(
        format!("/lotteries/{}/offers", props.id),
        props.version,
    );
    html! {
        <section class="card" aria-labelledby="offers-title">
            <h2 id="offers-title">{ lang.t("Tweede kans: aanbiedingen", "Second chance: offers") }</h2>
            { show(lang, &offers, |list| {
                if list.items.is_empty() { return empty(lang.t("Geen aanbiedingen: er bleven geen plekken over of iedereen is geplaatst.", "No offers: no places were left or everyone was placed.")); }
                html! {
                    <div class="table-wrap"><table data-testid="offers">
                        <thead><tr>
                            <th scope="col">{ "#" }</th><th scope="col">{ lang.t("Kandidaat", "Candidate") }</th>
                            <th scope="col">{ lang.t("Locatie", "Location") }</th><th scope="col">{ lang.t("Status", "Status") }</th>
                            <th scope="col">{ lang.t("Antwoord voor", "Answer before") }</th>
                        </tr></thead>
                        <tbody>{ for list.items.iter().map(|o| html! {
                            <tr key={o.id.to_string()}><td>{ o.sequence }</td><td>{ o.candidate_name.clone() }</td><td>{ o.location_name.clone() }</td>
                            <td>{ lang.offer_status(&o.status) }</td><td>{ lang.moment(o.respond_by) }</td></tr>
                        }) }</tbody>
                    </table></div>
                }
            }) }
        </section>
    }
}

/// The equal-chance simulation, with progress.
#[component]
fn Simulation(props: &PartProps) -> Html {
    let lang = use_lang();
    let draws = use_state(|| "1000".to_owned());
    let state = use_state(|| None::<SimulationResponse>);
    let outcome = use_state(Outcome::default);
    let onsubmit = {
        let (draws, state, outcome, id) = (
            draws.clone(),
            state.clone(),
            outcome.clone(),
            props.id.clone(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = SimulationRequest {
                draws: draws.trim().parse().unwrap_or(0),
            };
            if outcome.is_busy() || state.as_ref().is_some_and(|s| !s.finished) {
                return;
            }
            outcome.set(Outcome::Busy);
            clone!(state, outcome, id);
            wasm_bindgen_futures::spawn_local(async move {
                let started = api::post::<_, SimulationResponse>(
                    &format!("/lotteries/{id}/simulations"),
                    &request,
                )
                .await;
                let mut current = match started {
                    Ok(s) => s,
                    Err(error) => {
                        outcome.set(Outcome::Failed(error));
                        return;
                    }
                };
                outcome.set(Outcome::None);
                state.set(Some(current.clone()));
                while !current.finished {
                    sleep_ms(300).await;
                    match api::get::<SimulationResponse>(&format!(
                        "/lotteries/{id}/simulations/{}",
                        current.id
                    ))
                    .await
                    {
                        Ok(next) => {
                            current = next;
                            state.set(Some(current.clone()));
                        }
                        Err(error) => {
                            outcome.set(Outcome::Failed(error));
                            return;
                        }
                    }
                }
            });
        })
    };
    html! {
        <section class="card" aria-labelledby="simulation-title">
            <h2 id="simulation-title">{ lang.t("Gelijke kans, in cijfers", "Equal chance, in numbers") }</h2>
            <p class="muted">{ lang.t("Koppel herhaalt de loting N keer met nieuwe startwaarden op dezelfde invoer en telt per kandidaat hoe vaak die geplaatst wordt en hoe vaak op de eerste voorkeur. Achter ± staat de standaardfout: de echte kans ligt vrijwel zeker binnen twee keer die afstand.", "Koppel repeats the lottery N times with fresh seeds on the same inputs and counts, per candidate, how often they are placed and how often at their first preference. After ± is the standard error: the true chance almost surely lies within twice that distance.") }</p>
            <form {onsubmit} class="row">
                <div class="field">
                    <label for="simulation-draws">{ lang.t("Aantal lotingen", "Number of draws") }</label>
                    <input id="simulation-draws" type="number" min="1" max="100000" inputmode="numeric" value={(*draws).clone()}
                        oninput={let draws = draws.clone(); Callback::from(move |e: InputEvent| draws.set(e.target_unchecked_into::<HtmlInputElement>().value()))}
                        aria-invalid={outcome.field("draws").is_some().then_some("true")} />
                    if let Some(e) = outcome.field("draws") { <p class="field-error">{ e }</p> }
                </div>
                <button type="submit" disabled={outcome.is_busy() || state.as_ref().is_some_and(|s| !s.finished)}>{ lang.t("Simuleren", "Simulate") }</button>
            </form>
            { outcome.view(lang, &["draws"]) }
            if let Some(s) = &*state {
                <progress max={s.draws.to_string()} value={s.done.to_string()} aria-label={lang.t("Voortgang van de simulatie", "Simulation progress")}></progress>
                <p role="status" data-testid="simulation-progress">{ format!("{}/{} {}", s.done, s.draws, lang.t("lotingen", "draws")) }</p>
                if let Some(error) = &s.error {
                    <div class="alert" role="alert">{ error.clone() }</div>
                }
                if s.finished && s.error.is_none() {
                    <div class="table-wrap"><table data-testid="chances">
                        <thead><tr>
                            <th scope="col">{ lang.t("Kandidaat", "Candidate") }</th><th scope="col">{ lang.t("Voorkeuren", "Preferences") }</th>
                            <th scope="col">{ lang.t("Kans op een plek", "Chance of a place") }</th><th scope="col">{ lang.t("Kans op eerste voorkeur", "Chance of first preference") }</th>
                        </tr></thead>
                        <tbody>{ for s.candidates.iter().map(|c| html! {
                            <tr><td><code>{ c.id.clone() }</code></td><td>{ c.preferences_given }</td>
                            <td>{ format!("{:.1}% ± {:.1}", c.placed * 100.0, c.placed_standard_error * 100.0) }</td>
                            <td>{ format!("{:.1}% ± {:.1}", c.first_preference * 100.0, c.first_preference_standard_error * 100.0) }</td></tr>
                        }) }</tbody>
                    </table></div>
                }
            }
        </section>
    }
}

/// Waits `ms` milliseconds (for polling).
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
