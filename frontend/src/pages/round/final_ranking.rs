//! Step 3: both sides rank the people they interviewed, 1 to 4.

use koppel_api_types::{
    FinalRankingRequest, FinalRankingResponse, MyInterviewsResponse, RankEntry,
};
use uuid::Uuid;
use yew::prelude::*;

use crate::api;
use crate::components::status::Outcome;
use crate::hooks::use_get;
use crate::session::use_lang;

use super::SideProps;
use super::preferences::moved;

/// Step 3: rank the interview counterparts 1..n.
#[component]
pub(super) fn FinalRanking(props: &SideProps) -> Html {
    let lang = use_lang();
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
        clone!(interviews, mine);
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
        clone!(order, outcome);
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
