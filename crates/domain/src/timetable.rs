//! What a round's calendar does by itself. Steps 1 to 3 open on their scheduled day unless a
//! coordinator holds the round; opening the coupling step and publishing stay with the
//! coordinators. While a step is open, the people who still have to act get one "step opened"
//! mail and one reminder a set number of days before its deadline.

use chrono::{Duration, NaiveDate};

use crate::calendar::Schedule;
use crate::phase::Phase;

/// Days before a deadline that reminders go, unless the institute sets otherwise.
pub const DEFAULT_REMINDER_DAYS: u8 = 3;
/// The most days before a deadline an institute may set.
pub const MAX_REMINDER_DAYS: u8 = 14;

/// A step participants act in, with a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// Step 1: profiles and learning plans.
    Profiles,
    /// Step 2: trainees rank trainers.
    Preferences,
    /// Step 3: interviews, then both sides rank.
    FinalRanking,
}

impl Step {
    /// The snake_case name, as the progress dashboard names the step.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Profiles => "profiles",
            Self::Preferences => "preferences",
            Self::FinalRanking => "final_ranking",
        }
    }

    /// The step open while a round is in `phase`.
    pub fn open_in(phase: Phase) -> Option<Self> {
        match phase {
            Phase::Profiles => Some(Self::Profiles),
            Phase::Preferences => Some(Self::Preferences),
            Phase::Interviews => Some(Self::FinalRanking),
            _ => None,
        }
    }

    /// The last day of the step.
    pub fn deadline(self, schedule: &Schedule) -> NaiveDate {
        match self {
            Self::Profiles => schedule.profiles_deadline,
            Self::Preferences => schedule.preferences_deadline,
            Self::FinalRanking => schedule.final_ranking_deadline,
        }
    }

    /// The key that records, once per round, that the step's opening was announced.
    pub fn opened_notice(self) -> String {
        format!("opened:{}", self.as_str())
    }

    /// The key that records, once per round, that the step's reminders went.
    pub fn reminder_notice(self) -> String {
        format!("reminder:{}", self.as_str())
    }
}

/// The phase the calendar moves a round in `phase` to on `today`, if any: step 1 opens on the
/// opening day, steps 2 and 3 the day after the previous step's deadline. Never the coupling
/// step or publication. The usual guards still apply to the move.
pub fn scheduled_move(phase: Phase, schedule: &Schedule, today: NaiveDate) -> Option<Phase> {
    let due = match phase {
        Phase::Draft => today >= schedule.opens,
        Phase::Profiles => today > schedule.profiles_deadline,
        Phase::Preferences => today > schedule.preferences_deadline,
        _ => false,
    };
    if due { phase.next() } else { None }
}

/// Whether a round created on `today` starts held: on or after its opening day its calendar
/// would open step 1 while its participants are still being added.
pub fn starts_held(schedule: &Schedule, today: NaiveDate) -> bool {
    today >= schedule.opens
}

/// Whether the reminders of `step` are due on `today`: from `days` days before its deadline up
/// to the deadline itself.
pub fn reminder_due(step: Step, schedule: &Schedule, today: NaiveDate, days: u8) -> bool {
    let deadline = step.deadline(schedule);
    today <= deadline && today >= deadline - Duration::days(i64::from(days))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn steps_open_on_their_day_and_never_the_coupling_step() {
        let schedule = Schedule::for_start(date(2027, 9, 1));
        let before = schedule.opens - Duration::days(1);
        assert_eq!(scheduled_move(Phase::Draft, &schedule, before), None);
        assert_eq!(
            scheduled_move(Phase::Draft, &schedule, schedule.opens),
            Some(Phase::Profiles)
        );
        assert_eq!(
            scheduled_move(Phase::Profiles, &schedule, schedule.profiles_deadline),
            None,
            "the deadline is the step's last day"
        );
        assert_eq!(
            scheduled_move(
                Phase::Profiles,
                &schedule,
                schedule.profiles_deadline + Duration::days(1)
            ),
            Some(Phase::Preferences)
        );
        assert_eq!(
            scheduled_move(
                Phase::Preferences,
                &schedule,
                schedule.preferences_deadline + Duration::days(1)
            ),
            Some(Phase::Interviews)
        );
        let long_after = schedule.placement_start + Duration::days(30);
        for phase in [
            Phase::Interviews,
            Phase::Coupling,
            Phase::Published,
            Phase::Closed,
            Phase::Cancelled,
        ] {
            assert_eq!(
                scheduled_move(phase, &schedule, long_after),
                None,
                "{phase}"
            );
        }
    }

    #[test]
    fn reminders_are_due_in_the_days_before_a_deadline() {
        let schedule = Schedule::for_start(date(2027, 9, 1));
        let deadline = schedule.preferences_deadline;
        let due = |day| reminder_due(Step::Preferences, &schedule, day, 3);
        assert!(!due(deadline - Duration::days(4)));
        assert!(due(deadline - Duration::days(3)));
        assert!(due(deadline));
        assert!(!due(deadline + Duration::days(1)));
        assert!(reminder_due(Step::Preferences, &schedule, deadline, 0));
        assert!(!reminder_due(
            Step::Preferences,
            &schedule,
            deadline - Duration::days(1),
            0
        ));
    }

    #[test]
    fn a_round_created_once_its_process_has_begun_starts_held() {
        let schedule = Schedule::for_start(date(2027, 9, 1));
        assert!(!starts_held(&schedule, schedule.opens - Duration::days(1)));
        assert!(starts_held(&schedule, schedule.opens));
    }

    #[test]
    fn each_step_belongs_to_one_phase() {
        assert_eq!(Step::open_in(Phase::Draft), None);
        assert_eq!(Step::open_in(Phase::Profiles), Some(Step::Profiles));
        assert_eq!(Step::open_in(Phase::Interviews), Some(Step::FinalRanking));
        assert_eq!(Step::open_in(Phase::Coupling), None);
        assert_eq!(Step::Preferences.opened_notice(), "opened:preferences");
        assert_ne!(
            Step::Preferences.opened_notice(),
            Step::Preferences.reminder_notice()
        );
    }
}
