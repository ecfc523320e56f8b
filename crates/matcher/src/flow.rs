//! Exact integer min-cost flow for the coupling, without an LP solver.
//!
//! The network is source → trainee (capacity 1) → trainer (capacity 1, cost = the pair's rank
//! sum) → sink (the trainer's capacity), in compact (CSR) adjacency. The primal-dual method finds
//! a maximum flow of minimum cost: each phase computes shortest distances from the source with
//! Dijkstra on reduced costs (node potentials keep them non-negative; the search stops at the
//! sink), then sends as much flow as a depth-first search finds along shortest paths only, the
//! arcs whose reduced cost is zero. Every flow value reached this way is a cheapest flow of that value, so the end
//! result couples as many trainees as possible and, among those, has the least total cost:
//! "most coupled first" holds exactly, with no big-M weight.
//!
//! The potentials at the end are the dual solution: with them, every residual arc has a
//! non-negative reduced cost, which is what an optimality certificate checks. Nothing here
//! recurses: depth-first searches keep their own stack.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::solver::{Deadline, SolveError};

/// Distance of a node Dijkstra did not reach.
const UNREACHED: i64 = i64::MAX;

/// Distances below this go to the bucket queue; larger ones (rare: reduced distances are small)
/// to a binary heap behind it.
const BUCKETS: usize = 1 << 14;

/// One arc of the residual network, packed so the search reads one cache line per few arcs.
#[derive(Debug, Clone, Copy, Default)]
struct ArcData {
    head: u32,
    /// The reverse arc.
    rev: u32,
    /// Residual capacity.
    residual: i32,
    cost: i32,
}

/// A flow network in CSR form; each arc has its reverse.
#[derive(Debug, Clone)]
pub struct Network {
    nodes: usize,
    /// Arcs of node `v` are `first[v]..first[v + 1]`.
    first: Vec<usize>,
    arcs: Vec<ArcData>,
    /// Node potentials: the dual values once solved.
    potential: Vec<i64>,
    /// Where each added arc (in the order given) sits.
    position: Vec<u32>,
    /// Once solved: the nodes the source still reaches in the residual network (the source
    /// side of a minimum cut).
    reached: Vec<bool>,
}

/// An arc to add: tail, head, capacity, cost per unit (non-negative).
#[derive(Debug, Clone, Copy)]
pub struct Arc {
    /// Tail node.
    pub from: usize,
    /// Head node.
    pub to: usize,
    /// Capacity (at most `i32::MAX`; larger ones are cut to it).
    pub capacity: i64,
    /// Cost per unit of flow; at least 0 and at most `i32::MAX`.
    pub cost: i64,
}

/// The result of [`Network::min_cost_max_flow`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowValue {
    /// Units of flow sent (trainees coupled).
    pub flow: i64,
    /// Total cost.
    pub cost: i64,
}

/// Dijkstra's queue: buckets by distance (Dial), with a heap for the rare far distances.
/// Distances only grow while it is used, so the cursor never moves back.
#[derive(Debug, Default)]
pub(crate) struct Queue {
    buckets: Vec<Vec<u32>>,
    cursor: usize,
    far: BinaryHeap<Reverse<(i64, u32)>>,
}

impl Queue {
    pub(crate) fn clear(&mut self) {
        // The buckets before the cursor are empty already.
        let from = self.cursor.min(self.buckets.len());
        for bucket in &mut self.buckets[from..] {
            bucket.clear();
        }
        self.cursor = 0;
        self.far.clear();
    }

    pub(crate) fn push(&mut self, distance: i64, v: u32) {
        match usize::try_from(distance) {
            Ok(d) if d < BUCKETS => {
                if self.buckets.len() <= d {
                    self.buckets.resize_with(d + 1, Vec::new);
                }
                self.buckets[d].push(v);
            }
            _ => self.far.push(Reverse((distance, v))),
        }
    }

    pub(crate) fn pop(&mut self) -> Option<(i64, u32)> {
        while self.cursor < self.buckets.len() {
            if let Some(v) = self.buckets[self.cursor].pop() {
                return Some((self.cursor as i64, v));
            }
            self.cursor += 1;
        }
        self.far.pop().map(|Reverse(entry)| entry)
    }
}

