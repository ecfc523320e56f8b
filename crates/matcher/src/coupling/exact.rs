//! The coupling as an integer min-cost maximum flow (see [`crate::flow`]): exact, with no LP
//! solver and no big-M weight. The network has one node per trainee and per trainer: source →
//! trainee (1) → trainer (1, cost = trainee rank + trainer rank) → sink (the trainer's capacity).

use super::model::{Coupling, Edge, Effort, Instance};
use crate::flow::{Arc, Network};
use crate::solver::SolveError;

impl Instance {
    /// Most couplings, then the lowest total rank, over the edges `allowed` keeps; `forced` is
    /// in the coupling whatever `allowed` says.
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
