//! The optimality certificate of a coupling, and its check.
//!
//! # What it proves
//! The coupling is an optimum of the linear program "maximise the sum over couplings of
//! `W - cost`" (cost = trainee rank + trainer rank) with each trainee coupled at most once and
//! each trainer at most `capacity` times. With `W` larger than any coupling's total cost, one more
//! coupling outweighs any rank improvement, so an optimum of it couples as many trainees as
//! possible and, among those, has the least total rank: the `total` objective.
//!
//! The certificate gives integral dual values, `u` per trainee and `v` per trainer, all at least
//! 0. The coupling is optimal when, in exact integer arithmetic:
//! 1. the coupling is feasible: admissible pairs with the ranks stated, each trainee once, no
//!    trainer above capacity, and `matched`, `total_rank`, `worst_rank` are its measures;
//! 2. `W` exceeds the sum over trainees of their costliest admissible pair;
//! 3. every admissible pair has `u + v >= W - cost`, with equality for the coupled pairs;
//! 4. `u > 0` only for coupled trainees and `v > 0` only for trainers at capacity.
//!
//! Then the coupling's value equals `sum(u) + sum(capacity * v)`, which bounds every coupling's
//! value (weak duality), so nothing beats it.
//!
//! Under `minimax`, 3 and 4 hold for the pairs whose worst rank is at most `worst_rank_limit`
//! (the coupling's worst rank). Two covers, sets of trainees and trainers that every pair in
//! question touches, prove the limit right: a coupling has at most as many pairs as a cover's
//! size (its trainees plus its trainers' capacities). `cover` covers every admissible pair and
//! has size `matched`, so nobody can couple more; `cover_below_limit` covers every pair whose
//! worst rank is below the limit and is smaller than `matched`, so the limit cannot be lowered.
//!
//! # Where the values come from
//! The min-cost flow's node potentials, shifted on the side of the minimum cut the source still
//! reaches ([`Instance::certified`]). The matcher checks every certificate it gives.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::model::{Coupling, Instance};
use super::{CouplingInput, CouplingOutput, Objective};
use crate::input::InputError;

/// Integral dual values that prove a coupling optimal; see the module documentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// `W`: what one coupling is worth; exceeds the sum over trainees of their costliest
    /// admissible pair.
    #[cfg_attr(feature = "openapi", schema(example = 23))]
    pub weight: u64,
    /// `u` per trainee id; an id left out has 0.
    #[cfg_attr(feature = "openapi", schema(example = json!({"a1": 0, "a2": 1})))]
    pub trainee_duals: BTreeMap<String, u64>,
    /// `v` per trainer id; an id left out has 0.
    #[cfg_attr(feature = "openapi", schema(example = json!({"t1": 20, "t2": 19})))]
    pub trainer_duals: BTreeMap<String, u64>,
    /// Minimax only: the duals hold for the pairs whose worst rank is at most this (the
    /// coupling's worst rank); absent under `total` and when nobody is coupled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worst_rank_limit: Option<u32>,
    /// Minimax only: touches every admissible pair, and its size is `matched`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cover: Option<Cover>,
    /// Minimax only: touches every pair whose worst rank is below the limit, and its size is
    /// below `matched`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cover_below_limit: Option<Cover>,
}

/// Trainees and trainers that every pair in question has one of; its size is the number of
/// trainees plus the trainers' capacities.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Cover {
    /// Trainee ids.
    pub trainees: Vec<String>,
    /// Trainer ids.
    pub trainers: Vec<String>,
}

/// A coupling and its certificate, as [`verify`] reads them: the parts of a
/// [`CouplingOutput`] a proof needs (other fields are ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertifiedCoupling {
    /// The objective.
    pub objective: Objective,
    /// Couplings.
    pub assignments: Vec<super::Assignment>,
    /// Number of coupled trainees.
    pub matched: usize,
    /// Sum over couplings of trainee rank + trainer rank.
    pub total_rank: u64,
    /// Largest rank either side got.
    pub worst_rank: u32,
    /// The proof.
    pub certificate: Certificate,
}

