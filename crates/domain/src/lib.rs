//! Pure rules of the Koppel coupling process.
//!
//! Everything here is free of I/O, async and databases, so that the server, the matcher input
//! builder, the SPA (compiled to wasm) and the tests apply the same rules. Values are parsed once
//! at the edge into newtypes with private fields ("parse, don't validate"); each constructor
//! returns a typed error that says in words what is wrong.
//!
//! - [`calendar`]: start months, training years per month, the six-week schedule.
//! - [`phase`]: the round's state machine and which actions each phase allows until when.
//! - [`curriculum`]: training year at a date, year-3 start, who is due for a round.
//! - [`trainer`]: eligibility, availability and the continuity order.
//! - [`veto`]: accepted and refused veto reasons.
//! - [`admissibility`]: whether a pair may be coupled, with every reason why not.
//! - [`ranking`]: step-2 preference lists and step-3 final rankings.

pub mod admissibility;
pub mod availability;
pub mod calendar;
pub mod curriculum;
pub mod identity;
pub mod ids;
pub mod lottery;
pub mod phase;
pub mod ranking;
pub mod retention;
pub mod statistics;
pub mod timetable;
pub mod trainer;
pub mod veto;

pub use admissibility::{Inadmissible, TraineeFacts, inadmissibility, is_admissible};
pub use availability::{AvailabilityAnswer, AvailabilityError};
pub use calendar::{CalendarError, RoundKey, Schedule, StartMonth, TrainingYear, dutch_date};
pub use curriculum::{Curriculum, CurriculumError, PartTimeFactor, TrainingStatus, due_trainees};
pub use identity::{DisplayName, EmailAddress, IdentityError, NewPassword};
pub use ids::{TraineeId, TrainerId};
pub use phase::{
    Action, ActionError, Phase, RoundFacts, StepTwo, TransitionError, check_action,
    check_transition,
};
pub use ranking::{FinalRanking, PreferenceList, RankingError, RankingProblem};
pub use timetable::{Step, reminder_due, scheduled_move};
pub use trainer::{TrainerFacts, continuity_order};
pub use veto::{RefusedReason, Relationship, Veto, VetoError, VetoParty, VetoReason};
