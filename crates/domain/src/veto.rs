//! Vetoes: which reasons may keep a trainee and a trainer apart, and which may not.
//!
//! Allowed: a personal relationship (family, the trainee's own GP, another personal tie), declared
//! by either side, and the automatic `previous_trainer` (a year-3 trainee never gets their year-1
//! trainer again). Refused, with the policy in words: travel time, religion, political preference,
//! skin colour, migration background, sexual orientation and gender.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{TraineeId, TrainerId};

/// Who declared a veto.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VetoParty {
    /// The trainee.
    Trainee,
    /// The trainer.
    Trainer,
    /// The platform, from history.
    System,
}

/// The kind of personal relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    /// A family member.
    Family,
    /// The trainee's own GP.
    OwnGp,
    /// Another personal tie.
    OtherPersonalTie,
}

/// An accepted reason for a veto.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "category", content = "relationship")]
pub enum VetoReason {
    /// A personal relationship exists between the two.
    PersonalRelationship(Relationship),
    /// The trainer was the trainee's year-1 trainer (recorded automatically).
    PreviousTrainer,
}

/// Reasons that can never ground a veto.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusedReason {
    /// Travel time to the practice.
    TravelTime,
    /// Religion or belief.
    Religion,
    /// Political preference.
    PoliticalPreference,
    /// Skin colour.
    SkinColour,
    /// Migration background.
    MigrationBackground,
    /// Sexual orientation.
    SexualOrientation,
    /// Gender.
    Gender,
}

impl RefusedReason {
    /// Every refused reason.
    pub const ALL: [RefusedReason; 7] = [
        Self::TravelTime,
        Self::Religion,
        Self::PoliticalPreference,
        Self::SkinColour,
        Self::MigrationBackground,
        Self::SexualOrientation,
        Self::Gender,
    ];

    /// The snake_case category name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TravelTime => "travel_time",
            Self::Religion => "religion",
            Self::PoliticalPreference => "political_preference",
            Self::SkinColour => "skin_colour",
            Self::MigrationBackground => "migration_background",
            Self::SexualOrientation => "sexual_orientation",
            Self::Gender => "gender",
        }
    }

    /// Why this is no ground for a veto.
    pub fn policy(self) -> &'static str {
        match self {
            Self::TravelTime => {
                "travel time is no ground for a veto: trainees are placed at a training location with \
                 its region, the training practices lie throughout that region, and trainees are \
                 expected to have a (lease) car"
            }
            _ => {
                "the training welcomes every trainee regardless of religion, political preference, \
                 skin colour, migration background, sexual orientation or gender, and expects \
                 trainers to apply this policy: none of these is a ground for a veto"
            }
        }
    }
}

impl fmt::Display for RefusedReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a veto was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VetoError {
    /// A reason the policy excludes.
    #[error("a veto cannot be based on {reason}: {}", .reason.policy())]
    Refused {
        /// The reason given.
        reason: RefusedReason,
    },
    /// Not a known category.
    #[error(
        "'{0}' is not a veto reason; the only reason you can declare is personal_relationship (family, own_gp or other_personal_tie)"
    )]
    UnknownCategory(String),
    /// A personal relationship needs its kind.
    #[error("say which personal relationship: family, own_gp or other_personal_tie")]
    MissingRelationship,
    /// Not a known relationship kind.
    #[error("'{0}' is not a relationship; use family, own_gp or other_personal_tie")]
    UnknownRelationship(String),
    /// `previous_trainer` is applied from history, not declared.
    #[error(
        "previous_trainer is applied automatically from the coupling history and cannot be declared"
    )]
    PreviousTrainerIsAutomatic,
    /// Only the two sides declare vetoes.
    #[error("only the trainee or the trainer can declare a veto")]
    WrongParty,
    /// The note is too long.
    #[error("the note must be at most {max} characters")]
    NoteTooLong {
        /// Limit.
        max: usize,
    },
}

/// A veto to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Veto {
    /// The trainee.
    pub trainee: TraineeId,
    /// The trainer.
    pub trainer: TrainerId,
    /// Who declared it.
    pub declared_by: VetoParty,
    /// Why.
    pub reason: VetoReason,
    /// Optional free text; never replaces the category.
    pub note: Option<String>,
}

impl Veto {
    /// Longest note.
    pub const MAX_NOTE_CHARS: usize = 1000;