impl CertifiedCoupling {
    /// The proof-carrying part of an output, if it has a certificate.
    pub fn of(output: &CouplingOutput) -> Option<Self> {
        Some(Self {
            objective: output.objective,
            assignments: output.assignments.clone(),
            matched: output.matched,
            total_rank: output.total_rank,
            worst_rank: output.worst_rank,
            certificate: output.certificate.clone()?,
        })
    }
}

/// A coupling, its instance and its certificate: what anyone needs to check the coupling
/// without a solver. Coordinators download it per coupling run, with ids pseudonymised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VerificationDocument {
    /// What it is.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "koppel coupling verification, version 1")
    )]
    pub format: String,
    /// The instance: rankings, capacities, forbidden pairs and objective.
    pub input: CouplingInput,
    /// The coupling and its certificate.
    pub result: CertifiedCoupling,
}

/// The `format` of a [`VerificationDocument`].
pub const DOCUMENT_FORMAT: &str = "koppel coupling verification, version 1";

/// What [`verify`] established.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verified {
    /// Trainees coupled, which nobody can beat.
    pub matched: usize,
    /// The total rank, which no coupling of as many trainees beats (under minimax: within the
    /// worst rank).
    pub total_rank: u64,
    /// The worst rank.
    pub worst_rank: u32,
}

/// Checks a coupling and its certificate against the instance, in integer arithmetic; the
/// error says what does not hold.
pub fn verify(input: &CouplingInput, result: &CertifiedCoupling) -> Result<Verified, String> {
    if result.objective != input.objective {
        return Err("the result's objective is not the input's".to_owned());
    }
    let instance = Instance::new(input).map_err(|InputError { field, message }| {
        format!("the input is invalid: {field}: {message}")
    })?;
    let trainee_index = index(&instance.trainees);
    let trainer_index = index(&instance.trainers);
    let mut edges = Vec::with_capacity(result.assignments.len());
    for (k, assignment) in result.assignments.iter().enumerate() {
        let i = *trainee_index
            .get(assignment.trainee.as_str())
            .ok_or_else(|| format!("assignments[{k}]: unknown trainee '{}'", assignment.trainee))?;
        let j = *trainer_index
            .get(assignment.trainer.as_str())
            .ok_or_else(|| format!("assignments[{k}]: unknown trainer '{}'", assignment.trainer))?;
        let e = instance.edge_of(i, j).ok_or_else(|| {
            format!(
                "assignments[{k}]: {}-{} is not an admissible pair",
                assignment.trainee, assignment.trainer
            )
        })?;
        let edge = instance.edges[e];
        if (edge.trainee_rank, edge.trainer_rank)
            != (assignment.trainee_rank, assignment.trainer_rank)
        {
            return Err(format!("assignments[{k}]: the ranks are not the rankings'"));
        }
        edges.push(e);
    }
    let certificate = &result.certificate;
    let duals = |map: &BTreeMap<String, u64>, index: &HashMap<&str, usize>, len, kind| {
        let mut values = vec![0i128; len];
        for (id, &value) in map {
            let k = index
                .get(id.as_str())
                .ok_or_else(|| format!("certificate: unknown {kind} '{id}'"))?;
            values[*k] = i128::from(value);
        }
        Ok::<_, String>(values)
    };
    let cover = |cover: &Option<Cover>, name: &str| -> Result<Option<Sides>, String> {
        let Some(cover) = cover else { return Ok(None) };
        let mut sides = Sides {
            trainees: vec![false; instance.trainees.len()],
            trainers: vec![false; instance.trainers.len()],
        };
        for id in &cover.trainees {
            let k = trainee_index
                .get(id.as_str())
                .ok_or_else(|| format!("certificate.{name}: unknown trainee '{id}'"))?;
            sides.trainees[*k] = true;
        }
        for id in &cover.trainers {
            let k = trainer_index
                .get(id.as_str())
                .ok_or_else(|| format!("certificate.{name}: unknown trainer '{id}'"))?;
            sides.trainers[*k] = true;
        }
        Ok(Some(sides))
    };
    let proof = Proof {
        weight: i128::from(certificate.weight),
        trainee: duals(
            &certificate.trainee_duals,
            &trainee_index,
            instance.trainees.len(),
            "trainee",
        )?,
        trainer: duals(
            &certificate.trainer_duals,
            &trainer_index,
            instance.trainers.len(),
            "trainer",
        )?,
        limit: certificate.worst_rank_limit,
        cover: cover(&certificate.cover, "cover")?,
        cover_below_limit: cover(&certificate.cover_below_limit, "cover_below_limit")?,
    };
    let claimed = Claimed {
        matched: result.matched,
        total_rank: result.total_rank,
        worst_rank: result.worst_rank,
    };
    check(&instance, input.objective, &edges, claimed, &proof)?;
    Ok(Verified {
        matched: result.matched,
        total_rank: result.total_rank,
        worst_rank: result.worst_rank,
    })
}

