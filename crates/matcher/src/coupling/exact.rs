//! The coupling as an integer min-cost maximum flow (see [`crate::flow`]): exact, with no LP
//! solver and no big-M weight. The network has one node per trainee and per trainer: source →
//! trainee (1) → trainer (1, cost = trainee rank + trainer rank) → sink (the trainer's capacity).

use super::certificate::Sides;
use super::model::{Coupling, Edge, Effort, Instance};
use crate::flow::{Arc, Network};
use crate::solver::SolveError;

/// An optimum over the pairs within a worst-rank limit, with integral dual values for the
/// weighted program of [`super::certificate`]: `u + v >= W - cost` on every pair within the
/// limit, with equality on the coupled ones, `u > 0` only for coupled trainees and `v > 0` only
/// for full trainers (a trainer who takes nobody gets `W`).
#[derive(Debug, Clone)]
pub(crate) struct Certified {
    pub coupling: Coupling,
    /// Pairs with a larger worst rank are left out; `None`: none are.
    pub limit: Option<u32>,
    /// `W`: more than twice any coupling's total cost, so a difference of two couplings' values
    /// splits into couplings and ranks unambiguously.
    pub weight: i64,
    pub trainee_dual: Vec<i64>,
    pub trainer_dual: Vec<i64>,
}

impl Certified {
    /// Whether the limit keeps `edge`.
    pub fn keeps(&self, edge: &Edge) -> bool {
        self.limit.is_none_or(|limit| edge.worst() <= limit)
    }
}

impl Instance {
    /// The optimum (most couplings, then the least total rank) over the pairs within `limit`,
    /// with its dual values. The flow's potentials `p` (with `p(source) = 0`) give
    /// `u = p(trainee)` and `v = p(sink) - p(trainer)` for `W = p(sink)`; a larger `W` adds the
    /// difference to the trainees the source no longer reaches and to the trainers it does,
    /// which keeps every condition (the reached side of a minimum cut holds only full trainers
    /// and is closed under the pairs).
    pub(crate) fn certified(
        &self,
        limit: Option<u32>,
        effort: &mut Effort,
    ) -> Result<Certified, SolveError> {
        let keeps = |edge: &Edge| limit.is_none_or(|limit| edge.worst() <= limit);
        let (mut network, chosen) = self.network(&keeps, None, true);
        let (source, sink) = self.terminals();
        effort.solves += 1;
        network.min_cost_max_flow(source, sink, effort.deadline)?;
        let edges: Vec<usize> = chosen
            .iter()
            .enumerate()
            .filter(|&(k, _)| network.flow_on(k) > 0)
            .map(|(_, &e)| e)
            .collect();
        let n = self.trainees.len();
        let potential = network.potentials();
        let at_sink = potential[sink] - potential[source];
        let weight = at_sink.max(2 * self.cost_bound() + 1);
        let shift = weight - at_sink;
        let trainee_dual = (0..n)
            .map(|i| {
                let node = 1 + i;
                potential[node] - potential[source] + if network.reached(node) { 0 } else { shift }
            })
            .collect();
        let trainer_dual = (0..self.trainers.len())
            .map(|j| {
                let node = 1 + n + j;
                if self.capacity[j] == 0 {
                    weight
                } else {
                    (potential[sink] - potential[node]).max(0)
                        + if network.reached(node) { shift } else { 0 }
                }
            })
            .collect();
        Ok(Certified {
            coupling: self.measure(edges),
            limit,
            weight,
            trainee_dual,
            trainer_dual,
        })
    }

    /// The sum over trainees of their costliest admissible pair: no coupling costs more.
    pub(crate) fn cost_bound(&self) -> i64 {
        let mut costliest = vec![0u64; self.trainees.len()];
        for edge in &self.edges {
            costliest[edge.trainee] = costliest[edge.trainee].max(edge.cost());
        }
        i64::try_from(costliest.iter().sum::<u64>()).unwrap_or(i64::MAX / 4)
    }

