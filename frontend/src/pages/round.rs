//! A round as a trainee or trainer takes part in it: step 2 ranking (drag and drop or keyboard),
//! the interviews, the final ranking, vetoes and the result with its explanation.

use koppel_api_types::{
    FinalRankingRequest, FinalRankingResponse, InterviewUpdateRequest, MeResponse,
    MyCouplingResponse, MyInterviewsResponse, PreferencesRequest, PreferencesResponse, RankEntry,
    RankableTrainerListResponse, Role, RoundListResponse, RoundResponse, TraineeProfileResponse,
    TrainerProfileResponse, VetoRequest,
};
use uuid::Uuid;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::field::TextArea;
use crate::components::status::{Outcome, confirmed, empty, error_box, loading, show};
use crate::components::timeline::{Timeline, round_title};
use crate::components::veto::REFUSED;
use crate::hooks::{use_get, use_version};
use crate::i18n::Lang;
use crate::route::Route;
use crate::session::{SessionHandle, signed_in};

/// Properties of [`RoundPage`].
#[derive(Properties, PartialEq)]
pub struct RoundPageProps {
    /// Round id.
    pub id: String,
}

/// The round page of a trainee or trainer.
#[component]
pub fn RoundPage(props: &RoundPageProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let rounds = use_get::<RoundListResponse>("/me/rounds".to_owned(), 0);
    let id = props.id.clone();
    signed_in(&session, |me| {
        show(lang, &rounds, |list| {
            match list.items.iter().find(|r| r.id.to_string() == id) {
                Some(round) => html! { <ParticipantRound round={round.clone()} me={me.clone()} /> },
                None => {
                    html! { <section class="card">{ empty(lang.t("Je doet niet mee aan deze ronde.", "You are not taking part in this round.")) }</section> }
                }
            }
        })
    })
}

#[derive(Properties, PartialEq)]
struct ParticipantProps {
    round: RoundResponse,
    me: MeResponse,
}

#[component]
fn ParticipantRound(props: &ParticipantProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let round = &props.round;
    let trainee = props.me.role == Role::Trainee;
    let institute = props
        .me
        .institute
        .as_ref()
        .map(|i| i.id)
        .unwrap_or_default();
    let phase = round.phase.as_str();
    html! {
        <>
            <section class="card" aria-labelledby="round-title">
                <h1 id="round-title">{ round_title(lang, round) }</h1>
                <Timeline round={round.clone()} />
            </section>
            {
                match (phase, trainee) {
                    ("draft" | "profiles", _) => html! {
                        <section class="card">
                            <h2>{ lang.t("Stap 1: profielen", "Step 1: profiles") }</h2>
                            <p>{ if trainee { lang.t("Schrijf je profiel: opleiders lezen het voor de gesprekken.", "Write your profile: trainers read it before the interviews.") } else { lang.t("Werk je leerwerkplan bij: aios lezen het als ze rangschikken.", "Update your learning plan: trainees read it when they rank.") } }</p>
                            <Link<Route> to={Route::Profile} classes="button primary">{ lang.t("Naar je profiel", "To your profile") }</Link<Route>>
                        </section>
                    },
                    ("preferences", true) => html! { <Preferences round={round.id} institute={institute} /> },
                    ("preferences", false) => html! {
                        <section class="card"><p>{ lang.t("De aios rangschikken nu de opleiders. Zodra de gesprekken bekend zijn, zie je hier met wie je spreekt.", "Trainees are ranking trainers now. Once the interviews are published you see here whom you meet.") }</p></section>
                    },
                    ("interviews", _) => html! {
                        <>
                            <Interviews round={round.id} institute={institute} trainee={trainee} />
                            <FinalRanking round={round.id} trainee={trainee} />
                        </>
                    },
                    ("coupling", _) => html! {
                        <section class="card"><p>{ lang.t("De coördinatoren berekenen de koppeling. Je krijgt een mail zodra de uitslag bekend is.", "The coordinators are computing the coupling. You get a mail once the result is out.") }</p></section>
                    },
                    ("published" | "closed", _) => html! { <Result round={round.id} /> },
                    _ => html! {},
                }
            }
            if matches!(phase, "profiles" | "preferences" | "interviews") {
                <Veto round={round.id} trainee={trainee} />
            }
        </>
    }
}

fn moved(list: &[Uuid], from: usize, to: usize) -> Vec<Uuid> {
    let mut list = list.to_vec();
    if from < list.len() && to < list.len() {
        let item = list.remove(from);
        list.insert(to, item);
    }
    list
}

