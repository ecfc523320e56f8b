//! Coordinators: the institute's trainees and trainers, CSV import with every bad row shown, and
//! CSV export.

use koppel_api_types::{TraineeListResponse, TrainerListResponse};
use yew::prelude::*;

use crate::api;
use crate::components::csv::{import_on_change, import_result};
use crate::components::spreadsheet::Spreadsheet;
use crate::components::status::{Outcome, confirmed, empty, loading, run, show};
use crate::hooks::{use_get, use_version};
use crate::i18n::Lang;
use crate::session::{SessionHandle, signed_in, use_lang};

/// The people page.
#[component]
pub fn PeoplePage() -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    signed_in(&session, |me| match &me.institute {
        Some(institute) => html! {
            <>
                if matches!(me.role, koppel_api_types::Role::TraineeTeam) {
                    <crate::components::lottery_handover::PlacedCandidates institute={institute.id} />
                }
                <Kind institute={institute.id.to_string()} kind="trainees" />
                <Kind institute={institute.id.to_string()} kind="trainers" />
            </>
        },
        None => {
            html! { <section class="card">{ empty(lang.t("Je account hoort niet bij een opleidingsinstituut.", "Your account does not belong to an institute.")) }</section> }
        }
    })
}

#[derive(Properties, PartialEq)]
struct KindProps {
    institute: String,
    kind: &'static str,
}

#[component]
fn Kind(props: &KindProps) -> Html {
    let lang = use_lang();
    let (version, reload) = use_version();
    let base = format!("/institutes/{}/{}", props.institute, props.kind);
    let list = use_get::<serde_json::Value>(format!("{base}?per_page=100"), version);
    // Names for the trainees' history.
    let trainer_names = use_get::<TrainerListResponse>(
        format!("/institutes/{}/trainers?per_page=100", props.institute),
        version,
    );
    let outcome = use_state(Outcome::default);
    let trainees = props.kind == "trainees";
    let title = if trainees {
        lang.t("Aios", "Trainees")
    } else {
        lang.t("Opleiders", "Trainers")
    };
    let onchange = import_on_change(
        format!("{base}/import"),
        outcome.clone(),
        |lang, n| match lang {
            Lang::Nl => format!("{n} rijen geïmporteerd."),
            Lang::En => format!("{n} rows imported."),
        },
        lang,
        reload.clone(),
    );
    // Standard CSV; the spreadsheet formats come from `Spreadsheet`.
    let export = {
        clone!(outcome, base);
        let file = format!("{}.csv", props.kind);
        Callback::from(move |_: MouseEvent| {
            clone!(outcome, base, file);
            wasm_bindgen_futures::spawn_local(async move {
                match api::get_text(&format!("{base}/export")).await {
                    Ok(text) => crate::download::download(&file, &text),
                    Err(error) => outcome.set(Outcome::Failed(error)),
                }
            });
        })
    };
    let kind = props.kind;
    // Someone who left: the record stays for the rules, without name or contact details.
    let anonymise = |id: uuid::Uuid, name: String| {
        clone!(outcome, reload, base);
        Callback::from(move |_: MouseEvent| {
            let question = lang.t(
                "{name} anonimiseren? Naam, e-mailadres, profiel en account worden verwijderd; de geschiedenis blijft voor de regels. Dit kan niet ongedaan worden.",
                "Anonymise {name}? Name, e-mail address, profile and account are deleted; the history stays for the rules. This cannot be undone.",
            )
            .replace("{name}", &name);
            if !confirmed(&question) {
                return;
            }
            let path = format!("{base}/{id}/anonymise");
            run(
                outcome.clone(),
                async move { api::post::<_, ()>(&path, &serde_json::json!({})).await },
                lang.t("Geanonimiseerd.", "Anonymised.").to_owned(),
                reload.clone(),
            );
        })
    };
    let header = if trainees {
        "name,email,training_start,part_time_factor,leave_days,history"
    } else {
        "name,email,eligible_year1,eligible_year3,large_scale_structure,last_trainee_end,practice_id"
    };
    let input_id = format!("import-{}", props.kind);
    html! {
        <section class="card" aria-labelledby={format!("{}-title", props.kind)}>
            <h1 id={format!("{}-title", props.kind)}>{ title }</h1>
            <div class="row">
                <div class="field">
                    <label for={input_id.clone()}>{ format!("{title}: {}", lang.t("importeer CSV", "import CSV")) }</label>
                    <input id={input_id} type="file" accept=".csv,text/csv" {onchange} />
                    <p class="muted">{ lang.t("Kopregel: ", "Header line: ") }<code>{ header }</code>{ lang.t(". Met komma's, of met puntkomma's zoals Excel ze bewaart. Alles of niets: bij een fout wordt niets geïmporteerd.", ". With commas, or with semicolons as Excel saves them. All or nothing: if any row is wrong, nothing is imported.") }</p>
                </div>
                <button type="button" onclick={export}>{ format!("{title}: {}", lang.t("exporteer CSV", "export CSV")) }</button>
                <Spreadsheet path={format!("{base}/export")} file={kind} title={title.to_owned()} />
            </div>
            { import_result(lang, &outcome, "import-errors") }
            { show(lang, &list, |value| {
                // The history names trainers: wait for their names rather than show ids.
                if trainees && trainer_names.is_none() {
                    return loading(lang);
                }
                let names: std::collections::HashMap<uuid::Uuid, String> = match &trainer_names {
                    Some(Ok(list)) => list.items.iter().map(|t| (t.id, t.name.clone())).collect(),
                    _ => Default::default(),
                };
                let rows: Vec<(uuid::Uuid, String, String, String, String)> = if trainees {
                    serde_json::from_value::<TraineeListResponse>((*value).clone()).map(|l| l.items.into_iter().map(|t| {
                        let history = t.history.iter().map(|h| history_line(lang, h, &names)).collect::<Vec<_>>().join("; ");
                        (t.id, t.name, t.email, lang.date(t.training_start), history)
                    }).collect()).unwrap_or_default()
                } else {
                    serde_json::from_value::<TrainerListResponse>((*value).clone()).map(|l| l.items.into_iter().map(|t| {
                        let years = [(t.eligible_year1, "1"), (t.eligible_year3, "3")].iter().filter(|(e, _)| *e).map(|(_, y)| *y).collect::<Vec<_>>().join("+");
                        (t.id, t.name, t.email, years, last_trainee(lang, t.last_trainee_end, t.coupled_until))
                    }).collect()).unwrap_or_default()
                };
                if rows.is_empty() { return empty(lang.t("Nog niemand.", "Nobody yet.")); }
                html! {
                    <div class="table-wrap"><table>
                        <thead><tr>
                            <th scope="col">{ lang.t("Naam", "Name") }</th><th scope="col">{ lang.t("E-mail", "E-mail") }</th>
                            <th scope="col">{ if trainees { lang.t("Start opleiding", "Training start") } else { lang.t("Opleidingsjaar", "Training year") } }</th>
                            <th scope="col">{ if trainees { lang.t("Eerdere opleiders", "Earlier trainers") } else { lang.t("Laatste aios tot", "Last trainee until") } }</th>
                            <th scope="col"><span class="sr-only">{ lang.t("Acties", "Actions") }</span></th>
                        </tr></thead>
                        <tbody>{ for rows.iter().map(|(id, n, e, x, h)| html! { <tr><td>{ n.clone() }</td><td>{ e.clone() }</td><td>{ x.clone() }</td><td>{ h.clone() }</td>
                            <td>if !e.ends_with("@koppel.invalid") {
                                <button type="button" onclick={anonymise(*id, n.clone())}
                                    aria-label={format!("{} {n}", lang.t("Anonimiseren:", "Anonymise:"))}>{ lang.t("Anonimiseren", "Anonymise") }</button>
                            }</td></tr> }) }</tbody>
                    </table></div>
                }
            }) }
        </section>
    }
}

