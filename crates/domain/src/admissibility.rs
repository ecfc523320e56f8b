//! Whether a trainee and a trainer may be coupled in a round, and if not, every reason why.
//! These reasons are what explanations and error messages show.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::calendar::TrainingYear;
use crate::ids::{TraineeId, TrainerId};
use crate::trainer::TrainerFacts;
use crate::veto::{Veto, VetoParty, VetoReason};

/// What the rules need to know about a trainee in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraineeFacts {
    /// Id.
    pub id: TraineeId,
    /// The year this round couples them for.
    pub year: TrainingYear,
    /// Their year-1 trainer, from history.
    pub year1_trainer: Option<TrainerId>,
    /// Whether any earlier trainer was linked to a large-scale out-of-hours structure.
    pub had_large_scale_trainer: bool,
}

/// One reason a pair may not be coupled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum Inadmissible {
    /// The trainer may not train this year.
    NotEligible {
        /// The trainee's year.
        year: TrainingYear,
    },
    /// The trainer is not available in this round.
    NotAvailable,
    /// A year-3 trainee with their own year-1 trainer.
    PreviousTrainer,
    /// A year-3 trainee without large-scale experience needs a trainer linked to a large-scale
    /// out-of-hours structure; this one is not.
    LargeScaleStructureRequired,
    /// One side declared a veto.
    Veto {
        /// Who declared it.
        declared_by: VetoParty,
        /// The reason category.
        reason: VetoReason,
    },
}

impl fmt::Display for Inadmissible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotEligible { year } => {
                write!(f, "the trainer is not eligible for {year} trainees")
            }
            Self::NotAvailable => f.write_str("the trainer is not available in this round"),
            Self::PreviousTrainer => f.write_str("the trainer was this trainee's year-1 trainer"),
            Self::LargeScaleStructureRequired => f.write_str(
                "this is the trainee's last chance to train with a trainer linked to a large-scale \
                 out-of-hours structure, and this trainer is not",
            ),
            Self::Veto {
                declared_by,
                reason,
            } => {
                let who = match declared_by {
                    VetoParty::Trainee => "the trainee",
                    VetoParty::Trainer => "the trainer",
                    VetoParty::System => "the platform",
                };
                let why = match reason {
                    VetoReason::PersonalRelationship(_) => "a personal relationship",
                    VetoReason::PreviousTrainer => "a previous coupling",
                };
                write!(f, "{who} declared a veto because of {why}")
            }
        }
    }
}

