//! Step 2: the trainee ranks the trainers they may be coupled to (drag and drop or keyboard).

use koppel_api_types::{PreferencesRequest, PreferencesResponse, RankableTrainerListResponse};
use uuid::Uuid;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api;
use crate::components::status::{Outcome, empty, error_box, loading};
use crate::hooks::use_get;
use crate::i18n::Lang;
use crate::session::use_lang;

use super::profiles::TrainerProfile;

pub(super) fn moved(list: &[Uuid], from: usize, to: usize) -> Vec<Uuid> {
    let mut list = list.to_vec();
    if from < list.len() && to < list.len() {
        let item = list.remove(from);
        list.insert(to, item);
    }
    list
}

#[derive(Properties, PartialEq)]
pub(super) struct PreferencesProps {
    pub(super) round: Uuid,
    pub(super) institute: Uuid,
}

/// Step 2: the trainee builds an ordered list of trainers.
#[component]
pub(super) fn Preferences(props: &PreferencesProps) -> Html {
    let lang = use_lang();
    let rankable = use_get::<RankableTrainerListResponse>(
        format!("/rounds/{}/rankable-trainers", props.round),
        0,
    );
    let mine =
        use_get::<PreferencesResponse>(format!("/rounds/{}/preferences/mine", props.round), 0);
    let ranking = use_state(Vec::<Uuid>::new);
    let initialised = use_state(|| false);
    let filter = use_state(String::new);
    let large_only = use_state(|| false);
    let open = use_state(|| None::<Uuid>);
    let dragging = use_state(|| None::<usize>);
    let announcement = use_state(String::new);
    let outcome = use_state(Outcome::default);
    {
        clone!(ranking, initialised, mine);
        use_effect_with(mine.clone().map(|m| m.is_ok()), move |_| {
            if let Some(Ok(mine)) = &mine
                && !*initialised
            {
                ranking.set(mine.trainer_ids.clone());
                initialised.set(true);
            }
        });
    }
    // The saved list must be loaded before the form shows: saving an empty list over it would
    // lose the trainee's choices.
    let (Some(Ok(rankable)), Some(Ok(_)), true) = (&rankable, &mine, *initialised) else {
        let state = match (&rankable, &mine) {
            (Some(Err(error)), _) | (_, Some(Err(error))) => error_box(lang, error),
            _ => loading(lang),
        };
        return html! { <section class="card">{ state }</section> };
    };
    let name_of = |id: &Uuid| {
        rankable
            .items
            .iter()
            .find(|t| t.trainer_id == *id)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let set_ranking = {
        clone!(ranking, announcement);
        Callback::from(move |(list, message): (Vec<Uuid>, String)| {
            ranking.set(list);
            announcement.set(message);
        })
    };
    let needle = filter.to_lowercase();
    let available: Vec<_> = rankable
        .items
        .iter()
        .filter(|t| !ranking.contains(&t.trainer_id))
        .filter(|t| !*large_only || t.large_scale_structure)
        .filter(|t| {
            needle.is_empty()
                || t.name.to_lowercase().contains(&needle)
                || t.practice
                    .as_deref()
                    .unwrap_or("")
                    .to_lowercase()
                    .contains(&needle)
                || t.city
                    .as_deref()
                    .unwrap_or("")
                    .to_lowercase()
                    .contains(&needle)
        })
        .cloned()
        .collect();
    let onsubmit = {
        clone!(ranking, outcome);
        let round = props.round;
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = PreferencesRequest {
                trainer_ids: (*ranking).clone(),
            };
            let outcome = outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::put::<_, serde_json::Value>(&format!("/rounds/{round}/preferences"), &request).await {
                    Ok(_) => outcome.set(Outcome::Done(lang.t("Je voorkeuren zijn opgeslagen. Je kunt ze tot de deadline nog wijzigen.", "Your preferences have been saved. You can change them until the deadline.").to_owned())),
                    Err(error) => outcome.set(Outcome::Failed(error)),
                }
            });
        })
    };
    let count = ranking.len();
    html! {
        <section class="card" aria-labelledby="prefs-title">
            <h2 id="prefs-title">{ lang.t("Stap 2: je voorkeuren", "Step 2: your preferences") }</h2>
            <p class="muted">{ match lang {
                Lang::Nl => format!("Kies minstens {} opleiders en zet ze in volgorde van voorkeur: sleep ze, of gebruik de knoppen omhoog en omlaag. Koppel stelt daarna vier gesprekken per aios voor.", rankable.minimum),
                Lang::En => format!("Choose at least {} trainers and put them in order of preference: drag them, or use the up and down buttons. Koppel then proposes four interviews per trainee.", rankable.minimum),
            } }</p>
            <div class="two-columns">
                <div>
                    <h3>{ lang.t("Beschikbare opleiders", "Available trainers") }</h3>
                    <div class="field">
                        <label for="trainer-filter">{ lang.t("Zoeken op naam, praktijk of plaats", "Search by name, practice or town") }</label>
                        <input id="trainer-filter" type="search" value={(*filter).clone()}
                            oninput={let filter = filter.clone(); Callback::from(move |e: InputEvent| filter.set(e.target_unchecked_into::<HtmlInputElement>().value()))} />
                    </div>
                    <label class="check">
                        <input type="checkbox" checked={*large_only}
                            onchange={let large_only = large_only.clone(); Callback::from(move |_| large_only.set(!*large_only))} />
                        { lang.t("Alleen grootschalige structuur", "Large-scale structure only") }
                    </label>
                    if available.is_empty() {
                        { empty(lang.t("Geen opleiders (meer) die passen.", "No (more) trainers match.")) }
                    }
                    <ul class="plain cards" data-testid="available">
                        { for available.iter().map(|t| {
                            let id = t.trainer_id;
                            let add = {
                                clone!(ranking, set_ranking);
                                let name = t.name.clone();
                                Callback::from(move |_: MouseEvent| {
                                    let mut list = (*ranking).clone();
                                    list.push(id);
                                    let n = list.len();
                                    set_ranking.emit((list, match lang { Lang::Nl => format!("{name} toegevoegd op plaats {n}."), Lang::En => format!("{name} added at position {n}.") }));
                                })
                            };
                            let toggle = {
                                let open = open.clone();
                                Callback::from(move |_: MouseEvent| open.set(if *open == Some(id) { None } else { Some(id) }))
                            };
                            html! {
                                <li key={id.to_string()} class="item">
                                    <div>
                                        <strong>{ t.name.clone() }</strong>
                                        if t.large_scale_structure {
                                            { " " }<span class="badge small">{ lang.t("grootschalig", "large-scale") }</span>
                                        }
                                        <div class="muted">{ [t.practice.clone(), t.city.clone()].into_iter().flatten().collect::<Vec<_>>().join(", ") }</div>
                                    </div>
                                    <div class="actions">
                                        <button type="button" onclick={toggle} aria-expanded={(*open == Some(id)).to_string()}>
                                            { lang.t("Leerwerkplan", "Learning plan") }
                                        </button>
                                        <button type="button" class="primary" onclick={add} aria-label={format!("{} {}", lang.t("Toevoegen:", "Add:"), t.name)}>
                                            { lang.t("Toevoegen", "Add") }
                                        </button>
                                    </div>
                                    if *open == Some(id) {
                                        <TrainerProfile institute={props.institute} trainer={id} />
                                    }
                                </li>
                            }
                        }) }
                    </ul>
                </div>
                <form {onsubmit}>
                    <h3 id="ranking-title">{ match lang { Lang::Nl => format!("Jouw volgorde ({count})"), Lang::En => format!("Your order ({count})") } }</h3>
                    if ranking.is_empty() {
                        { empty(lang.t("Nog niemand gekozen. Voeg opleiders toe uit de lijst.", "Nobody chosen yet. Add trainers from the list.")) }
                    }
                    <ol class="ranking" aria-labelledby="ranking-title" data-testid="ranking">
                        { for ranking.iter().enumerate().map(|(index, id)| {
                            let name = name_of(id);
                            let up = {
                                clone!(ranking, set_ranking, name);
                                Callback::from(move |_: MouseEvent| if index > 0 {
                                    set_ranking.emit((moved(&ranking, index, index - 1), match lang { Lang::Nl => format!("{name} staat nu op plaats {index}."), Lang::En => format!("{name} is now at position {index}.") }));
                                })
                            };
                            let down = {
                                clone!(ranking, set_ranking, name);
                                Callback::from(move |_: MouseEvent| if index + 1 < ranking.len() {
                                    let n = index + 2;
                                    set_ranking.emit((moved(&ranking, index, index + 1), match lang { Lang::Nl => format!("{name} staat nu op plaats {n}."), Lang::En => format!("{name} is now at position {n}.") }));
                                })
                            };
                            let remove = {
                                clone!(ranking, set_ranking, name);
                                Callback::from(move |_: MouseEvent| {
                                    let list: Vec<Uuid> = ranking.iter().copied().filter(|x| *x != ranking[index]).collect();
                                    set_ranking.emit((list, match lang { Lang::Nl => format!("{name} verwijderd."), Lang::En => format!("{name} removed.") }));
                                })
                            };
                            let ondragstart = { let dragging = dragging.clone(); Callback::from(move |_: DragEvent| dragging.set(Some(index))) };
                            let ondragover = Callback::from(|event: DragEvent| event.prevent_default());
                            let ondrop = {
                                clone!(dragging, ranking, set_ranking, name);
                                Callback::from(move |event: DragEvent| {
                                    event.prevent_default();
                                    if let Some(from) = *dragging {
                                        let moved_name = name.clone();
                                        let _ = moved_name;
                                        let n = index + 1;
                                        set_ranking.emit((moved(&ranking, from, index), match lang { Lang::Nl => format!("Verplaatst naar plaats {n}."), Lang::En => format!("Moved to position {n}.") }));
                                    }
                                    dragging.set(None);
                                })
                            };
                            let error = outcome.field(&format!("trainer_ids[{index}]"));
                            html! {
                                <li key={id.to_string()} class="item draggable" draggable="true" {ondragstart} {ondragover} {ondrop}>
                                    <span class="grip" aria-hidden="true">{ "⠿" }</span>
                                    <span class="rank">{ format!("{}.", index + 1) }</span>
                                    <span class="name">{ name.clone() }</span>
                                    <span class="actions">
                                        <button type="button" onclick={up} disabled={index == 0} aria-label={format!("{} {name}", lang.t("Hoger:", "Move up:"))}>{ "↑" }</button>
                                        <button type="button" onclick={down} disabled={index + 1 == count} aria-label={format!("{} {name}", lang.t("Lager:", "Move down:"))}>{ "↓" }</button>
                                        <button type="button" onclick={remove} aria-label={format!("{} {name}", lang.t("Verwijder:", "Remove:"))}>{ "✕" }</button>
                                    </span>
                                    if let Some(error) = error {
                                        <p class="field-error">{ error }</p>
                                    }
                                </li>
                            }
                        }) }
                    </ol>
                    <p class="sr-only" aria-live="polite">{ (*announcement).clone() }</p>
                    if let Some(error) = outcome.field("trainer_ids") {
                        <p class="field-error" role="alert">{ error }</p>
                    }
                    { outcome.view(lang, &["trainer_ids"]) }
                    <button class="primary" type="submit">{ lang.t("Voorkeuren opslaan", "Save preferences") }</button>
                </form>
            </div>
        </section>
    }
}