    /// How many trainees can be coupled at most over the pairs within `limit`, and a cover of
    /// those pairs of that size: the trainees the source no longer reaches in the final
    /// residual network and the trainers it does (König's theorem).
    pub(crate) fn most_coupled_with_cover(
        &self,
        limit: Option<u32>,
        effort: &mut Effort,
    ) -> Result<(usize, Sides), SolveError> {
        let keeps = |edge: &Edge| limit.is_none_or(|limit| edge.worst() <= limit);
        let (mut network, _) = self.network(&keeps, None, false);
        let (source, sink) = self.terminals();
        effort.solves += 1;
        let value = network.min_cost_max_flow(source, sink, effort.deadline)?;
        let n = self.trainees.len();
        let sides = Sides {
            trainees: (0..n).map(|i| !network.reached(1 + i)).collect(),
            trainers: (0..self.trainers.len())
                .map(|j| network.reached(1 + n + j))
                .collect(),
        };
        Ok((usize::try_from(value.flow).unwrap_or(usize::MAX), sides))
    }

    /// Most couplings, then the lowest total rank, over the edges `allowed` keeps; `forced` is
    /// in the coupling whatever `allowed` says.
    #[cfg(test)]
    pub(crate) fn best_total_exact(
        &self,
        allowed: &dyn Fn(&Edge) -> bool,
        forced: Option<usize>,
        effort: &mut Effort,
    ) -> Result<Coupling, SolveError> {
        let (network, chosen) = self.network(allowed, forced, true);
        let mut network = network;
        let (source, sink) = self.terminals();
        effort.solves += 1;
        network.min_cost_max_flow(source, sink, effort.deadline)?;
        let mut edges: Vec<usize> = chosen
            .iter()
            .enumerate()
            .filter(|&(k, _)| network.flow_on(k) > 0)
            .map(|(_, &e)| e)
            .collect();
        if let Some(forced) = forced {
            edges.push(forced);
            edges.sort_unstable();
        }
        Ok(self.measure(edges))
    }

    /// How many trainees can be coupled at most over the edges `allowed` keeps (with `forced`
    /// in): a maximum flow, costs left out.
    pub(crate) fn most_coupled(
        &self,
        allowed: &dyn Fn(&Edge) -> bool,
        forced: Option<usize>,
        effort: &mut Effort,
    ) -> Result<usize, SolveError> {
        let (mut network, _) = self.network(allowed, forced, false);
        let (source, sink) = self.terminals();
        effort.solves += 1;
        let value = network.min_cost_max_flow(source, sink, effort.deadline)?;
        Ok(usize::try_from(value.flow).unwrap_or(usize::MAX) + usize::from(forced.is_some()))
    }

    fn terminals(&self) -> (usize, usize) {
        (0, self.trainees.len() + self.trainers.len() + 1)
    }

    /// The network, and which edge each pair arc (numbered after the trainees' source arcs)
    /// stands for. A forced edge takes its trainee out and one place of its trainer.
    fn network(
        &self,
        allowed: &dyn Fn(&Edge) -> bool,
        forced: Option<usize>,
        with_costs: bool,
    ) -> (Network, Vec<usize>) {
        let n = self.trainees.len();
        let m = self.trainers.len();
        let (source, sink) = self.terminals();
        let forced_edge = forced.map(|e| self.edges[e]);
        let mut chosen = Vec::new();
        let mut pair_arcs = Vec::new();
        for (e, edge) in self.edges.iter().enumerate() {
            let blocked = forced_edge.is_some_and(|f| f.trainee == edge.trainee);
            if blocked || !allowed(edge) {
                continue;
            }
            chosen.push(e);
            pair_arcs.push(Arc {
                from: 1 + edge.trainee,
                to: 1 + n + edge.trainer,
                capacity: 1,
                cost: if with_costs {
                    i64::try_from(edge.cost()).unwrap_or(i64::MAX / 4)
                } else {
                    0
                },
            });
        }
        // Pair arcs first, so the k-th arc is the k-th chosen edge.
        let mut arcs = pair_arcs;
        for i in 0..n {
            if forced_edge.is_some_and(|f| f.trainee == i) {
                continue;
            }
            arcs.push(Arc {
                from: source,
                to: 1 + i,
                capacity: 1,
                cost: 0,
            });
        }
        for j in 0..m {
            let taken = forced_edge.is_some_and(|f| f.trainer == j);
            let places = i64::from(self.capacity[j]) - i64::from(taken);
            if places > 0 {
                arcs.push(Arc {
                    from: 1 + n + j,
                    to: sink,
                    capacity: places,
                    cost: 0,
                });
            }
        }
        (Network::new(n + m + 2, &arcs), chosen)
    }
}
