//! The root component: session context, router and page layout.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::topbar::TopBar;
use crate::pages::{
    account::AccountPage,
    activate::{ActivatePage, ForgotPage},
    home::HomePage,
    login::LoginPage,
    not_found::NotFound,
};
use crate::route::Route;
use crate::session::{Auth, Session, SessionAction, SessionHandle};

/// The app.
#[component]
pub fn App() -> Html {
    let session = use_reducer(Session::initial);

    // Resume the sign-in from the refresh cookie once at start.
    {
        let session = session.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if !api::resume().await {
                    session.dispatch(SessionAction::SignedOut);
                    return;
                }
                match api::me().await {
                    Ok(me) => session.dispatch(SessionAction::SignedIn(me)),
                    Err(_) => session.dispatch(SessionAction::SignedOut),
                }
            });
        });
    }

    // Keep <html lang> in step with the chosen language, for screen readers.
    use_effect_with(session.lang, |lang| {
        if let Some(root) = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.document_element())
        {
            // Failing to set an attribute only affects assistive technology hints.
            let _ = root.set_attribute("lang", lang.code());
        }
    });

    let texts = session.lang.texts();
    html! {
        <ContextProvider<SessionHandle> context={session}>
            <BrowserRouter>
                <a class="skip-link" href="#main">{ texts.skip_to_content }</a>
                <TopBar />
                <main id="main" tabindex="-1">
                    <TwoFactorGuard />
                    <Switch<Route> render={switch} />
                </main>
            </BrowserRouter>
        </ContextProvider<SessionHandle>>
    }
}

/// Sends an account that must use two-step verification but has not turned it on to the
/// account page: the API refuses everything else until then.
#[component]
fn TwoFactorGuard() -> Html {
    let session = use_context::<SessionHandle>();
    let route = use_route::<Route>();
    match (session, route) {
        (Some(session), Some(route)) => match &session.auth {
            Auth::SignedIn(me)
                if me.two_factor.required && !me.two_factor.enabled && route != Route::Account =>
            {
                html! { <Redirect<Route> to={Route::Account} /> }
            }
            _ => html! {},
        },
        _ => html! {},
    }
}

fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <HomePage /> },
        Route::Login => html! { <LoginPage /> },
        Route::Activate => html! { <ActivatePage /> },
        Route::Reset => html! { <ActivatePage reset=true /> },
        Route::Forgot => html! { <ForgotPage /> },
        Route::Account => html! { <AccountPage /> },
        Route::NotFound => html! { <NotFound /> },
        Route::Statistics => html! { <crate::pages::statistics::StatisticsPage /> },
        Route::RoundStatistics { id } => {
            html! { <crate::pages::statistics::RoundStatisticsPage {id} /> }
        }
        Route::LotteryStatistics { id } => {
            html! { <crate::pages::statistics::LotteryStatisticsPage {id} /> }
        }
        other => page_of_one_build(other),
    }
}

/// The pages of one kind of user, each in its build.
fn page_of_one_build(route: Route) -> Html {
    // The last arm is for the pages the running build lacks; with every build's pages (checks,
    // tests) it never matches.
    #[allow(unreachable_patterns)]
    match route {
        #[cfg(feature = "participant")]
        Route::Profile => html! { <crate::pages::profile::ProfilePage /> },
        #[cfg(feature = "participant")]
        Route::Availability => html! { <crate::pages::availability::AvailabilityPage /> },
        #[cfg(feature = "participant")]
        Route::Round { id } => html! { <crate::pages::round::RoundPage {id} /> },
        #[cfg(feature = "participant")]
        Route::MyLottery => html! { <crate::pages::my_lottery::MyLotteryPage /> },
        #[cfg(feature = "coordinator")]
        Route::AdminRounds => html! { <crate::pages::admin_rounds::AdminRoundsPage /> },
        #[cfg(feature = "coordinator")]
        Route::AdminRound { id } => html! { <crate::pages::admin_round::AdminRoundPage {id} /> },
        #[cfg(feature = "coordinator")]
        Route::People => html! { <crate::pages::people::PeoplePage /> },
        #[cfg(any(feature = "coordinator", feature = "admin"))]
        Route::Outbox => html! { <crate::pages::outbox::OutboxPage /> },
        #[cfg(feature = "admin")]
        Route::Institutes => html! { <crate::pages::institutes::InstitutesPage /> },
        #[cfg(feature = "admin")]
        Route::AdminLotteries => html! { <crate::pages::lottery::LotteriesPage /> },
        #[cfg(feature = "admin")]
        Route::AdminLottery { id } => html! { <crate::pages::lottery::LotteryPage {id} /> },
        _ => html! { <crate::build::NotInThisBuild /> },
    }
}
