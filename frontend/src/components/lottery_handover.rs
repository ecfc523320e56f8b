//! From the placement lottery to the institutes: administrators link each location to an
//! institute and hand the placed candidates over once the second chance is over; an institute's
//! A-team sees its placed candidates and imports them as year-1 trainees in one step.

use koppel_api_types::{
    HandoverRequest, HandoverResponse, LocationInstituteRequest, LotteryLocation, LotteryResponse,
    PlacedCandidateListResponse, PlacedImportResponse,
};
use uuid::Uuid;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::api;
use crate::components::status::{Outcome, empty, run, show};
use crate::hooks::{use_get, use_version};
use crate::session::use_lang;

/// Props of [`LocationInstitute`].
#[derive(Properties, PartialEq)]
pub struct LocationInstituteProps {
    /// The lottery.
    pub lottery: Uuid,
    /// The location.
    pub location: LotteryLocation,
    /// Every institute: id and name.
    pub institutes: Vec<(Uuid, String)>,
    /// Whether it may still change (until the hand-over).
    pub editable: bool,
    /// After a change.
    pub on_change: Callback<()>,
}

/// A location's institute: a select for administrators until the hand-over.
#[component]
pub fn LocationInstitute(props: &LocationInstituteProps) -> Html {
    let lang = use_lang();
    let outcome = use_state(Outcome::default);
    let list = &props.institutes;
    let name = |id: Uuid| {
        list.iter()
            .find(|(i, _)| *i == id)
            .map_or_else(|| id.to_string(), |(_, name)| name.clone())
    };
    if !props.editable {
        return html! { <>{ props.location.institute_id.map(name).unwrap_or_else(|| "—".to_owned()) }</> };
    }
    let onchange = {
        let (outcome, on_change, lottery, location) = (
            outcome.clone(),
            props.on_change.clone(),
            props.lottery,
            props.location.id.clone(),
        );
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            let request = LocationInstituteRequest {
                institute_id: select.value().parse().ok(),
            };
            let path = format!("/lotteries/{lottery}/locations/{location}");
            run(
                outcome.clone(),
                async move { api::patch::<_, ()>(&path, &request).await },
                lang.t("Instituut opgeslagen.", "Institute saved.")
                    .to_owned(),
                on_change.clone(),
            );
        })
    };
    html! {
        <>
            <select aria-label={format!("{} {}", lang.t("Instituut van", "Institute of"), props.location.name)} {onchange}>
                <option value="" selected={props.location.institute_id.is_none()}>{ lang.t("— geen —", "— none —") }</option>
                { for list.iter().map(|(id, name)| html! {
                    <option value={id.to_string()} selected={props.location.institute_id == Some(*id)}>{ name.clone() }</option>
                }) }
            </select>
            { outcome.view(lang, &[]) }
        </>
    }
}

/// Props of [`Handover`].
#[derive(Properties, PartialEq)]
pub struct HandoverProps {
    /// The lottery.
    pub lottery: LotteryResponse,
    /// After the hand-over.
    pub on_change: Callback<()>,
}

/// The hand-over of a drawn lottery's placed candidates to their institutes.
#[component]
pub fn Handover(props: &HandoverProps) -> Html {
    let lang = use_lang();
    let start = use_state(String::new);
    let outcome = use_state(Outcome::default);
    let result = use_state(|| None::<HandoverResponse>);
    let lottery = &props.lottery;
    let onsubmit = {
        let (start, outcome, result, on_change, id) = (
            start.clone(),
            outcome.clone(),
            result.clone(),
            props.on_change.clone(),
            lottery.id,
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Ok(placement_start) = start.parse() else {
                outcome.set(Outcome::Failed(api::ClientError::local_field(
                    "placement_start",
                    lang.t("Kies een datum.", "Choose a date."),
                )));
                return;
            };
            let request = HandoverRequest { placement_start };
            let (outcome2, result, on_change) =
                (outcome.clone(), result.clone(), on_change.clone());
            outcome.set(Outcome::Busy);
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<_, HandoverResponse>(
                    &format!("/lotteries/{id}/handover"),
                    &request,
                )
                .await
                {
                    Ok(done) => {
                        outcome2.set(Outcome::Done(
                            lang.t(
                                "Overgedragen; de A-teams krijgen bericht.",
                                "Handed over; the A-teams are told.",
                            )
                            .to_owned(),
                        ));
                        result.set(Some(done));
                        on_change.emit(());
                    }
                    Err(error) => outcome2.set(Outcome::Failed(error)),
                }
            });
        })
    };
    html! {
        <section class="card" aria-labelledby="handover-title">
            <h2 id="handover-title">{ lang.t("Overdracht aan de instituten", "Hand-over to the institutes") }</h2>
            if let (Some(at), Some(start)) = (lottery.handed_over_at, lottery.placement_start) {
                <p data-testid="handed-over">{ format!("{} {} · {} {}", lang.t("Overgedragen op", "Handed over on"), lang.date(at.date_naive()), lang.t("start opleidingsplaats", "placement start"), lang.date(start)) }</p>
            } else {
                <p class="muted">{ lang.t(
                    "Als de tweede kans voorbij is (geen aanbod meer open), gaan de geplaatste kandidaten naar het instituut van hun locatie. Hun A-team importeert ze als eerstejaars aios met deze startdatum.",
                    "Once the second chance is over (no offer open any more), the placed candidates go to the institute of their location. Its A-team imports them as first-year trainees with this start date.") }</p>
                <form {onsubmit}>
                    <label for="placement-start">{ lang.t("Start opleidingsplaats", "Placement start") }</label>
                    <input id="placement-start" type="date" value={(*start).clone()}
                        oninput={let start = start.clone(); Callback::from(move |e: InputEvent| { let input: HtmlInputElement = e.target_unchecked_into(); start.set(input.value()); })} />
                    <button type="submit" class="primary" disabled={outcome.is_busy()}>{ lang.t("Overdragen", "Hand over") }</button>
                </form>
            }
            { outcome.view(lang, &["placement_start"]) }
            if let Some(done) = result.as_ref() {
                <ul data-testid="handover-result">
                    { for done.institutes.iter().map(|i| html! { <li>{ format!("{}: {}", i.name, i.candidates) }</li> }) }
                </ul>
            }
        </section>
    }
}

