//! A trainer's answer to the O-team's availability request for a round: available or not, for
//! which of the round's training years, for how many trainees (1, or 2 in a duo practice), with
//! an optional note.

use crate::calendar::TrainingYear;
use crate::phase::Phase;

/// Whether availability can be asked and answered in a round in `phase`: before the round, in
/// draft or step 1 (profiles), while the O-team is still choosing its trainers.
pub fn is_open(phase: Phase) -> bool {
    matches!(phase, Phase::Draft | Phase::Profiles)
}

/// Most trainees a trainer can offer to take in one round through availability.
pub const MAX_CAPACITY: u8 = 2;
/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 1000;

/// A checked answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailabilityAnswer {
    /// Whether they can take a trainee this round.
    pub available: bool,
    /// For which years (empty when not available).
    pub years: Vec<TrainingYear>,
    /// How many trainees (1 when not available).
    pub capacity: u8,
    /// A note to the O-team, trimmed; `None` when empty.
    pub note: Option<String>,
}

/// Why an answer is refused, naming its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AvailabilityError {
    /// A year the round does not couple, or the trainer is not eligible for.
    #[error("year {year} cannot be offered here: offer {offered}")]
    YearNotOffered {
        /// The year asked for.
        year: u8,
        /// The years that can be offered, in words.
        offered: String,
    },
    /// Available, but for no year.
    #[error("choose at least one training year when available")]
    NoYear,
    /// Capacity outside 1..=2.
    #[error("must be 1 or {MAX_CAPACITY}")]
    Capacity,
    /// Note too long.
    #[error("at most {MAX_NOTE_CHARS} characters")]
    NoteTooLong,
}

impl AvailabilityError {
    /// The request field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::YearNotOffered { .. } | Self::NoYear => "training_years",
            Self::Capacity => "capacity",
            Self::NoteTooLong => "note",
        }
    }
}

impl AvailabilityAnswer {
    /// Checks an answer against the years that can be `offered` (the round's years the trainer
    /// is eligible for).
    pub fn parse(
        available: bool,
        years: &[u8],
        capacity: u8,
        note: Option<&str>,
        offered: &[TrainingYear],
    ) -> Result<Self, AvailabilityError> {
        let note = note.map(str::trim).filter(|note| !note.is_empty());
        if note.is_some_and(|note| note.chars().count() > MAX_NOTE_CHARS) {
            return Err(AvailabilityError::NoteTooLong);
        }
        let note = note.map(str::to_owned);
        if !available {
            return Ok(Self {
                available,
                years: Vec::new(),
                capacity: 1,
                note,
            });
        }
        if !(1..=MAX_CAPACITY).contains(&capacity) {
            return Err(AvailabilityError::Capacity);
        }
        let mut chosen = Vec::new();
        for &year in years {
            let found = offered.iter().find(|offered| offered.number() == year);
            match found {
                Some(year) if !chosen.contains(year) => chosen.push(*year),
                Some(_) => {}
                None => {
                    return Err(AvailabilityError::YearNotOffered {
                        year,
                        offered: offered
                            .iter()
                            .map(|y| format!("year {}", y.number()))
                            .collect::<Vec<_>>()
                            .join(" or "),
                    });
                }
            }
        }
        if chosen.is_empty() {
            return Err(AvailabilityError::NoYear);
        }
        chosen.sort();
        Ok(Self {
            available,
            years: chosen,
            capacity,
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: [TrainingYear; 2] = [TrainingYear::One, TrainingYear::Three];

    #[test]
    fn an_available_trainer_names_years_the_round_offers_and_a_capacity() {
        let answer =
            AvailabilityAnswer::parse(true, &[3, 1, 3], 2, Some("  duo  "), &BOTH).unwrap();
        assert_eq!(answer.years, BOTH);
        assert_eq!(answer.capacity, 2);
        assert_eq!(answer.note.as_deref(), Some("duo"));
        let error =
            AvailabilityAnswer::parse(true, &[3], 1, None, &[TrainingYear::One]).unwrap_err();
        assert_eq!(error.field(), "training_years");
        assert_eq!(
            error.to_string(),
            "year 3 cannot be offered here: offer year 1"
        );
        assert_eq!(
            AvailabilityAnswer::parse(true, &[], 1, None, &BOTH).unwrap_err(),
            AvailabilityError::NoYear
        );
        for capacity in [0, 3] {
            assert_eq!(
                AvailabilityAnswer::parse(true, &[1], capacity, None, &BOTH).unwrap_err(),
                AvailabilityError::Capacity
            );
        }
    }

    #[test]
    fn availability_is_asked_before_the_round_only() {
        assert!(is_open(Phase::Draft) && is_open(Phase::Profiles));
        for phase in [
            Phase::Preferences,
            Phase::Interviews,
            Phase::Published,
            Phase::Cancelled,
        ] {
            assert!(!is_open(phase), "{phase}");
        }
    }

    #[test]
    fn not_available_needs_nothing_else_and_notes_are_bounded() {
        let answer = AvailabilityAnswer::parse(false, &[1], 0, Some(""), &BOTH).unwrap();
        assert!(!answer.available);
        assert!(answer.years.is_empty());
        assert_eq!(answer.note, None);
        let long = "x".repeat(MAX_NOTE_CHARS + 1);
        assert_eq!(
            AvailabilityAnswer::parse(false, &[], 1, Some(&long), &BOTH).unwrap_err(),
            AvailabilityError::NoteTooLong
        );
    }
}