#[derive(Properties, PartialEq)]
struct PreferencesProps {
    round: Uuid,
    institute: Uuid,
}

/// Step 2: the trainee builds an ordered list of trainers.
#[component]
fn Preferences(props: &PreferencesProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
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
        let (ranking, initialised, mine) = (ranking.clone(), initialised.clone(), mine.clone());
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
        let (ranking, announcement) = (ranking.clone(), announcement.clone());
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
        let (ranking, outcome) = (ranking.clone(), outcome.clone());
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
                                let (ranking, set_ranking) = (ranking.clone(), set_ranking.clone());
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
                                let (ranking, set_ranking, name) = (ranking.clone(), set_ranking.clone(), name.clone());
                                Callback::from(move |_: MouseEvent| if index > 0 {
                                    set_ranking.emit((moved(&ranking, index, index - 1), match lang { Lang::Nl => format!("{name} staat nu op plaats {index}."), Lang::En => format!("{name} is now at position {index}.") }));
                                })
                            };
                            let down = {
                                let (ranking, set_ranking, name) = (ranking.clone(), set_ranking.clone(), name.clone());
                                Callback::from(move |_: MouseEvent| if index + 1 < ranking.len() {
                                    let n = index + 2;
                                    set_ranking.emit((moved(&ranking, index, index + 1), match lang { Lang::Nl => format!("{name} staat nu op plaats {n}."), Lang::En => format!("{name} is now at position {n}.") }));
                                })
                            };
                            let remove = {
                                let (ranking, set_ranking, name) = (ranking.clone(), set_ranking.clone(), name.clone());
                                Callback::from(move |_: MouseEvent| {
                                    let list: Vec<Uuid> = ranking.iter().copied().filter(|x| *x != ranking[index]).collect();
                                    set_ranking.emit((list, match lang { Lang::Nl => format!("{name} verwijderd."), Lang::En => format!("{name} removed.") }));
                                })
                            };
                            let ondragstart = { let dragging = dragging.clone(); Callback::from(move |_: DragEvent| dragging.set(Some(index))) };
                            let ondragover = Callback::from(|event: DragEvent| event.prevent_default());
                            let ondrop = {
                                let (dragging, ranking, set_ranking, name) = (dragging.clone(), ranking.clone(), set_ranking.clone(), name.clone());
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

#[derive(Properties, PartialEq)]
struct TrainerProfileProps {
    institute: Uuid,
    trainer: Uuid,
}

/// A trainer's learning plan and practice, read when needed.
#[component]
fn TrainerProfile(props: &TrainerProfileProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let profile = use_get::<TrainerProfileResponse>(
        format!(
            "/institutes/{}/trainers/{}/profile",
            props.institute, props.trainer
        ),
        0,
    );
    html! {
        <div class="profile">
            { show(lang, &profile, |p| html! {
                <>
                    <h4>{ lang.t("Leerwerkplan", "Learning plan") }</h4>
                    <p class="prewrap">{ if p.learning_plan.is_empty() { lang.t("(nog niet ingevuld)", "(not written yet)").to_owned() } else { p.learning_plan.clone() } }</p>
                    <h4>{ lang.t("Praktijk", "Practice") }</h4>
                    <p class="prewrap">{ p.practice_description.clone() }</p>
                </>
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct TraineeProfileProps {
    institute: Uuid,
    trainee: Uuid,
}

/// A trainee's profile, for the trainers proposed to them.
#[component]
fn TraineeProfile(props: &TraineeProfileProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let profile = use_get::<TraineeProfileResponse>(
        format!(
            "/institutes/{}/trainees/{}/profile",
            props.institute, props.trainee
        ),
        0,
    );
    html! {
        <div class="profile">
            { show(lang, &profile, |p| html! {
                <>
                    <h4>{ lang.t("Introductie", "Introduction") }</h4>
                    <p class="prewrap">{ p.introduction.clone() }</p>
                    <h4>{ lang.t("Ervaring", "Experience") }</h4>
                    <p class="prewrap">{ p.experience.clone() }</p>
                    <h4>{ lang.t("Leerwensen", "Learning wishes") }</h4>
                    <p class="prewrap">{ p.learning_wishes.clone() }</p>
                </>
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SideProps {
    round: Uuid,
    #[prop_or_default]
    institute: Uuid,
    trainee: bool,
}

/// The interviews with contact details; trainees record them as planned and held.
#[component]
fn Interviews(props: &SideProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let (version, reload) = use_version();
    let interviews = use_get::<MyInterviewsResponse>(
        format!("/rounds/{}/interviews/mine", props.round),
        version,
    );
    let open = use_state(|| None::<Uuid>);
    html! {
        <section class="card" aria-labelledby="interviews-title">
            <h2 id="interviews-title">{ lang.t("Je gesprekken", "Your interviews") }</h2>
            { show(lang, &interviews, |list| {
                if list.items.is_empty() {
                    return empty(lang.t("Er zijn (nog) geen gesprekken voor je.", "There are no interviews for you (yet)."));
                }
                html! {
                    <ul class="plain cards" data-testid="interviews">
                        { for list.items.iter().map(|item| {
                            let other = if props.trainee { item.trainer_id } else { item.trainee_id };
                            let toggle = { let open = open.clone(); Callback::from(move |_: MouseEvent| open.set(if *open == Some(other) { None } else { Some(other) })) };
                            html! {
                                <li key={other.to_string()} class="item">
                                    <div>
                                        <strong>{ item.name.clone() }</strong>
                                        <div><a href={format!("mailto:{}", item.email)}>{ item.email.clone() }</a></div>
                                        if let Some(practice) = &item.practice {
                                            <div class="muted">{ practice.clone() }</div>
                                        }
                                    </div>
                                    if props.trainee {
                                        <InterviewDates round={props.round} trainer={item.trainer_id} name={item.name.clone()}
                                            planned={item.planned_on} held={item.held_on} on_saved={reload.clone()} />
                                    } else {
                                        <button type="button" onclick={toggle} aria-expanded={(*open == Some(other)).to_string()}>{ lang.t("Profiel", "Profile") }</button>
                                        if *open == Some(other) {
                                            <TraineeProfile institute={props.institute} trainee={other} />
                                        }
                                    }
                                </li>
                            }
                        }) }
                    </ul>
                }
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct DatesProps {
    round: Uuid,
    trainer: Uuid,
    name: String,
    planned: Option<chrono::NaiveDate>,
    held: Option<chrono::NaiveDate>,
    on_saved: Callback<()>,
}

#[component]
fn InterviewDates(props: &DatesProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let planned = use_state(|| props.planned.map(|d| d.to_string()).unwrap_or_default());
    let held = use_state(|| props.held.map(|d| d.to_string()).unwrap_or_default());
    let outcome = use_state(Outcome::default);
    let key = props.trainer.to_string();
    let onsubmit = {
        let (planned, held, outcome) = (planned.clone(), held.clone(), outcome.clone());
        let (round, trainer, on_saved) = (props.round, props.trainer, props.on_saved.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = InterviewUpdateRequest {
                planned_on: planned.parse().ok(),
                held_on: held.parse().ok(),
            };
            let (outcome, on_saved) = (outcome.clone(), on_saved.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::put::<_, serde_json::Value>(
                    &format!("/rounds/{round}/interviews/{trainer}"),
                    &request,
                )
                .await
                {
                    Ok(_) => {
                        outcome.set(Outcome::Done(lang.t("Opgeslagen.", "Saved.").to_owned()));
                        on_saved.emit(());
                    }
                    Err(error) => outcome.set(Outcome::Failed(error)),
                }
            });
        })
    };
    let date_input = |id: String,
                      label: &'static str,
                      state: &UseStateHandle<String>,
                      error: Option<String>| {
        let state2 = state.clone();
        html! {
            <div class="field inline">
                <label for={id.clone()}>{ label }</label>
                <input id={id} type="date" value={(**state).clone()}
                    oninput={Callback::from(move |e: InputEvent| state2.set(e.target_unchecked_into::<HtmlInputElement>().value()))}
                    aria-invalid={error.is_some().then_some("true")} />
                if let Some(error) = error {
                    <p class="field-error">{ error }</p>
                }
            </div>
        }
    };
    html! {
        <form class="dates" {onsubmit} aria-label={format!("{} {}", lang.t("Gesprek met", "Interview with"), props.name)}>
            { date_input(format!("planned-{key}"), lang.t("Gepland op", "Planned on"), &planned, outcome.field("planned_on")) }
            { date_input(format!("held-{key}"), lang.t("Gehouden op", "Held on"), &held, outcome.field("held_on")) }
            <button type="submit">{ lang.t("Opslaan", "Save") }</button>
            { outcome.view(lang, &["planned_on", "held_on"]) }
        </form>
    }
}

/// Step 3: rank the interview counterparts 1..n.
#[component]
fn FinalRanking(props: &SideProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let interviews =
        use_get::<MyInterviewsResponse>(format!("/rounds/{}/interviews/mine", props.round), 0);
    let mine =
        use_get::<FinalRankingResponse>(format!("/rounds/{}/final-ranking/mine", props.round), 0);
    let order = use_state(Vec::<Uuid>::new);
    let outcome = use_state(Outcome::default);
    let trainee = props.trainee;
    {
        let order = order.clone();
        let ready = matches!((&interviews, &mine), (Some(Ok(_)), Some(_)));
        let (interviews, mine) = (interviews.clone(), mine.clone());
        use_effect_with(ready, move |ready| {
            if *ready && let Some(Ok(list)) = &interviews {
                let mut ids: Vec<Uuid> = match &mine {
                    Some(Ok(m)) if !m.counterpart_ids.is_empty() => m.counterpart_ids.clone(),
                    _ => Vec::new(),
                };
                for item in &list.items {
                    let id = if trainee {
                        item.trainer_id
                    } else {
                        item.trainee_id
                    };
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                order.set(ids);
            }
        });
    }
    let Some(Ok(list)) = &interviews else {
        return html! {};
    };
    if list.items.is_empty() {
        return html! {};
    }
    let submitted = matches!(&mine, Some(Ok(m)) if !m.counterpart_ids.is_empty());
    let name_of = |id: &Uuid| {
        list.items
            .iter()
            .find(|i| (if trainee { i.trainer_id } else { i.trainee_id }) == *id)
            .map(|i| i.name.clone())
            .unwrap_or_default()
    };
    let onsubmit = {
        let (order, outcome) = (order.clone(), outcome.clone());
        let round = props.round;
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let request = FinalRankingRequest {
                ranks: order
                    .iter()
                    .enumerate()
                    .map(|(i, id)| RankEntry {
                        counterpart_id: *id,
                        rank: i as u32 + 1,
                    })
                    .collect(),
            };
            let outcome = outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::put::<_, serde_json::Value>(
                    &format!("/rounds/{round}/final-ranking"),
                    &request,
                )
                .await
                {
                    Ok(_) => outcome.set(Outcome::Done(
                        lang.t(
                            "Je definitieve rangorde is opgeslagen.",
                            "Your final ranking has been saved.",
                        )
                        .to_owned(),
                    )),
                    Err(error) => outcome.set(Outcome::Failed(error)),
                }
            });
        })
    };
    let count = order.len();
    html! {
        <section class="card" aria-labelledby="final-title">
            <h2 id="final-title">{ lang.t("Je definitieve rangorde", "Your final ranking") }</h2>
            <p class="muted">{ lang.t("Zet je gesprekspartners na de gesprekken in volgorde: 1 is je eerste keus. De andere kant ziet jouw rangorde nooit.", "After the interviews, put your counterparts in order: 1 is your first choice. The other side never sees your ranking.") }</p>
            if submitted {
                <p class="success">{ "✓ " }{ lang.t("Ingediend. Aanpassen kan tot de deadline.", "Submitted. You can change it until the deadline.") }</p>
            }
            <form {onsubmit}>
                <ol class="ranking" data-testid="final-ranking">
                    { for order.iter().enumerate().map(|(index, id)| {
                        let name = name_of(id);
                        let up = { let order = order.clone(); Callback::from(move |_: MouseEvent| if index > 0 { order.set(moved(&order, index, index - 1)) }) };
                        let down = { let order = order.clone(); Callback::from(move |_: MouseEvent| if index + 1 < order.len() { order.set(moved(&order, index, index + 1)) }) };
                        html! {
                            <li key={id.to_string()} class="item">
                                <span class="rank">{ format!("{}.", index + 1) }</span>
                                <span class="name">{ name.clone() }</span>
                                <span class="actions">
                                    <button type="button" onclick={up} disabled={index == 0} aria-label={format!("{} {name}", lang.t("Hoger:", "Move up:"))}>{ "↑" }</button>
                                    <button type="button" onclick={down} disabled={index + 1 == count} aria-label={format!("{} {name}", lang.t("Lager:", "Move down:"))}>{ "↓" }</button>
                                </span>
                            </li>
                        }
                    }) }
                </ol>
                { outcome.view(lang, &[]) }
                <button class="primary" type="submit">{ lang.t("Rangorde indienen", "Submit ranking") }</button>
            </form>
        </section>
    }
}

/// The categories of the veto form that are grounds for a veto; those the policy refuses are
/// [`REFUSED`].
const ALLOWED: [(&str, &str, &str); 1] = [(
    "personal_relationship",
    "Persoonlijke relatie (familie, eigen huisarts, andere persoonlijke band)",
    "Personal relationship (family, own GP, other personal tie)",
)];
/// Why a refused category is no ground for a veto, in the user's language.
fn refused_policy(lang: Lang, category: &str) -> Option<String> {
    let (_, nl, en) = REFUSED.iter().find(|(value, ..)| *value == category)?;
    let reason = lang.t(nl, en);
    Some(match (lang, category) {
        (Lang::Nl, "travel_time") => "Reistijd is geen grond voor een veto: aios worden geplaatst op een opleidingslocatie met haar regio, de opleidingspraktijken liggen verspreid over die regio en van aios wordt verwacht dat ze over een (lease)auto beschikken.".to_owned(),
        (Lang::En, "travel_time") => "Travel time is no ground for a veto: trainees are placed at a training location with its region, the training practices lie throughout that region, and trainees are expected to have a (lease) car.".to_owned(),
        (Lang::Nl, _) => format!("{reason} is geen grond voor een veto: de opleiding verwelkomt iedere aios ongeacht geloof, politieke voorkeur, huidskleur, migratieachtergrond, seksuele geaardheid of gender, en verwacht dat opleiders dit beleid uitvoeren."),
        (Lang::En, _) => format!("{reason} is no ground for a veto: the training welcomes every trainee regardless of religion, political preference, skin colour, migration background, sexual orientation or gender, and expects trainers to apply this policy."),
    })
}

/// Declare a veto; the form explains which reasons count and which never do.
#[component]
fn Veto(props: &SideProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    let trainee = props.trainee;
    let counterparts_path = if trainee {
        format!("/rounds/{}/rankable-trainers", props.round)
    } else {
        format!("/rounds/{}/interviews/mine", props.round)
    };
    let loaded = use_get::<serde_json::Value>(counterparts_path, 0);
    let counterpart = use_state(String::new);
    let category = use_state(|| "personal_relationship".to_owned());
    let relationship = use_state(|| "family".to_owned());
    let note = use_state(String::new);
    let outcome = use_state(Outcome::default);
    let options: Vec<(String, String)> = match &loaded {
        Some(Ok(value)) if trainee => {
            serde_json::from_value::<RankableTrainerListResponse>((**value).clone())
                .map(|l| {
                    l.items
                        .into_iter()
                        .map(|t| (t.trainer_id.to_string(), t.name))
                        .collect()
                })
                .unwrap_or_default()
        }
        Some(Ok(value)) => serde_json::from_value::<MyInterviewsResponse>((**value).clone())
            .map(|l| {
                l.items
                    .into_iter()
                    .map(|i| (i.trainee_id.to_string(), i.name))
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    match &loaded {
        None => return html! { <section class="card">{ loading(lang) }</section> },
        Some(Err(error)) => {
            return html! { <section class="card">{ error_box(lang, error) }</section> };
        }
        Some(Ok(_)) if options.is_empty() => return html! {},
        Some(Ok(_)) => {}
    }
    let onsubmit = {
        let (counterpart, category, relationship, note, outcome) = (
            counterpart.clone(),
            category.clone(),
            relationship.clone(),
            note.clone(),
            outcome.clone(),
        );
        let round = props.round;
        let options = options.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let chosen = if counterpart.is_empty() {
                options.first().map(|o| o.0.clone()).unwrap_or_default()
            } else {
                (*counterpart).clone()
            };
            let Ok(counterpart_id) = chosen.parse::<Uuid>() else {
                return;
            };
            // A refused reason goes to the API, which explains the policy; an allowed one is
            // asked once more, since a veto cannot be taken back.
            let name = options
                .iter()
                .find(|o| o.0 == chosen)
                .map(|o| o.1.clone())
                .unwrap_or_default();
            if *category == "personal_relationship" {
                let question = match lang {
                    Lang::Nl => format!(
                        "Een veto vastleggen voor {name}? Jullie worden dan niet aan elkaar gekoppeld; een veto kun je niet intrekken."
                    ),
                    Lang::En => format!(
                        "Declare a veto for {name}? You will then not be coupled to each other; a veto cannot be withdrawn."
                    ),
                };
                if !confirmed(&question) {
                    return;
                }
            }
            if outcome.is_busy() {
                return;
            }
            outcome.set(Outcome::Busy);
            let request = VetoRequest {
                counterpart_id,
                category: (*category).clone(),
                relationship: (*category == "personal_relationship")
                    .then(|| (*relationship).clone()),
                note: (!note.trim().is_empty()).then(|| (*note).clone()),
            };
            let outcome = outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<_, serde_json::Value>(
                    &format!("/rounds/{round}/vetoes"),
                    &request,
                )
                .await
                {
                    Ok(_) => outcome.set(Outcome::Done(
                        lang.t(
                            "Je veto is vastgelegd. Jullie worden niet aan elkaar gekoppeld.",
                            "Your veto has been recorded. You will not be coupled to each other.",
                        )
                        .to_owned(),
                    )),
                    Err(error) => outcome.set(Outcome::Failed(error)),
                }
            });
        })
    };
    let select = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: Event| {
            state.set(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    html! {
        <section class="card" aria-labelledby="veto-title">
            <h2 id="veto-title">{ lang.t("Veto", "Veto") }</h2>
            <p class="muted">{ lang.t(
                "Een veto voorkomt een koppeling alleen bij een persoonlijke relatie: familie, je eigen huisarts of een andere persoonlijke band. Reistijd, geloof, politieke voorkeur, huidskleur, migratieachtergrond, seksuele geaardheid en gender zijn nooit een grond voor een veto. Een eerdere opleider (jaar 1) wordt automatisch uitgesloten.",
                "A veto prevents a coupling only for a personal relationship: family, your own GP or another personal tie. Travel time, religion, political preference, skin colour, migration background, sexual orientation and gender are never grounds for a veto. A previous (year-1) trainer is excluded automatically.") }</p>
            <form {onsubmit}>
                <div class="field">
                    <label for="veto-counterpart">{ if trainee { lang.t("Opleider", "Trainer") } else { lang.t("Aios", "Trainee") } }</label>
                    <select id="veto-counterpart" onchange={select(&counterpart)}>
                        { for options.iter().map(|(id, name)| html! { <option value={id.clone()} selected={*counterpart == *id}>{ name.clone() }</option> }) }
                    </select>
                </div>
                <div class="field">
                    <label for="veto-category">{ lang.t("Reden", "Reason") }</label>
                    <select id="veto-category" onchange={select(&category)} aria-invalid={outcome.field("category").is_some().then_some("true")}
                        aria-describedby={outcome.field("category").map(|_| "veto-category-error")}>
                        <optgroup label={lang.t("Toegestaan", "Allowed")}>
                            { for ALLOWED.iter().map(|(value, nl, en)| html! { <option value={*value} selected={*category == *value}>{ lang.t(nl, en) }</option> }) }
                        </optgroup>
                        <optgroup label={lang.t("Niet toegestaan", "Not allowed")}>
                            { for REFUSED.iter().map(|(value, nl, en)| html! { <option value={*value} selected={*category == *value}>{ lang.t(nl, en) }</option> }) }
                        </optgroup>
                    </select>
                    if let Some(error) = outcome.field("category") {
                        <p id="veto-category-error" class="field-error" role="alert" data-testid="veto-error">{ refused_policy(lang, &category).unwrap_or(error) }</p>
                    }
                </div>
                if *category == "personal_relationship" {
                    <div class="field">
                        <label for="veto-relationship">{ lang.t("Soort relatie", "Kind of relationship") }</label>
                        <select id="veto-relationship" onchange={select(&relationship)}>
                            <option value="family" selected={*relationship == "family"}>{ lang.t("Familie", "Family") }</option>
                            <option value="own_gp" selected={*relationship == "own_gp"}>{ lang.t("Eigen huisarts", "Own GP") }</option>
                            <option value="other_personal_tie" selected={*relationship == "other_personal_tie"}>{ lang.t("Andere persoonlijke band", "Other personal tie") }</option>
                        </select>
                    </div>
                }
                <TextArea id="veto-note" label={lang.t("Toelichting (optioneel)", "Note (optional)")} rows={2} value={(*note).clone()}
                    on_change={let note = note.clone(); Callback::from(move |v: String| note.set(v))} />
                { outcome.view(lang, &["category"]) }
                <button type="submit" disabled={outcome.is_busy()}>{ lang.t("Veto vastleggen", "Declare veto") }</button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ResultProps {
    round: Uuid,
}

/// The published coupling with the matcher's explanation.
#[component]
fn Result(props: &ResultProps) -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
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
fn alternatives(lang: Lang, result: &MyCouplingResponse) -> Html {
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