impl Network {
    /// Builds the network from `arcs` (indices into the result's arc numbering follow the
    /// order of `arcs`: see [`Network::flow_on`]).
    pub fn new(nodes: usize, arcs: &[Arc]) -> Self {
        let mut degree = vec![0usize; nodes + 1];
        for arc in arcs {
            degree[arc.from] += 1;
            degree[arc.to] += 1;
        }
        let mut first = vec![0usize; nodes + 1];
        for v in 0..nodes {
            first[v + 1] = first[v] + degree[v];
        }
        let total = first[nodes];
        let mut next = first.clone();
        let mut data = vec![ArcData::default(); total];
        let mut position = Vec::with_capacity(arcs.len());
        for arc in arcs {
            let forward = next[arc.from];
            next[arc.from] += 1;
            let backward = next[arc.to];
            next[arc.to] += 1;
            let cost = i32::try_from(arc.cost).unwrap_or(i32::MAX);
            data[forward] = ArcData {
                head: arc.to as u32,
                rev: backward as u32,
                residual: i32::try_from(arc.capacity).unwrap_or(i32::MAX),
                cost,
            };
            data[backward] = ArcData {
                head: arc.from as u32,
                rev: forward as u32,
                residual: 0,
                cost: -cost,
            };
            position.push(forward as u32);
        }
        Self {
            nodes,
            first,
            arcs: data,
            potential: vec![0; nodes],
            position,
            reached: Vec::new(),
        }
    }

    /// Flow on the `k`-th arc given to [`Network::new`] (its reverse's residual capacity).
    pub fn flow_on(&self, k: usize) -> i64 {
        let a = self.position[k] as usize;
        i64::from(self.arcs[self.arcs[a].rev as usize].residual)
    }

    /// The potentials (dual values) after solving: every residual arc has a non-negative
    /// reduced cost `cost + potential[from] - potential[to]`, and the source's is 0.
    pub fn potentials(&self) -> &[i64] {
        &self.potential
    }

    /// Whether the source reaches `v` in the residual network once solved: the reached nodes
    /// are the source side of a minimum cut (the sink is never among them).
    pub fn reached(&self, v: usize) -> bool {
        self.reached.get(v).copied().unwrap_or(false)
    }