fn index(ids: &[String]) -> HashMap<&str, usize> {
    ids.iter()
        .enumerate()
        .map(|(k, id)| (id.as_str(), k))
        .collect()
}

/// Which trainees and trainers a cover holds, by index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sides {
    pub trainees: Vec<bool>,
    pub trainers: Vec<bool>,
}

/// A certificate by index, in integers wide enough for any sum.
#[derive(Debug, Clone)]
pub(crate) struct Proof {
    pub weight: i128,
    pub trainee: Vec<i128>,
    pub trainer: Vec<i128>,
    pub limit: Option<u32>,
    pub cover: Option<Sides>,
    pub cover_below_limit: Option<Sides>,
}

/// The measures a result states.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Claimed {
    pub matched: usize,
    pub total_rank: u64,
    pub worst_rank: u32,
}

impl Claimed {
    pub fn of(coupling: &Coupling) -> Self {
        Self {
            matched: coupling.matched(),
            total_rank: coupling.total_rank,
            worst_rank: coupling.worst_rank,
        }
    }
}

/// Conditions 1-4 of the module documentation and, under minimax, the covers.
pub(crate) fn check(
    instance: &Instance,
    objective: Objective,
    edges: &[usize],
    claimed: Claimed,
    proof: &Proof,
) -> Result<(), String> {
    // 1. Feasible, with the measures stated.
    let mut coupled = vec![false; instance.trainees.len()];
    let mut load = vec![0u32; instance.trainers.len()];
    for &e in edges {
        let edge = instance.edges[e];
        if std::mem::replace(&mut coupled[edge.trainee], true) {
            return Err(format!(
                "trainee '{}' is coupled twice",
                instance.trainees[edge.trainee]
            ));
        }
        load[edge.trainer] += 1;
        if load[edge.trainer] > instance.capacity[edge.trainer] {
            return Err(format!(
                "trainer '{}' is coupled above capacity",
                instance.trainers[edge.trainer]
            ));
        }
    }
    let total: u64 = edges.iter().map(|&e| instance.edges[e].cost()).sum();
    let worst = edges
        .iter()
        .map(|&e| instance.edges[e].worst())
        .max()
        .unwrap_or(0);
    if (claimed.matched, claimed.total_rank, claimed.worst_rank) != (edges.len(), total, worst) {
        return Err(format!(
            "the stated measures (matched {}, total rank {}, worst rank {}) are not the \
             coupling's ({}, {total}, {worst})",
            claimed.matched,
            claimed.total_rank,
            claimed.worst_rank,
            edges.len()
        ));
    }
    // 2. W outweighs any total cost.
    let mut costliest = vec![0i128; instance.trainees.len()];
    for edge in &instance.edges {
        costliest[edge.trainee] = costliest[edge.trainee].max(i128::from(edge.cost()));
    }
    let bound: i128 = costliest.iter().sum();
    if proof.weight <= bound {
        return Err(format!(
            "certificate.weight {} does not exceed {bound}, the sum of each trainee's costliest pair",
            proof.weight
        ));
    }
    // Which pairs the duals speak of.
    let limit = match (objective, proof.limit) {
        (Objective::Total, None) => u32::MAX,
        (Objective::Total, Some(_)) => {
            return Err("certificate.worst_rank_limit belongs to minimax only".to_owned());
        }
        (Objective::Minimax, None) if edges.is_empty() => u32::MAX,
        (Objective::Minimax, Some(limit)) if limit == worst && !edges.is_empty() => limit,
        (Objective::Minimax, _) => {
            return Err(format!(
                "certificate.worst_rank_limit must be the coupling's worst rank ({worst})"
            ));
        }
    };
    // 3 and 4.
    if let Some(k) = proof.trainee.iter().position(|&u| u < 0) {
        return Err(format!(
            "the dual of trainee '{}' is negative",
            instance.trainees[k]
        ));
    }
    if let Some(k) = proof.trainer.iter().position(|&v| v < 0) {
        return Err(format!(
            "the dual of trainer '{}' is negative",
            instance.trainers[k]
        ));
    }
    let mut chosen = vec![false; instance.edges.len()];
    for &e in edges {
        chosen[e] = true;
    }
    for (e, edge) in instance.edges.iter().enumerate() {
        if edge.worst() > limit {
            continue;
        }
        let sum = proof.trainee[edge.trainee] + proof.trainer[edge.trainer];
        let value = proof.weight - i128::from(edge.cost());
        let pair = || {
            format!(
                "{}-{}",
                instance.trainees[edge.trainee], instance.trainers[edge.trainer]
            )
        };
        if sum < value {
            return Err(format!(
                "the duals of the pair {} add up to less than W minus its cost",
                pair()
            ));
        }
        if chosen[e] && sum != value {
            return Err(format!(
                "the duals of the coupled pair {} are not W minus its cost",
                pair()
            ));
        }
    }
    for (i, &u) in proof.trainee.iter().enumerate() {
        if u > 0 && !coupled[i] {
            return Err(format!(
                "trainee '{}' has a positive dual but is not coupled",
                instance.trainees[i]
            ));
        }
    }
    for (j, &v) in proof.trainer.iter().enumerate() {
        if v > 0 && load[j] < instance.capacity[j] {
            return Err(format!(
                "trainer '{}' has a positive dual but a free place",
                instance.trainers[j]
            ));
        }
    }
    // Minimax: the covers.
    if objective == Objective::Minimax && !edges.is_empty() {
        let size = |sides: &Sides| -> u64 {
            let trainees = sides.trainees.iter().filter(|&&x| x).count() as u64;
            let places: u64 = sides
                .trainers
                .iter()
                .zip(&instance.capacity)
                .filter(|(x, _)| **x)
                .map(|(_, &c)| u64::from(c))
                .sum();
            trainees + places
        };
        let covers = |sides: &Sides, below: u32| {
            instance.edges.iter().all(|edge| {
                edge.worst() >= below
                    || sides.trainees[edge.trainee]
                    || sides.trainers[edge.trainer]
            })
        };
        let cover = proof
            .cover
            .as_ref()
            .ok_or("certificate.cover is missing (minimax)")?;
        if !covers(cover, u32::MAX) {
            return Err("certificate.cover misses an admissible pair".to_owned());
        }
        if size(cover) > edges.len() as u64 {
            return Err(format!(
                "certificate.cover has size {}, more than the {} coupled",
                size(cover),
                edges.len()
            ));
        }
        let below = proof
            .cover_below_limit
            .as_ref()
            .ok_or("certificate.cover_below_limit is missing (minimax)")?;
        if !covers(below, limit) {
            return Err(
                "certificate.cover_below_limit misses a pair below the worst rank".to_owned(),
            );
        }
        if size(below) >= edges.len() as u64 {
            return Err(format!(
                "certificate.cover_below_limit has size {}, not below the {} coupled",
                size(below),
                edges.len()
            ));
        }
    }
    Ok(())
}

