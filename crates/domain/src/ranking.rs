//! Rankings: the step-2 preference list of a trainee, and the step-3 final ranking that each
//! side gives their interview counterparts. Errors name the offending entries.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

/// One problem with a submitted ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "problem")]
pub enum RankingProblem<Id> {
    /// The same counterpart appears twice.
    Duplicate {
        /// Position (0-based) of the repeat.
        index: usize,
        /// The counterpart.
        id: Id,
    },
    /// Not one of the counterparts that may be ranked.
    NotRankable {
        /// Position (0-based).
        index: usize,
        /// The counterpart.
        id: Id,
    },
    /// Fewer entries than required.
    TooShort {
        /// Required length.
        min: usize,
        /// Given length.
        got: usize,
    },
    /// An interviewed counterpart has no rank.
    Missing {
        /// The counterpart.
        id: Id,
    },
    /// A rank outside 1..=n.
    RankOutOfRange {
        /// The counterpart.
        id: Id,
        /// The rank given.
        rank: u32,
        /// n.
        max: usize,
    },
    /// Two counterparts share a rank.
    Tie {
        /// The rank.
        rank: u32,
        /// Who share it.
        ids: Vec<Id>,
    },
}

impl<Id: fmt::Display> fmt::Display for RankingProblem<Id> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Duplicate { index, id } => {
                write!(f, "entry {} ({id}) is listed twice", index + 1)
            }
            Self::NotRankable { index, id } => {
                write!(
                    f,
                    "entry {} ({id}) is not one you can rank in this round",
                    index + 1
                )
            }
            Self::TooShort { min, got } => write!(f, "rank at least {min} entries, got {got}"),
            Self::Missing { id } => write!(f, "{id} has no rank"),
            Self::RankOutOfRange { id, rank, max } => {
                write!(f, "{id} has rank {rank}; ranks run from 1 to {max}")
            }
            Self::Tie { rank, ids } => {
                let names: Vec<String> = ids.iter().map(ToString::to_string).collect();
                write!(
                    f,
                    "rank {rank} is given to {}; each rank once",
                    names.join(" and ")
                )
            }
        }
    }
}

/// A ranking was refused; every problem is listed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the ranking has {} problem(s): {}", .0.len(), describe(.0))]
pub struct RankingError<Id: fmt::Display + fmt::Debug>(pub Vec<RankingProblem<Id>>);

