//! Trainers in a round: eligibility for year 1 and/or year 3 (opleiderscurriculum),
//! availability, the link to a large-scale GP out-of-hours structure, and the continuity order.

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::TrainingYear;
use crate::ids::TrainerId;

/// What the rules need to know about a trainer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainerFacts {
    /// Id.
    pub id: TrainerId,
    /// Name, for the tie-break of the continuity order.
    pub name: String,
    /// May train year-1 trainees.
    pub eligible_year1: bool,
    /// May train year-3 trainees.
    pub eligible_year3: bool,
    /// Linked to a large-scale GP out-of-hours structure (grootschalige huisartsendienstenstructuur).
    pub large_scale_structure: bool,
    /// Available in this round.
    pub available: bool,
    /// When their last trainee left; `None` if they never had one.
    pub last_trainee_end: Option<NaiveDate>,
}

impl TrainerFacts {
    /// Whether the trainer may train `year`.
    pub fn eligible_for(&self, year: TrainingYear) -> bool {
        match year {
            TrainingYear::One => self.eligible_year1,
            TrainingYear::Three => self.eligible_year3,
        }
    }

    /// Of a round's `years`, those the trainer may train (what they can offer in that round).
    pub fn eligible_years(&self, years: &[TrainingYear]) -> Vec<TrainingYear> {
        years
            .iter()
            .copied()
            .filter(|year| self.eligible_for(*year))
            .collect()
    }
}

/// The continuity order: trainers who never had a trainee first, then the longest period without
/// a trainee (earliest end date) first. Ties are broken by name (case-insensitive), then by id,
/// so the order never depends on input order.
pub fn continuity_cmp(a: &TrainerFacts, b: &TrainerFacts) -> Ordering {
    let waited = |t: &TrainerFacts| match t.last_trainee_end {
        None => (0, NaiveDate::MIN),
        Some(end) => (1, end),
    };
    waited(a)
        .cmp(&waited(b))
        .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
        .then_with(|| a.id.cmp(&b.id))
}

/// The available trainers in continuity order, only those eligible for `year` when given.
pub fn continuity_order(
    trainers: &[TrainerFacts],
    year: Option<TrainingYear>,
) -> Vec<&TrainerFacts> {
    let mut list: Vec<&TrainerFacts> = trainers
        .iter()
        .filter(|t| t.available && year.is_none_or(|year| t.eligible_for(year)))
        .collect();
    list.sort_by(|a, b| continuity_cmp(a, b));
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn trainer(name: &str, last: Option<(i32, u32, u32)>) -> TrainerFacts {
        TrainerFacts {
            id: TrainerId(Uuid::new_v4()),
            name: name.to_owned(),
            eligible_year1: true,
            eligible_year3: true,
            large_scale_structure: false,
            available: true,
            last_trainee_end: last.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
        }
    }

    #[test]
    fn never_had_a_trainee_first_then_longest_wait() {
        let trainers = vec![
            trainer("Bakker", Some((2026, 8, 31))),
            trainer("de Vries", None),
            trainer("Jansen", Some((2025, 2, 28))),
            trainer("Aalders", None),
        ];
        let order: Vec<&str> = continuity_order(&trainers, None)
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(order, ["Aalders", "de Vries", "Jansen", "Bakker"]);
    }

    #[test]
    fn unavailable_and_ineligible_trainers_are_left_out() {
        let mut busy = trainer("Busy", None);
        busy.available = false;
        let mut only_year3 = trainer("Only3", None);
        only_year3.eligible_year1 = false;
        let trainers = vec![busy, only_year3, trainer("Any", None)];
        let year1: Vec<&str> = continuity_order(&trainers, Some(TrainingYear::One))
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(year1, ["Any"]);
        assert_eq!(
            continuity_order(&trainers, Some(TrainingYear::Three)).len(),
            2
        );
    }

    #[test]
    fn the_order_does_not_depend_on_input_order() {
        let trainers = vec![
            trainer("Visser", Some((2026, 1, 1))),
            trainer("visser", Some((2026, 1, 1))),
            trainer("Smit", Some((2026, 1, 1))),
        ];
        let mut reversed = trainers.clone();
        reversed.reverse();
        let ids = |list: Vec<&TrainerFacts>| list.iter().map(|t| t.id).collect::<Vec<_>>();
        assert_eq!(
            ids(continuity_order(&trainers, None)),
            ids(continuity_order(&reversed, None))
        );
    }
}