    /// Outgoing arcs of `v` with their index, head, residual capacity and cost.
    pub fn arcs_of(&self, v: usize) -> impl Iterator<Item = (usize, usize, i64, i64)> + '_ {
        (self.first[v]..self.first[v + 1]).map(move |a| {
            let arc = self.arcs[a];
            (
                a,
                arc.head as usize,
                i64::from(arc.residual),
                i64::from(arc.cost),
            )
        })
    }

    fn reduced(&self, from: usize, a: usize) -> i64 {
        let arc = self.arcs[a];
        i64::from(arc.cost) + self.potential[from] - self.potential[arc.head as usize]
    }

    /// Sends a maximum flow of minimum cost from `source` to `sink`. Every arc cost must be
    /// non-negative at the start. Stops with [`SolveError::TimeLimit`] at the deadline.
    pub fn min_cost_max_flow(
        &mut self,
        source: usize,
        sink: usize,
        deadline: Deadline,
    ) -> Result<FlowValue, SolveError> {
        let mut value = FlowValue { flow: 0, cost: 0 };
        let mut dist = vec![UNREACHED; self.nodes];
        let mut queue = Queue::default();
        let mut marked = vec![false; self.nodes];
        let mut current = vec![0usize; self.nodes];
        let mut path: Vec<usize> = Vec::new();
        loop {
            if deadline.passed() {
                return Err(SolveError::TimeLimit {
                    seconds: deadline.limit().as_secs_f64(),
                });
            }
            // Shortest distances on reduced costs.
            dist.fill(UNREACHED);
            dist[source] = 0;
            queue.clear();
            queue.push(0, source as u32);
            while let Some((d, v)) = queue.pop() {
                let v = v as usize;
                if d > dist[v] {
                    continue;
                }
                // Nodes farther than the sink are not needed this phase (see below).
                if v == sink {
                    break;
                }
                let here = self.potential[v];
                for arc in &self.arcs[self.first[v]..self.first[v + 1]] {
                    if arc.residual <= 0 {
                        continue;
                    }
                    let w = arc.head as usize;
                    let candidate = d + i64::from(arc.cost) + here - self.potential[w];
                    // No farther than the sink's best so far: such nodes are never searched
                    // before the sink, and their potentials grow by the sink's distance anyway.
                    if candidate < dist[w] && candidate < dist[sink] {
                        dist[w] = candidate;
                        queue.push(candidate, w as u32);
                    }
                }
            }
            if dist[sink] == UNREACHED {
                // The search ran to completion: what it reached is the cut's source side.
                self.reached = dist.iter().map(|&d| d != UNREACHED).collect();
                return Ok(value);
            }
            // Each potential grows by its distance, capped at the sink's: reduced costs stay
            // non-negative on every residual arc, and those on shortest paths become zero.
            let to_sink = dist[sink];
            for (h, &d) in self.potential.iter_mut().zip(&dist) {
                *h += d.min(to_sink);
            }
            // Augment along zero-reduced-cost arcs (shortest paths only) as long as a
            // depth-first search finds one. A node it entered and left without reaching the
            // sink stays marked for the phase; the nodes past a saturated arc are unmarked, as
            // they may still lead on.
            if deadline.passed() {
                return Err(SolveError::TimeLimit {
                    seconds: deadline.limit().as_secs_f64(),
                });
            }
            marked.fill(false);
            current.copy_from_slice(&self.first[..self.nodes]);
            path.clear();
            marked[source] = true;
            let mut v = source;
            loop {
                if v == sink {
                    let amount = path
                        .iter()
                        .map(|&a| self.arcs[a].residual)
                        .min()
                        .unwrap_or(0);
                    for &a in &path {
                        let rev = self.arcs[a].rev as usize;
                        self.arcs[a].residual -= amount;
                        self.arcs[rev].residual += amount;
                        value.cost += i64::from(amount) * i64::from(self.arcs[a].cost);
                    }
                    value.flow += i64::from(amount);
                    let saturated = path
                        .iter()
                        .position(|&a| self.arcs[a].residual == 0)
                        .unwrap_or(0);
                    for &a in &path[saturated..] {
                        marked[self.arcs[a].head as usize] = false;
                    }
                    path.truncate(saturated);
                    v = match path.last() {
                        Some(&a) => self.arcs[a].head as usize,
                        None => source,
                    };
                    continue;
                }
                let mut advanced = false;
                while current[v] < self.first[v + 1] {
                    let a = current[v];
                    let w = self.arcs[a].head as usize;
                    if self.arcs[a].residual > 0 && !marked[w] && self.reduced(v, a) == 0 {
                        marked[w] = true;
                        path.push(a);
                        v = w;
                        advanced = true;
                        break;
                    }
                    current[v] += 1;
                }
                if advanced {
                    continue;
                }
                // Dead end for this phase.
                match path.pop() {
                    Some(a) => {
                        v = self.arcs[self.arcs[a].rev as usize].head as usize;
                        current[v] += 1;
                    }
                    None => break,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn deadline() -> Deadline {
        Deadline::after(Duration::from_secs(10))
    }

    #[test]
    fn most_flow_first_then_least_cost() {
        // Two trainees (1, 2), two trainers (3, 4), source 0, sink 5. The cheapest single pair
        // (1-3, cost 1) blocks the maximum: the answer takes 1-4 and 2-3 (cost 10 + 10).
        let arcs = [
            Arc {
                from: 0,
                to: 1,
                capacity: 1,
                cost: 0,
            },
            Arc {
                from: 0,
                to: 2,
                capacity: 1,
                cost: 0,
            },
            Arc {
                from: 1,
                to: 3,
                capacity: 1,
                cost: 1,
            },
            Arc {
                from: 1,
                to: 4,
                capacity: 1,
                cost: 10,
            },
            Arc {
                from: 2,
                to: 3,
                capacity: 1,
                cost: 10,
            },
            Arc {
                from: 3,
                to: 5,
                capacity: 1,
                cost: 0,
            },
            Arc {
                from: 4,
                to: 5,
                capacity: 1,
                cost: 0,
            },
        ];
        let mut network = Network::new(6, &arcs);
        let value = network.min_cost_max_flow(0, 5, deadline()).unwrap();
        assert_eq!(value, FlowValue { flow: 2, cost: 20 });
        assert_eq!(network.flow_on(3), 1, "1-4");
        assert_eq!(network.flow_on(2), 0, "1-3");
        // The potentials certify it: every residual arc has a non-negative reduced cost.
        for v in 0..6 {
            for (a, _, residual, _) in network.arcs_of(v) {
                if residual > 0 {
                    assert!(network.reduced(v, a) >= 0);
                }
            }
        }
    }

    #[test]
    fn capacities_above_one_and_an_expired_deadline() {
        // One trainer (3) with two places, three trainees.
        let arcs = [
            Arc {
                from: 0,
                to: 1,
                capacity: 1,
                cost: 0,
            },
            Arc {
                from: 0,
                to: 2,
                capacity: 1,
                cost: 0,
            },
            Arc {
                from: 0,
                to: 4,
                capacity: 1,
                cost: 0,
            },
            Arc {
                from: 1,
                to: 3,
                capacity: 1,
                cost: 3,
            },
            Arc {
                from: 2,
                to: 3,
                capacity: 1,
                cost: 2,
            },
            Arc {
                from: 4,
                to: 3,
                capacity: 1,
                cost: 5,
            },
            Arc {
                from: 3,
                to: 5,
                capacity: 2,
                cost: 0,
            },
        ];
        let mut network = Network::new(6, &arcs);
        let value = network.min_cost_max_flow(0, 5, deadline()).unwrap();
        assert_eq!(value, FlowValue { flow: 2, cost: 5 });
        let mut late = Network::new(6, &arcs);
        assert!(matches!(
            late.min_cost_max_flow(0, 5, Deadline::after(Duration::ZERO)),
            Err(SolveError::TimeLimit { .. })
        ));
    }
}