/// Props of [`PlacedCandidates`].
#[derive(Properties, PartialEq)]
pub struct PlacedProps {
    /// The institute.
    pub institute: Uuid,
}

/// The A-team's placed candidates from the lottery, and their import as year-1 trainees.
#[component]
pub fn PlacedCandidates(props: &PlacedProps) -> Html {
    let lang = use_lang();
    let (version, reload) = use_version();
    let placed = use_get::<PlacedCandidateListResponse>(
        format!("/institutes/{}/placed-candidates", props.institute),
        version,
    );
    let outcome = use_state(Outcome::default);
    let waiting = placed
        .as_ref()
        .and_then(|p| p.as_ref().ok())
        .map_or(0, |p| {
            p.items.iter().filter(|c| c.trainee_id.is_none()).count()
        });
    let import = {
        let (outcome, reload, institute) = (outcome.clone(), reload.clone(), props.institute);
        Callback::from(move |_: MouseEvent| {
            run(
                outcome.clone(),
                async move {
                    api::post::<_, PlacedImportResponse>(
                        &format!("/institutes/{institute}/placed-candidates/import"),
                        &serde_json::json!({}),
                    )
                    .await
                    .map(|_| ())
                },
                lang.t(
                    "Geïmporteerd als eerstejaars aios.",
                    "Imported as first-year trainees.",
                )
                .to_owned(),
                reload.clone(),
            );
        })
    };
    html! {
        <section class="card" aria-labelledby="placed-title">
            <h2 id="placed-title">{ lang.t("Geplaatste kandidaten uit de loting", "Placed candidates from the lottery") }</h2>
            { show(lang, &placed, |list| {
                if list.items.is_empty() { return empty(lang.t("Nog geen geplaatste kandidaten overgedragen.", "No placed candidates handed over yet.")); }
                html! {
                    <div class="table-wrap"><table data-testid="placed-candidates">
                        <thead><tr>
                            <th scope="col">{ lang.t("Naam", "Name") }</th><th scope="col">{ lang.t("Loting", "Lottery") }</th>
                            <th scope="col">{ lang.t("Locatie", "Location") }</th><th scope="col">{ lang.t("Start", "Start") }</th><th scope="col">{ lang.t("Status", "Status") }</th>
                        </tr></thead>
                        <tbody>{ for list.items.iter().map(|c| html! {
                            <tr>
                                <td>{ c.name.clone() }</td><td>{ c.lottery_name.clone() }</td>
                                <td>{ c.location_name.clone() }{ if c.second_chance { lang.t(" (tweede kans)", " (second chance)") } else { "" } }</td>
                                <td>{ lang.date(c.placement_start) }</td>
                                <td>{ if c.trainee_id.is_some() { lang.t("geïmporteerd", "imported") } else { lang.t("nog te importeren", "to import") } }</td>
                            </tr>
                        }) }</tbody>
                    </table></div>
                }
            }) }
            if waiting > 0 {
                <button type="button" class="primary" disabled={outcome.is_busy()} onclick={import}>
                    { format!("{} ({waiting})", lang.t("Importeren als eerstejaars aios", "Import as first-year trainees")) }
                </button>
            }
            { outcome.view(lang, &[]) }
        </section>
    }
}
