//! The life of a round: `draft -> profiles -> preferences -> interviews -> coupling ->
//! published -> closed`, or `cancelled` from any phase before `closed`. Transitions have guards
//! that say in words why they are refused, and each phase allows some actions until a deadline.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarError, Schedule, dutch_date};

/// Where a round stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Being prepared: participants are selected.
    Draft,
    /// Step 1: trainees write profiles, trainers their learning plans.
    Profiles,
    /// Step 2: trainees rank trainers; then interview candidates are proposed.
    Preferences,
    /// Step 3: interviews, then both sides rank their counterparts.
    Interviews,
    /// The coordinators compute and compare couplings.
    Coupling,
    /// The coupling is published and mailed.
    Published,
    /// Finished; read-only.
    Closed,
    /// Stopped before the end; read-only.
    Cancelled,
}

impl Phase {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Profiles => "profiles",
            Self::Preferences => "preferences",
            Self::Interviews => "interviews",
            Self::Coupling => "coupling",
            Self::Published => "published",
            Self::Closed => "closed",
            Self::Cancelled => "cancelled",
        }
    }

    /// The phase that normally follows, if any.
    pub fn next(self) -> Option<Self> {
        match self {
            Self::Draft => Some(Self::Profiles),
            Self::Profiles => Some(Self::Preferences),
            Self::Preferences => Some(Self::Interviews),
            Self::Interviews => Some(Self::Coupling),
            Self::Coupling => Some(Self::Published),
            Self::Published => Some(Self::Closed),
            Self::Closed | Self::Cancelled => None,
        }
    }

    /// Whether nothing can change any more.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Closed | Self::Cancelled)
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the guards need to know about a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RoundFacts {
    /// Trainees taking part.
    pub trainees: usize,
    /// Trainers taking part.
    pub trainers: usize,
    /// Whether the interview proposal has been published.
    pub interview_proposal_published: bool,
    /// Whether a coupling run has been chosen for publication.
    pub coupling_run_chosen: bool,
    /// The round's schedule, checked when the round opens.
    pub schedule: Option<Schedule>,
}

/// Why a transition is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// Not the next phase.
    #[error("a round in phase '{from}' cannot move to '{to}'{}", .next.map(|n| format!("; the next phase is '{n}'")).unwrap_or_default())]
    NotAllowed {
        /// Current phase.
        from: Phase,
        /// Requested phase.
        to: Phase,
        /// The phase that may follow.
        next: Option<Phase>,
    },
    /// Nobody to couple.
    #[error(
        "the round has no participants: add at least one trainee and one trainer first ({trainees} trainees, {trainers} trainers)"
    )]
    NoParticipants {
        /// Trainees.
        trainees: usize,
        /// Trainers.
        trainers: usize,
    },
    /// Interviews cannot start without a published proposal.
    #[error("publish the interview proposal before the interviews start")]
    NoInterviewProposal,
    /// Publication needs a chosen coupling run.
    #[error("choose a coupling run before publishing")]
    NoCouplingRunChosen,
    /// The round cannot open without a schedule whose deadlines are in order.
    #[error("the round cannot open: {0}")]
    Schedule(CalendarError),
}

/// Checks a phase change.
pub fn check_transition(from: Phase, to: Phase, facts: &RoundFacts) -> Result<(), TransitionError> {
    if to == Phase::Cancelled && !from.is_final() {
        return Ok(());
    }
    if from.next() != Some(to) {
        return Err(TransitionError::NotAllowed {
            from,
            to,
            next: from.next(),
        });
    }
    match to {
        Phase::Profiles if facts.trainees == 0 || facts.trainers == 0 => {
            Err(TransitionError::NoParticipants {
                trainees: facts.trainees,
                trainers: facts.trainers,
            })
        }
        Phase::Profiles => match facts.schedule.as_ref().map(Schedule::validate) {
            Some(Ok(())) => Ok(()),
            Some(Err(error)) => Err(TransitionError::Schedule(error)),
            None => Err(TransitionError::Schedule(CalendarError::NoSchedule)),
        },
        Phase::Interviews if !facts.interview_proposal_published => {
            Err(TransitionError::NoInterviewProposal)
        }
        Phase::Published if !facts.coupling_run_chosen => Err(TransitionError::NoCouplingRunChosen),
        _ => Ok(()),
    }
}

