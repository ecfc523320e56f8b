//! Koppel SPA: a Yew app (client-side rendered) over the Koppel REST API.
//!
//! `api` is the one typed client (gloo-net) with transparent token refresh; `session` holds who
//! is signed in and the language; `i18n` has every text in Dutch (default) and English; pages
//! live in `pages/`, shared pieces in `components/`; `build` tells the two builds apart.

// The builds without every feature leave parts of the shared API client and components unused;
// the full one, which clippy checks, uses them all.
#![cfg_attr(
    not(all(feature = "participant", feature = "coordinator", feature = "admin")),
    allow(dead_code)
)]

/// Clones each named handle into a binding of the same name, for a closure to move:
/// `clone!(outcome, busy);` stands for `let outcome = outcome.clone(); let busy = busy.clone();`.
macro_rules! clone {
    ($($name:ident),+ $(,)?) => {
        $(let $name = $name.clone();)+
    };
}

mod api;
mod app;
mod build;
mod components;
mod download;
mod hooks;
mod i18n;
mod messages;
mod pages;
mod route;
mod session;
mod upload;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
