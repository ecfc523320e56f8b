//! Coordinators: every mail Koppel queued for the institute, and whether it went out; and the
//! institute's webhooks.

use koppel_api_types::OutboxListResponse;
use yew::prelude::*;

use crate::components::status::{empty, show};
use crate::hooks::use_get;
use crate::session::{SessionHandle, signed_in, use_lang};

/// The outbox page.
#[component]
pub fn OutboxPage() -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    signed_in(&session, |me| match &me.institute {
        _ if me.role == koppel_api_types::Role::Admin => html! { <Mails path="/outbox" /> },
        Some(institute) => html! {
            <>
                // The webhooks first: a handful of endpoints above a long list of mails.
                { webhooks(institute.id) }
                <Mails path={format!("/institutes/{}/outbox", institute.id)} />
            </>
        },
        None => {
            html! { <section class="card">{ empty(lang.t("Je account hoort niet bij een opleidingsinstituut.", "Your account does not belong to an institute.")) }</section> }
        }
    })
}

#[cfg(feature = "coordinator")]
fn webhooks(institute: uuid::Uuid) -> Html {
    html! { <crate::components::webhooks::Webhooks {institute} /> }
}

#[cfg(not(feature = "coordinator"))]
fn webhooks(_: uuid::Uuid) -> Html {
    html! {}
}

#[derive(Properties, PartialEq)]
struct MailsProps {
    path: AttrValue,
}

#[component]
fn Mails(props: &MailsProps) -> Html {
    let lang = use_lang();
    let mails = use_get::<OutboxListResponse>(props.path.to_string(), 0);
    html! {
        <section class="card" aria-labelledby="outbox-title">
            <h1 id="outbox-title">{ lang.t("Uitgaande mail", "Outgoing mail") }</h1>
            { show(lang, &mails, |list| {
                if list.items.is_empty() { return empty(lang.t("Nog geen mail.", "No mail yet.")); }
                html! {
                    <ul class="plain cards" data-testid="outbox">
                        { for list.items.iter().map(|m| html! {
                            <li key={m.id.to_string()} class="item column">
                                <details>
                                    <summary>
                                        <strong>{ m.subject.clone() }</strong>{ " → " }{ m.recipient.clone() }
                                        { " · " }
                                        { match (&m.sent_at, &m.last_error) {
                                            (Some(at), _) => format!("{} {}", lang.t("verstuurd", "sent"), lang.moment(*at)),
                                            (None, Some(error)) => format!("{} ({}): {error}", lang.t("nog niet verstuurd", "not sent yet"), m.attempts),
                                            (None, None) => lang.t("wacht op verzending", "waiting to be sent").to_owned(),
                                        } }
                                    </summary>
                                    <pre class="mail-body">{ m.body.clone() }</pre>
                                </details>
                            </li>
                        }) }
                    </ul>
                }
            }) }
        </section>
    }
}