/// Things people do in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Add or remove participants.
    EditParticipants,
    /// Write a profile or learning plan.
    EditProfile,
    /// Submit or replace the step-2 preference list.
    SubmitPreferences,
    /// Record an interview as planned or held.
    RecordInterview,
    /// Submit the step-3 final ranking.
    SubmitFinalRanking,
    /// Declare a veto.
    DeclareVeto,
    /// Start a coupling run.
    RunCoupling,
    /// Couple a pair by hand.
    ManualCoupling,
}

impl Action {
    /// The phases in which the action is allowed.
    pub fn phases(self) -> &'static [Phase] {
        use Phase::*;
        match self {
            Self::EditParticipants => &[Draft, Profiles],
            Self::EditProfile => &[Draft, Profiles],
            Self::SubmitPreferences => &[Preferences],
            Self::RecordInterview | Self::SubmitFinalRanking => &[Interviews],
            Self::DeclareVeto => &[Profiles, Preferences, Interviews],
            // After publication, a re-run couples those left without a coupling (drop-outs).
            Self::RunCoupling => &[Coupling, Published],
            Self::ManualCoupling => &[Coupling, Published],
        }
    }

    /// The deadline that ends the action, if one does.
    pub fn deadline(self, schedule: &Schedule) -> Option<(&'static str, NaiveDate)> {
        match self {
            Self::EditProfile => Some(("profiles deadline", schedule.profiles_deadline)),
            Self::SubmitPreferences => {
                Some(("preferences deadline", schedule.preferences_deadline))
            }
            Self::RecordInterview | Self::SubmitFinalRanking | Self::DeclareVeto => {
                Some(("final ranking deadline", schedule.final_ranking_deadline))
            }
            Self::EditParticipants | Self::RunCoupling | Self::ManualCoupling => None,
        }
    }

    /// Words for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Self::EditParticipants => "change participants",
            Self::EditProfile => "edit a profile",
            Self::SubmitPreferences => "submit preferences",
            Self::RecordInterview => "record an interview",
            Self::SubmitFinalRanking => "submit a final ranking",
            Self::DeclareVeto => "declare a veto",
            Self::RunCoupling => "run the coupling",
            Self::ManualCoupling => "couple by hand",
        }
    }
}

/// Why an action is refused now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    /// Not in this phase.
    #[error("you cannot {} while the round is in phase '{phase}'; this is possible in: {}", .action.describe(), list(.allowed))]
    WrongPhase {
        /// The action.
        action: Action,
        /// The round's phase.
        phase: Phase,
        /// Phases that allow it.
        allowed: &'static [Phase],
    },
    /// Too late.
    #[error("the {name} ({deadline}) has passed: you can no longer {}", .action.describe())]
    DeadlinePassed {
        /// The action.
        action: Action,
        /// Which deadline.
        name: &'static str,
        /// Its date (inclusive).
        deadline: NaiveDate,
    },
}

