//! The bar on top of every page: name, language switch and sign-out.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::route::Route;
use crate::session::{Auth, SessionAction, SessionHandle};

/// The top bar.
#[component]
pub fn TopBar() -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let navigator = use_navigator();
    let texts = session.lang.texts();

    let switch_language = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| {
            let lang = session.lang.other();
            session.dispatch(SessionAction::SetLang(lang));
            // Signed in: remember the choice for this user (mails follow it too).
            if matches!(session.auth, Auth::SignedIn(_)) {
                let session = session.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let locale = match lang {
                        crate::i18n::Lang::Nl => koppel_api_types::Locale::Nl,
                        crate::i18n::Lang::En => koppel_api_types::Locale::En,
                    };
                    if let Ok(me) = api::set_locale(locale).await {
                        session.dispatch(SessionAction::SignedIn(me));
                    }
                });
            }
        })
    };
    let logout = {
        let session = session.clone();
        Callback::from(move |_: MouseEvent| {
            let session = session.clone();
            let navigator = navigator.clone();
            wasm_bindgen_futures::spawn_local(async move {
                api::logout().await;
                session.dispatch(SessionAction::SignedOut);
                if let Some(navigator) = navigator {
                    navigator.push(&Route::Login);
                }
            });
        })
    };
    let signed_in = matches!(session.auth, Auth::SignedIn(_));

    html! {
        <header class="topbar">
            <Link<Route> to={Route::Home} classes="brand">{ "Koppel" }</Link<Route>>
            <nav aria-label="Koppel">
                <button type="button" onclick={switch_language} aria-label={texts.switch_language_label}
                    lang={session.lang.other().code()}>
                    { texts.switch_language }
                </button>
                if signed_in {
                    <button type="button" onclick={logout}>{ texts.logout }</button>
                }
            </nav>
        </header>
    }
}