fn describe<Id: fmt::Display>(problems: &[RankingProblem<Id>]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// A trainee's ordered step-2 list of trainers, most preferred first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreferenceList<Id>(Vec<Id>);

impl<Id: Ord + Clone + fmt::Display + fmt::Debug> PreferenceList<Id> {
    /// Parses a list: no duplicates, only rankable trainers (available and eligible), at least
    /// `min_len` entries (or all rankable ones if fewer exist).
    pub fn parse(
        entries: &[Id],
        rankable: &BTreeSet<Id>,
        min_len: usize,
    ) -> Result<Self, RankingError<Id>> {
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        for (index, id) in entries.iter().enumerate() {
            if !rankable.contains(id) {
                problems.push(RankingProblem::NotRankable {
                    index,
                    id: id.clone(),
                });
            } else if !seen.insert(id) {
                problems.push(RankingProblem::Duplicate {
                    index,
                    id: id.clone(),
                });
            }
        }
        let min = min_len.min(rankable.len());
        if entries.len() < min {
            problems.push(RankingProblem::TooShort {
                min,
                got: entries.len(),
            });
        }
        if problems.is_empty() {
            Ok(Self(entries.to_vec()))
        } else {
            Err(RankingError(problems))
        }
    }

    /// The trainers, most preferred first.
    pub fn entries(&self) -> &[Id] {
        &self.0
    }

    /// The 1-based rank of a trainer, if listed.
    pub fn rank_of(&self, id: &Id) -> Option<usize> {
        self.0
            .iter()
            .position(|entry| entry == id)
            .map(|index| index + 1)
    }
}

/// A step-3 ranking: ranks 1..n over exactly the interviewed counterparts, no ties, no gaps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinalRanking<Id>(Vec<Id>);

impl<Id: Ord + Clone + fmt::Display + fmt::Debug> FinalRanking<Id> {
    /// Parses `(counterpart, rank)` pairs against the counterparts that were interviewed.
    pub fn parse(
        ranks: &[(Id, u32)],
        interviewed: &BTreeSet<Id>,
    ) -> Result<Self, RankingError<Id>> {
        let mut problems = Vec::new();
        let max = interviewed.len();
        let mut by_rank: BTreeMap<u32, Vec<Id>> = BTreeMap::new();
        let mut seen = BTreeSet::new();
        for (index, (id, rank)) in ranks.iter().enumerate() {
            if !interviewed.contains(id) {
                problems.push(RankingProblem::NotRankable {
                    index,
                    id: id.clone(),
                });
                continue;
            }
            if !seen.insert(id.clone()) {
                problems.push(RankingProblem::Duplicate {
                    index,
                    id: id.clone(),
                });
                continue;
            }
            if *rank == 0 || *rank as usize > max {
                problems.push(RankingProblem::RankOutOfRange {
                    id: id.clone(),
                    rank: *rank,
                    max,
                });
                continue;
            }
            by_rank.entry(*rank).or_default().push(id.clone());
        }
        for missing in interviewed.iter().filter(|id| !seen.contains(*id)) {
            problems.push(RankingProblem::Missing {
                id: missing.clone(),
            });
        }
        for (rank, ids) in &by_rank {
            if ids.len() > 1 {
                problems.push(RankingProblem::Tie {
                    rank: *rank,
                    ids: ids.clone(),
                });
            }
        }
        if !problems.is_empty() {
            return Err(RankingError(problems));
        }
        // Exactly n distinct ranks in 1..=n over n counterparts: no gaps.
        Ok(Self(by_rank.into_values().flatten().collect()))
    }

    /// The counterparts, rank 1 first.
    pub fn in_order(&self) -> &[Id] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(ids: &[&'static str]) -> BTreeSet<&'static str> {
        ids.iter().copied().collect()
    }

    #[test]
    fn a_valid_preference_list_keeps_its_order() {
        let list =
            PreferenceList::parse(&["t3", "t1", "t2"], &set(&["t1", "t2", "t3", "t4"]), 3).unwrap();
        assert_eq!(list.entries(), ["t3", "t1", "t2"]);
        assert_eq!(list.rank_of(&"t1"), Some(2));
        assert_eq!(list.rank_of(&"t4"), None);
    }

    #[test]
    fn preference_problems_name_the_entries() {
        let error = PreferenceList::parse(
            &["t1", "x9", "t1"],
            &set(&["t1", "t2", "t3", "t4", "t5"]),
            4,
        )
        .unwrap_err();
        assert_eq!(
            error.0,
            [
                RankingProblem::NotRankable { index: 1, id: "x9" },
                RankingProblem::Duplicate { index: 2, id: "t1" },
                RankingProblem::TooShort { min: 4, got: 3 },
            ]
        );
        assert_eq!(
            error.to_string(),
            "the ranking has 3 problem(s): entry 2 (x9) is not one you can rank in this round; entry 3 (t1) is listed twice; rank at least 4 entries, got 3"
        );
    }

    #[test]
    fn the_minimum_shrinks_to_what_can_be_ranked() {
        assert!(PreferenceList::parse(&["t1", "t2"], &set(&["t1", "t2"]), 4).is_ok());
    }

    #[test]
    fn a_final_ranking_covers_exactly_the_interviewed() {
        let interviewed = set(&["a1", "a2", "a3", "a4"]);
        let ranking =
            FinalRanking::parse(&[("a2", 1), ("a4", 2), ("a1", 3), ("a3", 4)], &interviewed)
                .unwrap();
        assert_eq!(ranking.in_order(), ["a2", "a4", "a1", "a3"]);
    }

    #[test]
    fn final_ranking_problems_name_ties_gaps_strangers_and_missing() {
        let interviewed = set(&["a1", "a2", "a3", "a4"]);
        let error =
            FinalRanking::parse(&[("a1", 1), ("a2", 1), ("a3", 5), ("zz", 2)], &interviewed)
                .unwrap_err();
        assert_eq!(
            error.0,
            [
                RankingProblem::RankOutOfRange {
                    id: "a3",
                    rank: 5,
                    max: 4
                },
                RankingProblem::NotRankable { index: 3, id: "zz" },
                RankingProblem::Missing { id: "a4" },
                RankingProblem::Tie {
                    rank: 1,
                    ids: vec!["a1", "a2"]
                },
            ]
        );
        let duplicate =
            FinalRanking::parse(&[("a1", 1), ("a1", 2)], &set(&["a1", "a2"])).unwrap_err();
        assert!(
            duplicate
                .0
                .contains(&RankingProblem::Duplicate { index: 1, id: "a1" })
        );
    }
}