fn list(phases: &[Phase]) -> String {
    phases
        .iter()
        .map(|phase| phase.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Step 2 as far as vetoes are concerned: while it is open, a veto removes the trainer from
/// what the trainee may rank; once it closes (its deadline has passed, or the round has moved
/// on), that list is frozen, so a veto declared later, for example by a trainer after an
/// interview, cannot be read off it. Such vetoes still bind the coupling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepTwo {
    /// The round's phase.
    pub phase: Phase,
    /// The preferences deadline (a Dutch date).
    pub deadline: NaiveDate,
    /// When the round last left `preferences`, if it has.
    pub left_at: Option<DateTime<Utc>>,
}

impl StepTwo {
    /// Whether step 2 is closed at `now`.
    pub fn is_closed(&self, now: DateTime<Utc>) -> bool {
        self.phase > Phase::Preferences
            || (self.phase == Phase::Preferences && dutch_date(now) > self.deadline)
    }

    /// Whether a veto declared at `declared_at` shapes what the trainee may rank at `now`: every
    /// veto while step 2 is open, afterwards only those declared before it closed.
    pub fn veto_counts(&self, declared_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        if !self.is_closed(now) {
            return true;
        }
        dutch_date(declared_at) <= self.deadline
            && self.left_at.is_none_or(|left| declared_at < left)
    }
}

/// Whether `action` is allowed in `phase` at `now`. A deadline day counts in full, Dutch time.
pub fn check_action(
    action: Action,
    phase: Phase,
    schedule: &Schedule,
    now: DateTime<Utc>,
) -> Result<(), ActionError> {
    let allowed = action.phases();
    if !allowed.contains(&phase) {
        return Err(ActionError::WrongPhase {
            action,
            phase,
            allowed,
        });
    }
    if let Some((name, deadline)) = action.deadline(schedule)
        && dutch_date(now) > deadline
    {
        return Err(ActionError::DeadlinePassed {
            action,
            name,
            deadline,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(date: &str, hour: u32) -> DateTime<Utc> {
        NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
            .and_utc()
    }

    #[test]
    fn every_veto_counts_while_step_two_is_open() {
        let step = StepTwo {
            phase: Phase::Preferences,
            deadline: NaiveDate::from_ymd_opt(2027, 1, 15).unwrap(),
            left_at: None,
        };
        let now = utc("2027-01-10", 12);
        assert!(!step.is_closed(now));
        assert!(step.veto_counts(utc("2027-01-10", 11), now));
    }

    #[test]
    fn after_the_deadline_only_vetoes_declared_by_then_count() {
        let step = StepTwo {
            phase: Phase::Preferences,
            deadline: NaiveDate::from_ymd_opt(2027, 1, 15).unwrap(),
            left_at: None,
        };
        let now = utc("2027-01-20", 12);
        assert!(step.is_closed(now));
        // 22:30 UTC on the 15th is still the 15th in the Netherlands (23:30 CET).
        assert!(step.veto_counts(utc("2027-01-15", 22), now));
        assert!(!step.veto_counts(utc("2027-01-15", 23), now));
        assert!(!step.veto_counts(utc("2027-01-18", 9), now));
    }

    #[test]
    fn leaving_step_two_before_its_deadline_freezes_it_then() {
        let left = utc("2027-01-12", 9);
        for phase in [Phase::Interviews, Phase::Coupling, Phase::Published] {
            let step = StepTwo {
                phase,
                deadline: NaiveDate::from_ymd_opt(2027, 1, 15).unwrap(),
                left_at: Some(left),
            };
            let now = utc("2027-01-13", 12);
            assert!(step.is_closed(now));
            assert!(step.veto_counts(utc("2027-01-12", 8), now));
            assert!(!step.veto_counts(utc("2027-01-12", 10), now));
        }
    }

    const ALL: [Phase; 8] = [
        Phase::Draft,
        Phase::Profiles,
        Phase::Preferences,
        Phase::Interviews,
        Phase::Coupling,
        Phase::Published,
        Phase::Closed,
        Phase::Cancelled,
    ];

    fn ready() -> RoundFacts {
        RoundFacts {
            trainees: 12,
            trainers: 14,
            interview_proposal_published: true,
            coupling_run_chosen: true,
            schedule: Some(schedule()),
        }
    }

    #[test]
    fn the_happy_path_runs_from_draft_to_closed() {
        let mut phase = Phase::Draft;
        let mut seen = vec![phase];
        while let Some(next) = phase.next() {
            check_transition(phase, next, &ready()).unwrap();
            phase = next;
            seen.push(phase);
        }
        assert_eq!(seen.len(), 7);
        assert_eq!(phase, Phase::Closed);
    }

    #[test]
    fn only_the_next_phase_or_cancellation_is_allowed() {
        for from in ALL {
            for to in ALL {
                let allowed = check_transition(from, to, &ready()).is_ok();
                let expected =
                    from.next() == Some(to) || (to == Phase::Cancelled && !from.is_final());
                assert_eq!(allowed, expected, "{from} -> {to}");
            }
        }
    }

    #[test]
    fn guards_say_why() {
        let empty = RoundFacts {
            trainers: 3,
            ..RoundFacts::default()
        };
        let error = check_transition(Phase::Draft, Phase::Profiles, &empty).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the round has no participants: add at least one trainee and one trainer first (0 trainees, 3 trainers)"
        );
        let no_proposal = RoundFacts {
            interview_proposal_published: false,
            ..ready()
        };
        assert_eq!(
            check_transition(Phase::Preferences, Phase::Interviews, &no_proposal),
            Err(TransitionError::NoInterviewProposal)
        );
        let no_run = RoundFacts {
            coupling_run_chosen: false,
            ..ready()
        };
        assert_eq!(
            check_transition(Phase::Coupling, Phase::Published, &no_run),
            Err(TransitionError::NoCouplingRunChosen)
        );
        let mut disordered = schedule();
        disordered.preferences_deadline = disordered.opens;
        let bad_schedule = RoundFacts {
            schedule: Some(disordered),
            ..ready()
        };
        let error = check_transition(Phase::Draft, Phase::Profiles, &bad_schedule).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("the round cannot open: the preferences deadline"),
            "{error}"
        );
        let skip = check_transition(Phase::Profiles, Phase::Coupling, &ready()).unwrap_err();
        assert_eq!(
            skip.to_string(),
            "a round in phase 'profiles' cannot move to 'coupling'; the next phase is 'preferences'"
        );
    }

    fn schedule() -> Schedule {
        Schedule::for_start(NaiveDate::from_ymd_opt(2027, 9, 1).unwrap())
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn actions_are_bound_to_phases() {
        let now = at("2027-06-02T10:00:00Z");
        assert!(check_action(Action::EditProfile, Phase::Profiles, &schedule(), now).is_ok());
        let error =
            check_action(Action::SubmitPreferences, Phase::Profiles, &schedule(), now).unwrap_err();
        assert_eq!(
            error.to_string(),
            "you cannot submit preferences while the round is in phase 'profiles'; this is possible in: preferences"
        );
        for action in [
            Action::DeclareVeto,
            Action::RunCoupling,
            Action::ManualCoupling,
        ] {
            assert!(check_action(action, Phase::Closed, &schedule(), now).is_err());
        }
    }

    #[test]
    fn a_deadline_day_counts_in_full_dutch_time() {
        // Preferences deadline: 2027-06-25. Summer time: the day ends at 21:59:59 UTC.
        let last_minute = at("2027-06-25T21:59:00Z");
        let too_late = at("2027-06-25T22:00:00Z");
        assert!(
            check_action(
                Action::SubmitPreferences,
                Phase::Preferences,
                &schedule(),
                last_minute
            )
            .is_ok()
        );
        let error = check_action(
            Action::SubmitPreferences,
            Phase::Preferences,
            &schedule(),
            too_late,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "the preferences deadline (2027-06-25) has passed: you can no longer submit preferences"
        );
    }

    #[test]
    fn coordinator_actions_have_no_deadline() {
        let late = at("2027-08-30T10:00:00Z");
        assert!(check_action(Action::RunCoupling, Phase::Coupling, &schedule(), late).is_ok());
        assert!(check_action(Action::ManualCoupling, Phase::Published, &schedule(), late).is_ok());
    }
}