/// One history entry in words: "jaar 1 bij Dr. Aalders (1 maart 2028 – 28 februari 2029)".
fn history_line(
    lang: Lang,
    entry: &koppel_api_types::HistoryEntry,
    names: &std::collections::HashMap<uuid::Uuid, String>,
) -> String {
    let trainer = names.get(&entry.trainer_id).cloned().unwrap_or_else(|| {
        lang.t(
            "een opleider buiten deze lijst",
            "a trainer not in this list",
        )
        .to_owned()
    });
    let period = match entry.ends_on {
        Some(end) => format!("{} – {}", lang.date(entry.starts_on), lang.date(end)),
        None => format!("{} {}", lang.t("vanaf", "from"), lang.date(entry.starts_on)),
    };
    format!(
        "{} {} {} {trainer} ({period})",
        lang.t("jaar", "year"),
        entry.training_year,
        lang.t("bij", "with"),
    )
}

/// When a trainer's last trainee leaves: the later of the date entered and the planned end of
/// their latest coupling published in Koppel, which is marked as such.
fn last_trainee(
    lang: Lang,
    entered: Option<chrono::NaiveDate>,
    coupled_until: Option<chrono::NaiveDate>,
) -> String {
    match (entered, coupled_until) {
        (_, Some(coupled)) if Some(coupled) >= entered => format!(
            "{} ({})",
            lang.date(coupled),
            lang.t("gekoppeld in Koppel", "coupled in Koppel")
        ),
        (Some(entered), _) => lang.date(entered),
        (None, _) => lang.t("nog geen aios gehad", "no trainee yet").to_owned(),
    }
}
