//! The placement lottery's rules: who may take part and as what ([`eligibility`]), who gets a
//! freed place in the second chance ([`second_chance`]), and the hand-over of the placed
//! candidates to the institutes ([`handover`]).

pub mod eligibility;
pub mod handover;
pub mod second_chance;

pub use eligibility::{
    Attempt, EarlierLottery, EarlierOutcome, Ineligible, RETRY_WINDOW, SuitabilityProblem,
    check_suitability, eligibility, retry_until,
};
pub use handover::{HandoverError, LotteryState, check_handover};
pub use second_chance::next_for_offer;