/// Every reason `trainee` and `trainer` may not be coupled; empty when they may.
/// `vetoes` may hold vetoes of other pairs; only this pair's count.
pub fn inadmissibility(
    trainee: &TraineeFacts,
    trainer: &TrainerFacts,
    vetoes: &[Veto],
) -> Vec<Inadmissible> {
    let mut reasons = Vec::new();
    if !trainer.eligible_for(trainee.year) {
        reasons.push(Inadmissible::NotEligible { year: trainee.year });
    }
    if !trainer.available {
        reasons.push(Inadmissible::NotAvailable);
    }
    if trainee.year == TrainingYear::Three {
        if trainee.year1_trainer == Some(trainer.id) {
            reasons.push(Inadmissible::PreviousTrainer);
        }
        if !trainee.had_large_scale_trainer && !trainer.large_scale_structure {
            reasons.push(Inadmissible::LargeScaleStructureRequired);
        }
    }
    for veto in vetoes
        .iter()
        .filter(|veto| veto.trainee == trainee.id && veto.trainer == trainer.id)
    {
        // The automatic veto repeats a reason already listed from history.
        if veto.reason == VetoReason::PreviousTrainer
            && reasons.contains(&Inadmissible::PreviousTrainer)
        {
            continue;
        }
        let reason = Inadmissible::Veto {
            declared_by: veto.declared_by,
            reason: veto.reason,
        };
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    reasons
}

/// Whether the pair may be coupled.
pub fn is_admissible(trainee: &TraineeFacts, trainer: &TrainerFacts, vetoes: &[Veto]) -> bool {
    inadmissibility(trainee, trainer, vetoes).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::veto::Relationship;
    use proptest::prelude::*;
    use uuid::Uuid;

    fn trainee(year: TrainingYear) -> TraineeFacts {
        TraineeFacts {
            id: TraineeId(Uuid::from_u128(1)),
            year,
            year1_trainer: None,
            had_large_scale_trainer: true,
        }
    }

    fn trainer() -> TrainerFacts {
        TrainerFacts {
            id: TrainerId(Uuid::from_u128(2)),
            name: "Visser".to_owned(),
            eligible_year1: true,
            eligible_year3: true,
            large_scale_structure: false,
            available: true,
            last_trainee_end: None,
        }
    }

    #[test]
    fn an_eligible_available_trainer_without_veto_is_admissible() {
        assert!(is_admissible(&trainee(TrainingYear::One), &trainer(), &[]));
        assert!(is_admissible(
            &trainee(TrainingYear::Three),
            &trainer(),
            &[]
        ));
    }

    #[test]
    fn every_reason_is_listed() {
        let mut a = trainee(TrainingYear::Three);
        a.year1_trainer = Some(trainer().id);
        a.had_large_scale_trainer = false;
        let mut t = trainer();
        t.eligible_year3 = false;
        t.available = false;
        let vetoes = [
            Veto::previous_trainer(a.id, t.id),
            Veto::declare(
                a.id,
                t.id,
                VetoParty::Trainer,
                "personal_relationship",
                Some("family"),
                None,
            )
            .unwrap(),
            Veto::declare(
                a.id,
                TrainerId(Uuid::from_u128(9)),
                VetoParty::Trainee,
                "personal_relationship",
                Some("own_gp"),
                None,
            )
            .unwrap(),
        ];
        let reasons = inadmissibility(&a, &t, &vetoes);
        assert_eq!(
            reasons,
            [
                Inadmissible::NotEligible {
                    year: TrainingYear::Three
                },
                Inadmissible::NotAvailable,
                Inadmissible::PreviousTrainer,
                Inadmissible::LargeScaleStructureRequired,
                Inadmissible::Veto {
                    declared_by: VetoParty::Trainer,
                    reason: VetoReason::PersonalRelationship(Relationship::Family)
                },
            ]
        );
        assert_eq!(
            reasons[3].to_string(),
            "this is the trainee's last chance to train with a trainer linked to a large-scale out-of-hours structure, and this trainer is not"
        );
    }

    #[test]
    fn year_1_trainees_need_no_large_scale_trainer_and_have_no_previous_trainer() {
        let mut a = trainee(TrainingYear::One);
        a.had_large_scale_trainer = false;
        a.year1_trainer = Some(trainer().id);
        assert!(is_admissible(&a, &trainer(), &[]));
    }

    #[test]
    fn a_large_scale_trainer_satisfies_the_last_chance_rule() {
        let mut a = trainee(TrainingYear::Three);
        a.had_large_scale_trainer = false;
        let mut t = trainer();
        t.large_scale_structure = true;
        assert!(is_admissible(&a, &t, &[]));
    }

    proptest! {
        #[test]
        fn a_pair_refused_by_any_rule_is_never_admissible_and_reasons_are_complete(
            year3 in any::<bool>(),
            same_year1_trainer in any::<bool>(),
            had_large_scale in any::<bool>(),
            eligible1 in any::<bool>(),
            eligible3 in any::<bool>(),
            large_scale in any::<bool>(),
            available in any::<bool>(),
            trainee_veto in any::<bool>(),
            trainer_veto in any::<bool>(),
        ) {
            let year = if year3 { TrainingYear::Three } else { TrainingYear::One };
            let t = TrainerFacts { eligible_year1: eligible1, eligible_year3: eligible3, large_scale_structure: large_scale, available, ..trainer() };
            let a = TraineeFacts { year, year1_trainer: same_year1_trainer.then_some(t.id), had_large_scale_trainer: had_large_scale, ..trainee(year) };
            let mut vetoes = Vec::new();
            if trainee_veto {
                vetoes.push(Veto::declare(a.id, t.id, VetoParty::Trainee, "personal_relationship", Some("own_gp"), None).unwrap());
            }
            if trainer_veto {
                vetoes.push(Veto::declare(a.id, t.id, VetoParty::Trainer, "personal_relationship", Some("family"), None).unwrap());
            }
            let reasons = inadmissibility(&a, &t, &vetoes);
            let expected = [
                !t.eligible_for(year),
                !available,
                year3 && same_year1_trainer,
                year3 && !had_large_scale && !large_scale,
                trainee_veto,
                trainer_veto,
            ];
            prop_assert_eq!(reasons.len(), expected.iter().filter(|refused| **refused).count());
            prop_assert_eq!(is_admissible(&a, &t, &vetoes), expected.iter().all(|refused| !refused));
        }
    }
}
