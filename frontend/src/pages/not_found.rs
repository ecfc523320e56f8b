//! Paths the app does not know.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::route::Route;
use crate::session::SessionHandle;

/// The not-found page.
#[component]
pub fn NotFound() -> Html {
    let Some(session) = use_context::<SessionHandle>() else {
        return html! {};
    };
    let texts = session.lang.texts();
    html! {
        <section class="card">
            <h1>{ texts.not_found_title }</h1>
            <p>{ texts.not_found_body }</p>
            <Link<Route> to={Route::Home}>{ texts.to_home }</Link<Route>>
        </section>
    }
}
