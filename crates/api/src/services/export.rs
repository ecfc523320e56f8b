//! A person's own data (`GET /me/export`): the account, the trainee or trainer record with its
//! profile, and per round what they submitted. How others ranked or vetoed them is left out.

use std::collections::HashMap;

use chrono::Utc;
use koppel_api_types::{
    ExportAccount, ExportInterview, ExportRanked, ExportRound, ExportTrainee, ExportTrainer,
    HistoryEntry, MyDataExport,
};
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::Principal;
use crate::state::AppState;
use crate::store::{people, profiles, rounds, steps};

/// Everything of the signed-in person's own.
pub async fn export(state: &AppState, principal: &Principal) -> Result<MyDataExport, ApiError> {
    principal.require_person("personal data")?;
    let db = &state.db;
    let user = super::auth::active_user(state, principal.user_id).await?;
    let (trainee, trainer) = match user.institute_id {
        Some(institute) => (
            steps::trainee_of_user(db, institute, user.id).await?,
            steps::trainer_of_user(db, institute, user.id).await?,
        ),
        None => (None, None),
    };
    let mut names = Names::default();
    let trainee_export = match &trainee {
        Some(row) => {
            let profile = profiles::trainee(db, row.id).await?;
            let history = people::histories(db, &[row.id])
                .await?
                .into_iter()
                .map(|h| HistoryEntry {
                    trainer_id: h.trainer_id,
                    training_year: h.training_year as u8,
                    starts_on: h.starts_on,
                    ends_on: h.ends_on,
                    round_id: h.round_id,
                })
                .collect();
            let base = format!(
                "/api/v1/institutes/{}/trainees/{}",
                row.institute_id, row.id
            );
            Some(ExportTrainee {
                id: row.id,
                name: row.name.clone(),
                email: row.email.clone(),
                training_start: row.training_start,
                part_time_factor: row.part_time_factor,
                leave_days: row.leave_days.max(0) as u32,
                history,
                introduction: profile.as_ref().map(|p| p.introduction.clone()),
                experience: profile.as_ref().map(|p| p.experience.clone()),
                learning_wishes: profile.as_ref().map(|p| p.learning_wishes.clone()),
                cv_path: profile
                    .as_ref()
                    .and_then(|p| p.cv.as_ref())
                    .map(|_| format!("{base}/cv")),
                photo_path: profile
                    .as_ref()
                    .and_then(|p| p.photo.as_ref())
                    .map(|_| format!("{base}/photo")),
            })
        }
        None => None,
    };
    let trainer_export = match &trainer {
        Some(row) => {
            let profile = profiles::trainer(db, row.id).await?;
            Some(ExportTrainer {
                id: row.id,
                name: row.name.clone(),
                email: row.email.clone(),
                eligible_year1: row.eligible_year1,
                eligible_year3: row.eligible_year3,
                large_scale_structure: row.large_scale_structure,
                last_trainee_end: row.last_trainee_end,
                coupled_until: row.coupled_until,
                learning_plan: profile.as_ref().map(|p| p.learning_plan.clone()),
                practice_description: profile.as_ref().map(|p| p.practice_description.clone()),
            })
        }
        None => None,
    };
    let trainee_id = trainee.as_ref().map(|t| t.id);
    let trainer_id = trainer.as_ref().map(|t| t.id);
    let mut rounds_export = Vec::new();
    for round in rounds::of_participant(db, trainee_id, trainer_id).await? {
        // As a trainee: trainers are the counterparts; as a trainer: trainees.
        let is_me = |trainee: Uuid, trainer: Uuid| {
            Some(trainee) == trainee_id || Some(trainer) == trainer_id
        };
        let counterpart = |trainee: Uuid, trainer: Uuid| {
            if Some(trainee) == trainee_id {
                Counterpart::Trainer(trainer)
            } else {
                Counterpart::Trainee(trainee)
            }
        };
        let mut preferences = Vec::new();
        for row in steps::preferences(db, round.id).await? {
            if Some(row.trainee_id) == trainee_id {
                preferences.push(ExportRanked {
                    name: names
                        .of(
                            state,
                            round.institute_id,
                            Counterpart::Trainer(row.trainer_id),
                        )
                        .await?,
                    rank: row.rank.max(0) as u32,
                });
            }
        }
        let mut interviews = Vec::new();
        for row in steps::interviews(db, round.id).await? {
            if is_me(row.trainee_id, row.trainer_id) {
                interviews.push(ExportInterview {
                    name: names
                        .of(
                            state,
                            round.institute_id,
                            counterpart(row.trainee_id, row.trainer_id),
                        )
                        .await?,
                    planned_on: row.planned_on,
                    held_on: row.held_on,
                });
            }
        }
        let mut final_ranking = Vec::new();
        for row in steps::final_rankings(db, round.id).await? {
            let mine = (row.side == "trainee" && Some(row.ranker_id) == trainee_id)
                || (row.side == "trainer" && Some(row.ranker_id) == trainer_id);
            if mine {
                let other = if row.side == "trainee" {
                    Counterpart::Trainer(row.counterpart_id)
                } else {
                    Counterpart::Trainee(row.counterpart_id)
                };
                final_ranking.push(ExportRanked {
                    name: names.of(state, round.institute_id, other).await?,
                    rank: row.rank.max(0) as u32,
                });
            }
        }
        final_ranking.sort_by_key(|r| r.rank);
        let mut vetoes = Vec::new();
        for row in steps::vetoes(db, round.id).await? {
            let declared_by_me = (row.declared_by == "trainee"
                && Some(row.trainee_id) == trainee_id)
                || (row.declared_by == "trainer" && Some(row.trainer_id) == trainer_id);
            if declared_by_me {
                vetoes.push(koppel_api_types::ExportVeto {
                    name: names
                        .of(
                            state,
                            round.institute_id,
                            counterpart(row.trainee_id, row.trainer_id),
                        )
                        .await?,
                    category: row.category,
                    relationship: row.relationship,
                    note: row.note,
                    created_at: row.created_at,
                });
            }
        }
        let mut coupled_to = Vec::new();
        for row in steps::couplings(db, round.id).await? {
            if is_me(row.trainee_id, row.trainer_id) {
                coupled_to.push(
                    names
                        .of(
                            state,
                            round.institute_id,
                            counterpart(row.trainee_id, row.trainer_id),
                        )
                        .await?,
                );
            }
        }
        rounds_export.push(ExportRound {
            round_id: round.id,
            placement_start: round.key.start_date(),
            phase: round.phase.as_str().to_owned(),
            preferences,
            interviews,
            final_ranking,
            vetoes,
            coupled_to,
        });
    }
    Ok(MyDataExport {
        exported_at: Utc::now(),
        account: ExportAccount {
            id: user.id,
            email: user.email,
            display_name: user.display_name,
            role: user.role,
            locale: user.locale,
            two_factor: user.two_factor,
            created_at: user.created_at,
        },
        trainee: trainee_export,
        trainer: trainer_export,
        rounds: rounds_export,
    })
}

/// The other side of a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Counterpart {
    Trainee(Uuid),
    Trainer(Uuid),
}

/// Names looked up once each.
#[derive(Default)]
struct Names(HashMap<Counterpart, String>);

impl Names {
    async fn of(
        &mut self,
        state: &AppState,
        institute_id: Uuid,
        who: Counterpart,
    ) -> Result<String, ApiError> {
        if let Some(name) = self.0.get(&who) {
            return Ok(name.clone());
        }
        let name = match who {
            Counterpart::Trainee(id) => people::find_trainee(&state.db, institute_id, id)
                .await?
                .map(|t| t.name),
            Counterpart::Trainer(id) => people::find_trainer(&state.db, institute_id, id)
                .await?
                .map(|t| t.name),
        }
        .unwrap_or_default();
        self.0.insert(who, name.clone());
        Ok(name)
    }
}
