//! The app ships in three builds, so that nobody downloads pages they never see. Each has the
//! pages everyone uses (sign-in, account, home) and those of one kind of user:
//!
//! - the `participant` build, which every visitor loads first: trainees', trainers' and
//!   candidates' pages;
//! - the `coordinator` build: the coordinators' pages (rounds, people, outbox);
//! - the `admin` build: the administrators' pages (institutes, lotteries, outbox).
//!
//! `boot.js` loads the build this browser last chose, the participants' at first. Signing in (or
//! resuming a sign-in) in another build than the role's reloads the page at the same address in
//! the role's build ([`switch_for`]). A page outside the role's build is not for the user
//! ([`NotInThisBuild`]). Checks and tests compile everything at once (all features), a build that
//! never switches.

use gloo_storage::{LocalStorage, Storage};
use koppel_api_types::Role;
use yew::prelude::*;

/// Where `boot.js` reads which build to load.
pub const KEY: &str = "koppel.app";

/// The builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Build {
    /// Trainees', trainers' and candidates' pages.
    Participant,
    /// Coordinators' pages.
    Coordinator,
    /// Administrators' pages.
    Admin,
}

impl Build {
    /// The name `boot.js` knows the build by.
    pub fn name(self) -> &'static str {
        match self {
            Build::Participant => "participant",
            Build::Coordinator => "coordinator",
            Build::Admin => "admin",
        }
    }

    /// Whether this running app has the build's pages.
    pub fn is_running(self) -> bool {
        match self {
            Build::Participant => cfg!(feature = "participant"),
            Build::Coordinator => cfg!(feature = "coordinator"),
            Build::Admin => cfg!(feature = "admin"),
        }
    }

    /// The build whose pages a role works with.
    pub fn for_role(role: Role) -> Build {
        match role {
            Role::Admin => Build::Admin,
            Role::TraineeTeam | Role::TrainerTeam | Role::Integration => Build::Coordinator,
            Role::Trainee | Role::Trainer | Role::Candidate => Build::Participant,
        }
    }

    /// Makes the next page load use this build; `false` when the browser cannot remember it
    /// (no storage), and a reload would load the same build again.
    fn choose(self) -> bool {
        LocalStorage::set(KEY, self.name()).is_ok()
            && LocalStorage::get::<String>(KEY).is_ok_and(|stored| stored == self.name())
    }

    /// Chooses this build and reloads the page with it; `false` when the browser cannot remember
    /// the choice (no storage), so the caller should carry on in this build. The reload waits
    /// for the code under way to finish, so that it loads the address that code navigates to
    /// (the sign-in page goes on to the home page).
    fn switch(self) -> bool {
        if !self.choose() {
            return false;
        }
        wasm_bindgen_futures::spawn_local(async {
            if let Some(window) = web_sys::window() {
                // Should the reload fail, the page stays on its loading line.
                let _ = window.location().reload();
            }
        });
        true
    }
}

/// Switches to the build for a role that just signed in, if the running one is not it; `true`
/// when the page is reloading into it.
pub fn switch_for(role: Role) -> bool {
    let build = Build::for_role(role);
    !build.is_running() && build.switch()
}

/// Stands in for a page this build lacks. Once signed in, the running build is the role's (see
/// [`switch_for`]), so the page is not for this user: not found. Unless the browser could not
/// switch builds for lack of storage, which it then says.
#[component]
pub fn NotInThisBuild() -> Html {
    let Some(session) = use_context::<crate::session::SessionHandle>() else {
        return html! {};
    };
    let lang = session.lang;
    crate::session::signed_in(&session, |me| {
        if Build::for_role(me.role).is_running() {
            return html! { <crate::pages::not_found::NotFound /> };
        }
        html! {
            <div class="alert" role="alert">{ lang.t(
                "Deze pagina kan niet worden geladen: de browser staat Koppel niet toe iets te onthouden (lokale opslag). Sta dat toe voor deze site en probeer het opnieuw.",
                "This page cannot be loaded: the browser does not let Koppel remember anything (local storage). Allow it for this site and try again.",
            ) }</div>
        }
    })
}
