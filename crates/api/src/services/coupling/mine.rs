//! A participant's own outcome, with the explanation a trainee may see.

use koppel_domain::VetoParty;
use koppel_matcher::coupling::{CouplingOutput, Explanation};
use uuid::Uuid;

use super::final_ranking::me_in_round;
use crate::error::ApiError;
use crate::extract::Principal;
use crate::services::steps::round_for_participant;
use crate::state::AppState;
use crate::store::{people, steps};

/// The caller's published coupling, with the matcher's explanation for trainees.
pub async fn my_coupling(
    state: &AppState,
    principal: &Principal,
    round_id: Uuid,
) -> Result<koppel_api_types::MyCouplingResponse, ApiError> {
    let round = round_for_participant(state, principal, round_id).await?;
    let (side, me, _) = me_in_round(state, principal, &round).await?;
    let couplings = steps::couplings(&state.db, round_id).await?;
    let all_mine: Vec<_> = couplings
        .iter()
        .filter(|c| match side {
            VetoParty::Trainee => c.trainee_id == me,
            _ => c.trainer_id == me,
        })
        .collect();
    let mine = all_mine.first().copied();
    // The published run: the caller's own coupling's, or any other's when uncoupled.
    let run_id = mine
        .map(|c| c.run_id)
        .unwrap_or_else(|| couplings.iter().find_map(|c| c.run_id));
    let explanation = match (side, run_id) {
        (VetoParty::Trainee, Some(run_id)) => steps::runs(&state.db, round_id)
            .await?
            .into_iter()
            .find(|r| r.id == run_id)
            .and_then(|run| serde_json::from_str::<CouplingOutput>(&run.output).ok())
            .and_then(|output| {
                output
                    .explanations
                    .into_iter()
                    .find(|e| e.trainee == me.to_string())
            }),
        _ => None,
    };
    let mut alternatives = Vec::new();
    for (trainer, rank) in explanation.iter().flat_map(trainee_side) {
        let trainer_name = match trainer.parse::<Uuid>() {
            Ok(id) => people::find_trainer(&state.db, round.institute_id, id)
                .await?
                .map(|t| t.name),
            Err(_) => None,
        }
        .unwrap_or_else(|| trainer.to_owned());
        alternatives.push(koppel_api_types::CouplingAlternative { trainer_name, rank });
    }
    if mine.is_none() {
        return Ok(koppel_api_types::MyCouplingResponse {
            coupled: false,
            name: None,
            email: None,
            explanation: (!alternatives.is_empty()).then(|| explain(None, None, &alternatives)),
            rank: None,
            alternatives,
            counterparts: Vec::new(),
        });
    }
    let side_name = match side {
        VetoParty::Trainee => "trainee",
        _ => "trainer",
    };
    let rankings = steps::final_rankings(&state.db, round_id).await?;
    let mut counterparts = Vec::new();
    for coupling in &all_mine {
        let counterpart = match side {
            VetoParty::Trainee => coupling.trainer_id,
            _ => coupling.trainee_id,
        };
        let rank = rankings
            .iter()
            .find(|r| r.side == side_name && r.ranker_id == me && r.counterpart_id == counterpart)
            .and_then(|r| u32::try_from(r.rank).ok());
        let found = match side {
            VetoParty::Trainee => people::find_trainer(&state.db, round.institute_id, counterpart)
                .await?
                .map(|t| (t.name, t.email)),
            _ => people::find_trainee(&state.db, round.institute_id, counterpart)
                .await?
                .map(|t| (t.name, t.email)),
        };
        if let Some((name, email)) = found {
            counterparts.push(koppel_api_types::Counterpart { name, email, rank });
        }
    }
    let first = counterparts.first();
    let (name, email, rank) = (
        first.map(|c| c.name.clone()),
        first.map(|c| c.email.clone()),
        first.and_then(|c| c.rank),
    );
    let explanation = explanation
        .is_some()
        .then(|| explain(name.as_deref(), rank, &alternatives));
    Ok(koppel_api_types::MyCouplingResponse {
        coupled: true,
        name,
        email,
        explanation,
        rank,
        alternatives,
        counterparts,
    })
}

