//! The role-aware home page.

use koppel_api_types::{InstituteListResponse, Role};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ClientError};
use crate::i18n::Texts;
use crate::route::Route;
use crate::session::{Auth, SessionAction, SessionHandle};

/// The home page: who you are, your institute and what comes next for your role.
#[component]
pub fn HomePage() -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let texts = session.lang.texts();
    match &session.auth {
        Auth::Checking => html! { <p class="loading" role="status">{ texts.loading }</p> },
        Auth::SignedOut => html! { <Redirect<Route> to={Route::Login} /> },
        Auth::SignedIn(me) => html! {
            <>
                <section class="card" aria-labelledby="welcome">
                    <h1 id="welcome">{ format!("{}, {}", texts.welcome, me.display_name) }</h1>
                    <p>
                        { texts.your_role }{ ": " }
                        <span class="badge" data-testid="role">{ texts.role(me.role) }</span>
                    </p>
                    if let Some(institute) = &me.institute {
                        <p>{ texts.institute }{ ": " }<strong>{ institute.name.clone() }</strong></p>
                    }
                    <p>{ texts.next_step(me.role) }</p>
                </section>
                if me.role == Role::Admin {
                    <Institutes />
                }
            </>
        },
    }
}

/// The institutes, for administrators.
#[component]
fn Institutes() -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let result = use_state(|| None::<Result<InstituteListResponse, ClientError>>);
    {
        let (result, session) = (result.clone(), session.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = api::institutes().await;
                if outcome == Err(ClientError::SignedOut) {
                    session.dispatch(SessionAction::SignedOut);
                }
                result.set(Some(outcome));
            });
        });
    }
    let texts: &Texts = session.lang.texts();
    html! {
        <section class="card" aria-labelledby="institutes-title">
            <h2 id="institutes-title">{ texts.institutes_title }</h2>
            {
                match &*result {
                    None => html! { <p class="loading" role="status">{ texts.loading }</p> },
                    Some(Err(error)) => html! { <div class="alert" role="alert">{ error.message(texts) }</div> },
                    Some(Ok(list)) if list.items.is_empty() => html! { <p class="muted">{ texts.no_institutes }</p> },
                    Some(Ok(list)) => html! {
                        <ul class="plain">
                            { for list.items.iter().map(|institute| html! { <li key={institute.id.to_string()}>{ institute.name.clone() }</li> }) }
                        </ul>
                    },
                }
            }
        </section>
    }
}