    /// A veto declared by the trainee or the trainer, with its reason category (and relationship
    /// kind for `personal_relationship`).
    pub fn declare(
        trainee: TraineeId,
        trainer: TrainerId,
        declared_by: VetoParty,
        category: &str,
        relationship: Option<&str>,
        note: Option<&str>,
    ) -> Result<Self, VetoError> {
        if declared_by == VetoParty::System {
            return Err(VetoError::WrongParty);
        }
        let category = category.trim();
        if let Some(reason) = RefusedReason::ALL
            .into_iter()
            .find(|r| r.as_str() == category)
        {
            return Err(VetoError::Refused { reason });
        }
        let reason = match category {
            "personal_relationship" => {
                let kind = relationship
                    .map(str::trim)
                    .filter(|kind| !kind.is_empty())
                    .ok_or(VetoError::MissingRelationship)?;
                VetoReason::PersonalRelationship(match kind {
                    "family" => Relationship::Family,
                    "own_gp" => Relationship::OwnGp,
                    "other_personal_tie" => Relationship::OtherPersonalTie,
                    other => return Err(VetoError::UnknownRelationship(other.to_owned())),
                })
            }
            "previous_trainer" => return Err(VetoError::PreviousTrainerIsAutomatic),
            other => return Err(VetoError::UnknownCategory(other.to_owned())),
        };
        let note = note.map(str::trim).filter(|note| !note.is_empty());
        if note.is_some_and(|note| note.chars().count() > Self::MAX_NOTE_CHARS) {
            return Err(VetoError::NoteTooLong {
                max: Self::MAX_NOTE_CHARS,
            });
        }
        Ok(Self {
            trainee,
            trainer,
            declared_by,
            reason,
            note: note.map(str::to_owned),
        })
    }

    /// The automatic veto against a year-3 trainee's year-1 trainer.
    pub fn previous_trainer(trainee: TraineeId, trainer: TrainerId) -> Self {
        Self {
            trainee,
            trainer,
            declared_by: VetoParty::System,
            reason: VetoReason::PreviousTrainer,
            note: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn ids() -> (TraineeId, TrainerId) {
        (TraineeId(Uuid::new_v4()), TrainerId(Uuid::new_v4()))
    }

    #[test]
    fn a_personal_relationship_is_a_valid_veto() {
        let (trainee, trainer) = ids();
        for (kind, expected) in [
            ("family", Relationship::Family),
            ("own_gp", Relationship::OwnGp),
            ("other_personal_tie", Relationship::OtherPersonalTie),
        ] {
            let veto = Veto::declare(
                trainee,
                trainer,
                VetoParty::Trainer,
                "personal_relationship",
                Some(kind),
                Some(" oom "),
            )
            .unwrap();
            assert_eq!(veto.reason, VetoReason::PersonalRelationship(expected));
            assert_eq!(veto.note.as_deref(), Some("oom"));
        }
    }

    #[test]
    fn every_refused_reason_is_refused_with_the_policy() {
        let (trainee, trainer) = ids();
        for reason in RefusedReason::ALL {
            let error = Veto::declare(
                trainee,
                trainer,
                VetoParty::Trainee,
                reason.as_str(),
                None,
                Some("note"),
            )
            .unwrap_err();
            assert_eq!(error, VetoError::Refused { reason });
            let message = error.to_string();
            assert!(message.starts_with(&format!("a veto cannot be based on {}", reason.as_str())));
            if reason == RefusedReason::TravelTime {
                assert!(message.contains("(lease) car"), "{message}");
            } else {
                assert!(message.contains("regardless of religion"), "{message}");
            }
        }
    }

    #[test]
    fn a_note_never_replaces_the_category() {
        let (trainee, trainer) = ids();
        assert_eq!(
            Veto::declare(
                trainee,
                trainer,
                VetoParty::Trainee,
                "",
                None,
                Some("familie")
            ),
            Err(VetoError::UnknownCategory(String::new()))
        );
        assert_eq!(
            Veto::declare(
                trainee,
                trainer,
                VetoParty::Trainee,
                "personal_relationship",
                None,
                Some("oom")
            ),
            Err(VetoError::MissingRelationship)
        );
        assert!(matches!(
            Veto::declare(
                trainee,
                trainer,
                VetoParty::Trainee,
                "personal_relationship",
                Some("neighbour"),
                None
            ),
            Err(VetoError::UnknownRelationship(_))
        ));
        assert!(matches!(
            Veto::declare(
                trainee,
                trainer,
                VetoParty::Trainee,
                "personal_relationship",
                Some("family"),
                Some(&"x".repeat(1001))
            ),
            Err(VetoError::NoteTooLong { .. })
        ));
    }

    #[test]
    fn previous_trainer_is_automatic_only() {
        let (trainee, trainer) = ids();
        assert_eq!(
            Veto::declare(
                trainee,
                trainer,
                VetoParty::Trainee,
                "previous_trainer",
                None,
                None
            ),
            Err(VetoError::PreviousTrainerIsAutomatic)
        );
        assert_eq!(
            Veto::declare(
                trainee,
                trainer,
                VetoParty::System,
                "personal_relationship",
                Some("family"),
                None
            ),
            Err(VetoError::WrongParty)
        );
        assert_eq!(
            Veto::previous_trainer(trainee, trainer).declared_by,
            VetoParty::System
        );
    }
}
