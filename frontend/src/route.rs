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
    /// Choose a new password (`/reset?token=...`, the link in the reset mail).
    #[at("/reset")]
    Reset,
    /// Ask for a password-reset mail.
    #[at("/forgot")]
    Forgot,
    /// The signed-in user's account (password).
    #[at("/account")]
    Account,
    /// The signed-in trainee's profile or trainer's learning plan.
    #[at("/profile")]
    Profile,
    /// A trainer's availability requests (the link in the O-team's request mail).
    #[at("/availability")]
    Availability,
    /// A round as a trainee or trainer takes part in it.
    #[at("/rounds/:id")]
    Round {
        /// Round id.
        id: String,
    },
    /// Coordinators: the institute's rounds, and creating one.
    #[at("/admin/rounds")]
    AdminRounds,
    /// Coordinators: one round, all steps.
    #[at("/admin/rounds/:id")]
    AdminRound {
        /// Round id.
        id: String,
    },
    /// Coordinators: trainees and trainers, import and export.
    #[at("/admin/people")]
    People,
    /// Coordinators: the mail outbox.
    #[at("/admin/outbox")]
    Outbox,
    /// Administrators: institutes and their users.
    #[at("/admin/institutes")]
    Institutes,
    /// Administrators: placement lotteries.
    #[at("/admin/lotteries")]
    AdminLotteries,
    /// Administrators: one lottery.
    #[at("/admin/lotteries/:id")]
    AdminLottery {
        /// Lottery id.
        id: String,
    },
    /// Candidates: their lottery outcome and offer.
    #[at("/lottery")]
    MyLottery,
    /// Public statistics: published rounds and drawn lotteries.
    #[at("/statistics")]
    Statistics,
    /// Public statistics of one published coupling round.
    #[at("/statistics/rounds/:id")]
    RoundStatistics {
        /// Round id.
        id: String,
    },
    /// Public statistics of one drawn lottery.
    #[at("/statistics/lotteries/:id")]
    LotteryStatistics {
        /// Lottery id.
        id: String,
    },
    /// Anything else.
    #[not_found]
    #[at("/404")]
    NotFound,
}