/// What a trainee may learn from the matcher's explanation: the trainers they ranked higher than
/// what they got, with their own rank. Nothing else: whether a pair was possible and what it
/// would have cost the group are computed from trainers' rankings and vetoes.
fn trainee_side(explanation: &Explanation) -> impl Iterator<Item = (&str, u32)> {
    explanation
        .alternatives
        .iter()
        .map(|alternative| (alternative.trainer.as_str(), alternative.trainee_rank))
}

/// A trainee's explanation in words, with names: their better choices, and that the best coupling
/// for the whole group decided.
fn explain(
    trainer: Option<&str>,
    rank: Option<u32>,
    alternatives: &[koppel_api_types::CouplingAlternative],
) -> String {
    let mut text = match (trainer, rank) {
        (Some(trainer), Some(rank)) => format!("You are coupled to {trainer}, your choice {rank}."),
        (Some(trainer), None) => format!("You are coupled to {trainer}."),
        _ => "You are not coupled.".to_owned(),
    };
    if !alternatives.is_empty() {
        let choices: Vec<String> = alternatives
            .iter()
            .map(|a| format!("{} (your choice {})", a.trainer_name, a.rank))
            .collect();
        text.push_str(&format!(
            " You ranked higher: {}. Koppel computes the best coupling for the whole group at \
             once, with everyone's rankings and the coupling rules; that coupling did not give you \
             a higher choice.",
            choices.join(", ")
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use koppel_matcher::coupling::{
        self, CouplingInput, CouplingTrainee, CouplingTrainer, Objective,
    };

    use super::*;

    /// Three trainees and three trainers; only trainer Y's order of b and c differs between the
    /// two instances.
    fn three_trainee_round(y_ranks: [&str; 3]) -> CouplingOutput {
        let strings = |ids: &[&str]| ids.iter().map(|id| (*id).to_owned()).collect::<Vec<_>>();
        let input = CouplingInput {
            trainees: [
                ("a", ["X", "Y", "Z"]),
                ("b", ["X", "Y", "Z"]),
                ("c", ["X", "Z", "Y"]),
            ]
            .into_iter()
            .map(|(id, ranking)| CouplingTrainee {
                id: id.to_owned(),
                ranking: strings(&ranking),
            })
            .collect(),
            trainers: [
                ("X", ["a", "b", "c"]),
                ("Y", y_ranks),
                ("Z", ["a", "b", "c"]),
            ]
            .into_iter()
            .map(|(id, ranking)| CouplingTrainer {
                id: id.to_owned(),
                capacity: 1,
                ranking: strings(&ranking),
            })
            .collect(),
            forbidden: Vec::new(),
            objective: Objective::Total,
            explain: true,
        };
        coupling::solve(&input).unwrap()
    }

    fn explanation_of_a(output: &CouplingOutput) -> &Explanation {
        output
            .explanations
            .iter()
            .find(|e| e.trainee == "a")
            .unwrap()
    }

    #[test]
    fn a_trainees_explanation_does_not_depend_on_how_trainers_ranked() {
        let first = three_trainee_round(["a", "b", "c"]);
        let second = three_trainee_round(["a", "c", "b"]);
        let (first, second) = (explanation_of_a(&first), explanation_of_a(&second));
        // Trainee a gets Y, their second choice, in both rounds ...
        assert_eq!(first.trainee_rank, Some(2));
        assert_eq!(second.trainee_rank, Some(2));
        // ... and the matcher's own figures differ: the old "worse for the group" flag told a how
        // trainer Y ordered b and c.
        let worse = |e: &Explanation| {
            e.alternatives
                .iter()
                .map(|a| a.total_rank_change > 0 || a.worst_rank_change > 0)
                .collect::<Vec<_>>()
        };
        assert_ne!(worse(first), worse(second));

        // What a is told is the same in both.
        let told = |e: &Explanation| {
            let alternatives: Vec<_> = trainee_side(e)
                .map(|(trainer, rank)| koppel_api_types::CouplingAlternative {
                    trainer_name: trainer.to_owned(),
                    rank,
                })
                .collect();
            let text = explain(Some("Y"), e.trainee_rank, &alternatives);
            (alternatives, text)
        };
        assert_eq!(told(first), told(second));
        let (alternatives, text) = told(first);
        assert_eq!(
            alternatives,
            [koppel_api_types::CouplingAlternative {
                trainer_name: "X".to_owned(),
                rank: 1
            }]
        );
        assert!(text.contains("X (your choice 1)"), "{text}");
    }
}
