//! Who is signed in and in which language, shared with every page through a context.

use std::rc::Rc;

use gloo_storage::{LocalStorage, Storage};
use koppel_api_types::MeResponse;
use yew::prelude::*;

use crate::i18n::Lang;

/// Where the chosen language is remembered in the browser.
pub const LANG_KEY: &str = "koppel.lang";

/// Where the sign-in stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Auth {
    /// Not known yet: checking stored tokens with the API.
    Checking,
    /// Nobody is signed in.
    SignedOut,
    /// Signed in as this user.
    SignedIn(MeResponse),
}

/// The session state.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// Sign-in.
    pub auth: Auth,
    /// Interface language.
    pub lang: Lang,
}

/// Changes to the session.
pub enum SessionAction {
    /// A user signed in (or the stored sign-in was confirmed).
    SignedIn(MeResponse),
    /// The user signed out or the sign-in ended.
    SignedOut,
    /// The user chose a language.
    SetLang(Lang),
}

impl Session {
    /// The state at start: language from storage, sign-in still to be checked.
    pub fn initial() -> Self {
        Self {
            auth: Auth::Checking,
            lang: LocalStorage::get(LANG_KEY).unwrap_or_default(),
        }
    }
}

impl Reducible for Session {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            SessionAction::SignedIn(me) => {
                next.lang = match me.locale {
                    koppel_api_types::Locale::Nl => Lang::Nl,
                    koppel_api_types::Locale::En => Lang::En,
                };
                let _ = LocalStorage::set(LANG_KEY, next.lang);
                // The build for the role, if this is not it: the page reloads into it and
                // resumes the sign-in there; until then, it shows it is loading.
                next.auth = if crate::build::switch_for(me.role) {
                    Auth::Checking
                } else {
                    Auth::SignedIn(me)
                };
            }
            SessionAction::SignedOut => next.auth = Auth::SignedOut,
            SessionAction::SetLang(lang) => {
                // Not being able to remember the choice is harmless.
                let _ = LocalStorage::set(LANG_KEY, lang);
                next.lang = lang;
            }
        }
        Rc::new(next)
    }
}

/// The handle pages use.
pub type SessionHandle = UseReducerHandle<Session>;

/// Renders `page` for the signed-in user; a loading line while the sign-in is checked, and the
/// sign-in page for nobody.
pub fn signed_in(session: &SessionHandle, page: impl FnOnce(&MeResponse) -> Html) -> Html {
    use yew_router::prelude::Redirect;
    match &session.auth {
        Auth::Checking => crate::components::status::loading(session.lang),
        Auth::SignedOut => {
            html! { <Redirect<crate::route::Route> to={crate::route::Route::Login} /> }
        }
        Auth::SignedIn(me) => page(me),
    }
}

/// The interface language, for components that need the session for nothing else (Dutch
/// outside a session, which the app always provides).
#[hook]
pub fn use_lang() -> Lang {
    use_context::<SessionHandle>().map_or_else(Lang::default, |session| session.lang)
}
