//! The bar on top of every page: name, language switch and sign-out.

use koppel_api_types::Role;
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
    let lang = session.lang;
    // The pages of the signed-in role, so nobody has to go back to the home page.
    let links: Vec<(Route, &'static str)> = match &session.auth {
        Auth::SignedIn(me) => match me.role {
            Role::Trainee | Role::Trainer => vec![(Route::Profile, lang.t("Profiel", "Profile"))],
            Role::TraineeTeam | Role::TrainerTeam | Role::Integration => vec![
                (Route::AdminRounds, lang.t("Rondes", "Rounds")),
                (Route::People, lang.t("Personen", "People")),
                (
                    Route::Outbox,
                    lang.t("Mail en webhooks", "Mail and webhooks"),
                ),
            ],
            Role::Admin => vec![
                (Route::Institutes, lang.t("Instituten", "Institutes")),
                (Route::AdminLotteries, lang.t("Loting", "Lottery")),
                (Route::Outbox, lang.t("Mail", "Mail")),
            ],
            Role::Candidate => vec![(Route::MyLottery, lang.t("Mijn loting", "My lottery"))],
        },
        _ => Vec::new(),
    };

    html! {
        <header class="topbar">
            <Link<Route> to={Route::Home} classes="brand">{ "Koppel" }</Link<Route>>
            if !links.is_empty() {
                <nav class="sections" aria-label={lang.t("Onderdelen", "Sections")}>
                    { for links.into_iter().map(|(route, label)| html! { <Link<Route> to={route}>{ label }</Link<Route>> }) }
                </nav>
            }
            <nav aria-label={lang.t("Account en taal", "Account and language")}>
                <button type="button" onclick={switch_language} aria-label={texts.switch_language_label}
                    lang={session.lang.other().code()}>
                    { texts.switch_language }
                </button>
                <Link<Route> to={Route::Statistics}>{ lang.t("Statistieken", "Statistics") }</Link<Route>>
                if signed_in {
                    <Link<Route> to={Route::Account}>{ lang.t("Mijn account", "My account") }</Link<Route>>
                    <button type="button" onclick={logout}>{ texts.logout }</button>
                }
            </nav>
        </header>
    }
}
