//! What forcing one pair into the coupling would cost the group, read off an optimum instead of
//! re-solving.
//!
//! The optimum is a flow of maximum value `sum(W - cost)` ([`Certified`]). Forcing an uncoupled
//! pair `i-j` in changes it by a cycle through the arc `i -> j` in the residual network (with a
//! return arc from the sink to the source, so couplings may be dropped or added). The cheapest
//! such cycle is that arc's reduced cost plus the shortest path from `j` back to `i`, and the
//! optimum's dual values make every reduced cost non-negative, so one Dijkstra search from `i`
//! over the reversed arcs prices all of a trainee's better choices at once. `W` exceeds twice any
//! total cost, so a cycle's cost splits into couplings lost (multiples of `W`) and rank change.

use super::exact::Certified;
use super::model::Instance;
use crate::solver::SolveError;

/// The residual network of one optimum, reversed, with reduced costs.
#[derive(Debug)]
pub(crate) struct Residual {
    pub certified: Certified,
    /// Arcs into node `y` are `first[y]..first[y + 1]`: their tails and reduced costs.
    first: Vec<usize>,
    tail: Vec<u32>,
    reduced: Vec<i64>,
    /// The pair (edge) each arc stands for; `u32::MAX` for the others.
    pair: Vec<u32>,
    /// How many coupled pairs have each worst rank.
    worst_count: Vec<u32>,
    /// Which edges the optimum couples.
    coupled: Vec<bool>,
    potential: Vec<i64>,
    trainees: usize,
}

/// What forcing a pair in changes, against the optimum of the same network.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Change {
    /// Couplings lost (0 or more).
    pub lost: i64,
    /// Change of the total rank.
    pub total: i64,
    /// The worst rank of the coupling the cycle leads to (one of the equally good ones).
    pub worst: i64,
}

/// Reusable search state: distances of the nodes touched so far.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    dist: Vec<i64>,
    settled: Vec<bool>,
    /// The arc (reversed-network index) each node's shortest path to the target starts with.
    via: Vec<u32>,
    touched: Vec<usize>,
    queue: crate::flow::Queue,
    /// Which trainers the current search waits for.
    wanted: Vec<bool>,
}

impl Residual {
    /// The residual network of `certified`, whose duals are the node potentials
    /// (`p(trainee) = u`, `p(trainer) = -v`, `p(source) = p(sink) = 0`).
    pub fn new(instance: &Instance, certified: Certified) -> Result<Self, SolveError> {
        let n = instance.trainees.len();
        let m = instance.trainers.len();
        let (source, sink) = (0, n + m + 1);
        let nodes = n + m + 2;
        let mut potential = vec![0i64; nodes];
        for (i, &u) in certified.trainee_dual.iter().enumerate() {
            potential[1 + i] = u;
        }
        for (j, &v) in certified.trainer_dual.iter().enumerate() {
            potential[1 + n + j] = -v;
        }
        let mut coupled = vec![false; instance.edges.len()];
        let mut trainee_coupled = vec![false; n];
        let mut load = vec![0u32; m];
        for &e in &certified.coupling.edges {
            coupled[e] = true;
            trainee_coupled[instance.edges[e].trainee] = true;
            load[instance.edges[e].trainer] += 1;
        }
        let weight = certified.weight;
        // (tail, head, cost, pair) of every residual arc.
        let mut arcs: Vec<(usize, usize, i64, u32)> = Vec::new();
        for (e, edge) in instance.edges.iter().enumerate() {
            if !certified.keeps(edge) {
                continue;
            }
            let (a, t) = (1 + edge.trainee, 1 + n + edge.trainer);
            let value = weight - i64::try_from(edge.cost()).unwrap_or(i64::MAX / 4);
            let pair = u32::try_from(e).unwrap_or(u32::MAX);
            if coupled[e] {
                arcs.push((t, a, value, pair));
            } else {
                arcs.push((a, t, -value, pair));
            }
        }
        for (i, &is_coupled) in trainee_coupled.iter().enumerate() {
            arcs.push(if is_coupled {
                (1 + i, source, 0, u32::MAX)
            } else {
                (source, 1 + i, 0, u32::MAX)
            });
        }
        for (j, (&load, &capacity)) in load.iter().zip(&instance.capacity).enumerate() {
            if load < capacity {
                arcs.push((1 + n + j, sink, 0, u32::MAX));
            }
            if load > 0 {
                arcs.push((sink, 1 + n + j, 0, u32::MAX));
            }
        }
        arcs.push((sink, source, 0, u32::MAX));
        if !certified.coupling.edges.is_empty() {
            arcs.push((source, sink, 0, u32::MAX));
        }
        let mut first = vec![0usize; nodes + 1];
        for &(_, head, _, _) in &arcs {
            first[head + 1] += 1;
        }
        for y in 0..nodes {
            first[y + 1] += first[y];
        }
        let mut next = first.clone();
        let mut tail = vec![0u32; arcs.len()];
        let mut reduced = vec![0i64; arcs.len()];
        let mut pair = vec![u32::MAX; arcs.len()];
        for &(from, head, cost, e) in &arcs {
            let r = cost + potential[from] - potential[head];
            if r < 0 {
                return Err(SolveError::Backend(format!(
                    "a residual arc has a negative reduced cost ({r}): the duals are not optimal"
                )));
            }
            tail[next[head]] = from as u32;
            reduced[next[head]] = r;
            pair[next[head]] = e;
            next[head] += 1;
        }
        let mut worst_count = vec![0u32; certified.coupling.worst_rank as usize + 1];
        for &e in &certified.coupling.edges {
            worst_count[instance.edges[e].worst() as usize] += 1;
        }
        Ok(Self {
            certified,
            first,
            tail,
            reduced,
            pair,
            worst_count,
            coupled,
            potential,
            trainees: n,
        })
    }