impl Proof {
    /// The certificate with ids.
    pub(crate) fn to_certificate(&self, instance: &Instance) -> Certificate {
        let duals = |values: &[i128], ids: &[String]| {
            values
                .iter()
                .zip(ids)
                .filter(|(v, _)| **v != 0)
                .map(|(v, id)| (id.clone(), u64::try_from(*v).unwrap_or(u64::MAX)))
                .collect()
        };
        let cover = |sides: &Sides| Cover {
            trainees: pick(&sides.trainees, &instance.trainees),
            trainers: pick(&sides.trainers, &instance.trainers),
        };
        Certificate {
            weight: u64::try_from(self.weight).unwrap_or(u64::MAX),
            trainee_duals: duals(&self.trainee, &instance.trainees),
            trainer_duals: duals(&self.trainer, &instance.trainers),
            worst_rank_limit: self.limit,
            cover: self.cover.as_ref().map(cover),
            cover_below_limit: self.cover_below_limit.as_ref().map(cover),
        }
    }
}

fn pick(marks: &[bool], ids: &[String]) -> Vec<String> {
    marks
        .iter()
        .zip(ids)
        .filter(|(x, _)| **x)
        .map(|(_, id)| id.clone())
        .collect()
}

impl VerificationDocument {
    /// The document with every trainee and trainer under a pseudonym (`trainee-001`,
    /// `trainer-001`, ... numbered in id order, so the canonical order and hence the coupling
    /// stay the same).
    pub fn pseudonymised(&self) -> Self {
        let names = |ids: Vec<&String>, kind: &str| -> HashMap<String, String> {
            let mut ids = ids;
            ids.sort_unstable();
            let width = ids.len().to_string().len().max(3);
            ids.into_iter()
                .enumerate()
                .map(|(k, id)| (id.clone(), format!("{kind}-{:0width$}", k + 1)))
                .collect()
        };
        let trainees = names(
            self.input.trainees.iter().map(|t| &t.id).collect(),
            "trainee",
        );
        let trainers = names(
            self.input.trainers.iter().map(|t| &t.id).collect(),
            "trainer",
        );
        // Ids the input does not know keep a visible mark, so a check still fails on them.
        let trainee = |id: &String| {
            trainees
                .get(id)
                .cloned()
                .unwrap_or_else(|| format!("unknown-{id}"))
        };
        let trainer = |id: &String| {
            trainers
                .get(id)
                .cloned()
                .unwrap_or_else(|| format!("unknown-{id}"))
        };
        let mut input = self.input.clone();
        for t in &mut input.trainees {
            t.id = trainee(&t.id);
            t.ranking = t.ranking.iter().map(trainer).collect();
        }
        for t in &mut input.trainers {
            t.id = trainer(&t.id);
            t.ranking = t.ranking.iter().map(trainee).collect();
        }
        for pair in &mut input.forbidden {
            pair.trainee = trainee(&pair.trainee);
            pair.trainer = trainer(&pair.trainer);
        }
        input.trainees.sort_by(|a, b| a.id.cmp(&b.id));
        input.trainers.sort_by(|a, b| a.id.cmp(&b.id));
        input
            .forbidden
            .sort_by(|a, b| (&a.trainee, &a.trainer).cmp(&(&b.trainee, &b.trainer)));
        let mut result = self.result.clone();
        for assignment in &mut result.assignments {
            assignment.trainee = trainee(&assignment.trainee);
            assignment.trainer = trainer(&assignment.trainer);
        }
        let certificate = &mut result.certificate;
        certificate.trainee_duals = certificate
            .trainee_duals
            .iter()
            .map(|(id, &u)| (trainee(id), u))
            .collect();
        certificate.trainer_duals = certificate
            .trainer_duals
            .iter()
            .map(|(id, &v)| (trainer(id), v))
            .collect();
        for cover in [&mut certificate.cover, &mut certificate.cover_below_limit]
            .into_iter()
            .flatten()
        {
            cover.trainees = cover.trainees.iter().map(trainee).collect();
            cover.trainers = cover.trainers.iter().map(trainer).collect();
            cover.trainees.sort();
            cover.trainers.sort();
        }
        Self {
            format: self.format.clone(),
            input,
            result,
        }
    }
}
