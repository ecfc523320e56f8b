//! The routes of the SPA. The server answers `index.html` for every path, so deep links work.

use yew_router::Routable;

/// Every page.
#[derive(Debug, Clone, PartialEq, Eq, Routable)]
pub enum Route {
    /// The role-aware home page.
    #[at("/")]
    Home,
    /// Sign in.
    #[at("/login")]
    Login,
    /// Activate an invited account (`/activate?token=...`, the link in the invitation mail).
    #[at("/activate")]
    Activate,
    /// Anything else.
    #[not_found]
    #[at("/404")]
    NotFound,
}