    /// The optimum with a pair forced in, from what forcing it changes.
    pub fn priced(&self, change: Change) -> super::explain::Forced {
        let coupling = &self.certified.coupling;
        super::explain::Forced {
            matched: coupling.matched() as i64 - change.lost,
            total: coupling.total_rank as i64 + change.total,
            worst: change.worst,
        }
    }

    /// For trainee `i`, what forcing each of `edges` (all of `i`, all within the limit) in
    /// would change.
    pub fn forced(
        &self,
        instance: &Instance,
        i: usize,
        edges: &[usize],
        scratch: &mut Scratch,
    ) -> Result<Vec<Change>, SolveError> {
        let n = self.trainees;
        let nodes = self.first.len() - 1;
        if scratch.dist.len() != nodes {
            scratch.dist = vec![i64::MAX; nodes];
            scratch.settled = vec![false; nodes];
            scratch.via = vec![u32::MAX; nodes];
        }
        let mut waiting = edges.iter().filter(|&&e| !self.coupled[e]).count();
        let target = 1 + i;
        scratch.dist[target] = 0;
        scratch.touched.push(target);
        scratch.queue.clear();
        scratch.queue.push(0, target as u32);
        scratch.wanted.resize(instance.trainers.len(), false);
        if waiting > 0 {
            waiting = 0;
            for &e in edges {
                let j = instance.edges[e].trainer;
                // A trainer may stand for several edges only once.
                if !self.coupled[e] && !scratch.wanted[j] {
                    scratch.wanted[j] = true;
                    waiting += 1;
                }
            }
        }
        while waiting > 0 {
            let Some((d, y)) = scratch.queue.pop() else {
                break;
            };
            let y = y as usize;
            if scratch.settled[y] || d > scratch.dist[y] {
                continue;
            }
            scratch.settled[y] = true;
            if (1 + n..1 + n + instance.trainers.len()).contains(&y) && scratch.wanted[y - 1 - n] {
                waiting -= 1;
            }
            for k in self.first[y]..self.first[y + 1] {
                let x = self.tail[k] as usize;
                let candidate = d + self.reduced[k];
                if candidate < scratch.dist[x] {
                    if scratch.dist[x] == i64::MAX {
                        scratch.touched.push(x);
                    }
                    scratch.dist[x] = candidate;
                    scratch.via[x] = k as u32;
                    scratch.queue.push(candidate, x as u32);
                }
            }
        }
        let weight = self.certified.weight;
        let mut changes = Vec::with_capacity(edges.len());
        for &e in edges {
            if self.coupled[e] {
                changes.push(Change {
                    lost: 0,
                    total: 0,
                    worst: i64::from(self.certified.coupling.worst_rank),
                });
                continue;
            }
            let edge = instance.edges[e];
            let (a, t) = (1 + edge.trainee, 1 + n + edge.trainer);
            let back = scratch.dist[t];
            if back == i64::MAX || !scratch.settled[t] {
                return Err(SolveError::Backend(format!(
                    "no way back from trainer {} to trainee {} in the residual network",
                    instance.trainers[edge.trainer], instance.trainees[edge.trainee]
                )));
            }
            let value = weight - i64::try_from(edge.cost()).unwrap_or(i64::MAX / 4);
            let arc = -value + self.potential[a] - self.potential[t];
            let cycle = arc + back;
            // cycle = lost * W + total change, with |total change| < W / 2.
            let lost = (cycle + weight / 2).div_euclid(weight);
            changes.push(Change {
                lost,
                total: cycle - lost * weight,
                worst: self.worst_after(instance, e, t, target, scratch),
            });
        }
        for &e in edges {
            scratch.wanted[instance.edges[e].trainer] = false;
        }
        for &x in &scratch.touched {
            scratch.dist[x] = i64::MAX;
            scratch.settled[x] = false;
            scratch.via[x] = u32::MAX;
        }
        scratch.touched.clear();
        Ok(changes)
    }

    /// The worst rank once the cycle through `e` (whose path back runs from node `from` to
    /// `target`) is applied: the optimum's pairs less those the path uncouples, plus those it
    /// couples and `e`.
    fn worst_after(
        &self,
        instance: &Instance,
        e: usize,
        from: usize,
        target: usize,
        scratch: &Scratch,
    ) -> i64 {
        let mut worst = instance.edges[e].worst();
        let mut removed: Vec<u32> = Vec::new();
        let mut x = from;
        // At most one step per node: the path is a shortest path, so it has no cycle.
        for _ in 0..self.first.len() {
            if x == target {
                break;
            }
            let k = scratch.via[x];
            if k == u32::MAX {
                break;
            }
            let k = k as usize;
            let pair = self.pair[k];
            if pair != u32::MAX {
                let e = pair as usize;
                if self.coupled[e] {
                    removed.push(instance.edges[e].worst());
                } else {
                    worst = worst.max(instance.edges[e].worst());
                }
            }
            x = self.head_of(k);
        }
        let mut left = self.worst_count.len();
        while left > 0 {
            let w = left - 1;
            let gone = removed.iter().filter(|&&r| r as usize == w).count() as u32;
            if self.worst_count[w] > gone {
                break;
            }
            left = w;
        }
        i64::from(worst.max(left.saturating_sub(1) as u32))
    }

    /// The head of the arc at reversed-network index `k` (the node whose list holds it).
    fn head_of(&self, k: usize) -> usize {
        self.first.partition_point(|&start| start <= k) - 1
    }
}
