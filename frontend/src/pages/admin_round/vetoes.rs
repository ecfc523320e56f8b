//! The vetoes declared in the round (coordinators see them all).

use std::collections::HashMap;
use std::rc::Rc;

use koppel_api_types::VetoListResponse;
use uuid::Uuid;
use yew::prelude::*;

use crate::components::status::{empty, show};
use crate::hooks::use_get;
use crate::session::use_lang;

#[derive(Properties, PartialEq)]
pub(super) struct VetoesProps {
    pub(super) round: Uuid,
    pub(super) names: Rc<HashMap<Uuid, String>>,
    pub(super) version: u32,
}

#[component]
pub(super) fn Vetoes(props: &VetoesProps) -> Html {
    let lang = use_lang();
    let vetoes =
        use_get::<VetoListResponse>(format!("/rounds/{}/vetoes", props.round), props.version);
    let n = |id: &Uuid| {
        props
            .names
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    };
    html! {
        <section class="card" id="vetoes" aria-labelledby="vetoes-title">
            <h2 id="vetoes-title">{ lang.t("Veto's", "Vetoes") }</h2>
            { show(lang, &vetoes, |list| {
                if list.items.is_empty() { return empty(lang.t("Geen veto's.", "No vetoes.")); }
                html! {
                    <div class="table-wrap"><table>
                        <thead><tr>
                            <th scope="col">{ lang.t("Aios", "Trainee") }</th><th scope="col">{ lang.t("Opleider", "Trainer") }</th>
                            <th scope="col">{ lang.t("Door", "By") }</th><th scope="col">{ lang.t("Reden", "Reason") }</th><th scope="col">{ lang.t("Wanneer", "When") }</th>
                        </tr></thead>
                        <tbody>{ for list.items.iter().map(|v| html! {
                            <tr key={v.id.to_string()}>
                                <td>{ n(&v.trainee_id) }</td><td>{ n(&v.trainer_id) }</td><td>{ crate::components::veto::veto_party(lang, &v.declared_by) }</td>
                                <td>{ crate::components::veto::veto_reason(lang, &v.category, v.relationship.as_deref()) }</td>
                                <td>{ lang.moment(v.created_at) }</td>
                            </tr>
                        }) }</tbody>
                    </table></div>
                }
            }) }
        </section>
    }
}
