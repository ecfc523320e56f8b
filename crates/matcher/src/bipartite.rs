//! Maximum coupling (bipartite b-matching) without recursion.
//!
//! Dinic's algorithm on the unit network `source -> trainee (1) -> trainer (1) -> sink (capacity)`,
//! stored as flat arrays (CSR). The depth-first search that finds augmenting paths keeps its own
//! stack, so a path as long as the input (a chain of 200,000 trainees, each bumping the next)
//! costs heap, not call stack. On unit networks Dinic needs `O(sqrt(V))` phases, so the whole
//! coupling takes `O(E sqrt(V))`.

/// A maximum coupling: for each trainee, the trainer they are coupled to, if any.
///
/// `pairs` are admissible (trainee index, trainer index) pairs; `capacity` is per trainer. Pairs
/// naming an index out of range are ignored; a pair listed twice counts once.
pub fn max_coupling(
    trainees: usize,
    capacity: &[u32],
    pairs: &[(usize, usize)],
) -> Vec<Option<usize>> {
    let trainers = capacity.len();
    let mut pairs: Vec<(usize, usize)> = pairs
        .iter()
        .copied()
        .filter(|&(i, j)| i < trainees && j < trainers && capacity[j] > 0)
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut network = Network::new(trainees + trainers + 2);
    let source = trainees + trainers;
    let sink = source + 1;
    for i in 0..trainees {
        network.add_edge(source, i, 1);
    }
    let pair_edges: Vec<usize> = pairs
        .iter()
        .map(|&(i, j)| network.add_edge(i, trainees + j, 1))
        .collect();
    for (j, &cap) in capacity.iter().enumerate() {
        if cap > 0 {
            network.add_edge(trainees + j, sink, u64::from(cap));
        }
    }
    let mut graph = network.freeze();
    graph.max_flow(source, sink);
    let mut coupled = vec![None; trainees];
    for (&(i, j), &edge) in pairs.iter().zip(&pair_edges) {
        if graph.residual[edge] == 0 {
            coupled[i] = Some(j);
        }
    }
    coupled
}

/// Edges as they are added, before they are grouped per node.
struct Network {
    nodes: usize,
    from: Vec<usize>,
    to: Vec<usize>,
    capacity: Vec<u64>,
}

impl Network {
    fn new(nodes: usize) -> Self {
        Self {
            nodes,
            from: Vec::new(),
            to: Vec::new(),
            capacity: Vec::new(),
        }
    }

    /// Adds `from -> to` and its reverse; returns the forward edge's index (the reverse is `^ 1`).
    fn add_edge(&mut self, from: usize, to: usize, capacity: u64) -> usize {
        let index = self.from.len();
        self.from.extend([from, to]);
        self.to.extend([to, from]);
        self.capacity.extend([capacity, 0]);
        index
    }

    fn freeze(self) -> Graph {
        let mut start = vec![0usize; self.nodes + 1];
        for &from in &self.from {
            start[from + 1] += 1;
        }
        for node in 0..self.nodes {
            start[node + 1] += start[node];
        }
        let mut next = start.clone();
        let mut order = vec![0usize; self.from.len()];
        for (edge, &from) in self.from.iter().enumerate() {
            order[next[from]] = edge;
            next[from] += 1;
        }
        Graph {
            start,
            order,
            to: self.to,
            residual: self.capacity,
        }
    }
}

/// A flow network in CSR form: node `v`'s edges are `order[start[v]..start[v + 1]]`.
struct Graph {
    start: Vec<usize>,
    order: Vec<usize>,
    to: Vec<usize>,
    residual: Vec<u64>,
}

const UNREACHED: u32 = u32::MAX;

impl Graph {
    fn out_edges(&self, node: usize) -> &[usize] {
        &self.order[self.start[node]..self.start[node + 1]]
    }

    /// Breadth-first levels from `source` in the residual graph; whether `sink` was reached.
    fn levels(&self, source: usize, sink: usize, level: &mut [u32]) -> bool {
        level.fill(UNREACHED);
        level[source] = 0;
        let mut queue = std::collections::VecDeque::from([source]);
        while let Some(node) = queue.pop_front() {
            for &edge in self.out_edges(node) {
                let next = self.to[edge];
                if self.residual[edge] > 0 && level[next] == UNREACHED {
                    level[next] = level[node] + 1;
                    queue.push_back(next);
                }
            }
        }
        level[sink] != UNREACHED
    }

    /// Dinic's maximum flow; returns its value.
    fn max_flow(&mut self, source: usize, sink: usize) -> u64 {
        let nodes = self.start.len() - 1;
        let mut level = vec![UNREACHED; nodes];
        let mut current = vec![0usize; nodes];
        let mut total = 0;
        let mut path: Vec<usize> = Vec::new();
        while self.levels(source, sink, &mut level) {
            current.copy_from_slice(&self.start[..nodes]);
            // Depth-first search with an explicit stack of edges (`path`); `current` remembers
            // each node's next edge to try, so every edge is given up at most once per phase.
            let mut node = source;
            loop {
                if node == sink {
                    let pushed = path
                        .iter()
                        .map(|&edge| self.residual[edge])
                        .min()
                        .unwrap_or(0);
                    for &edge in &path {
                        self.residual[edge] -= pushed;
                        self.residual[edge ^ 1] += pushed;
                    }
                    total += pushed;
                    path.clear();
                    node = source;
                    continue;
                }
                let mut advanced = false;
                while current[node] < self.start[node + 1] {
                    let edge = self.order[current[node]];
                    let next = self.to[edge];
                    if self.residual[edge] > 0 && level[next] == level[node].wrapping_add(1) {
                        path.push(edge);
                        node = next;
                        advanced = true;
                        break;
                    }
                    current[node] += 1;
                }
                if advanced {
                    continue;
                }
                // Dead end: no augmenting path runs through `node` in this phase.
                level[node] = UNREACHED;
                match path.pop() {
                    Some(edge) => {
                        node = self.to[edge ^ 1];
                        current[node] += 1;
                    }
                    None => break,
                }
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(coupling: &[Option<usize>]) -> usize {
        coupling.iter().filter(|t| t.is_some()).count()
    }

    fn is_valid(coupling: &[Option<usize>], capacity: &[u32], pairs: &[(usize, usize)]) -> bool {
        let mut load = vec![0u32; capacity.len()];
        for (i, trainer) in coupling.iter().enumerate() {
            if let Some(j) = *trainer {
                if !pairs.contains(&(i, j)) {
                    return false;
                }
                load[j] += 1;
            }
        }
        load.iter().zip(capacity).all(|(l, c)| l <= c)
    }

    #[test]
    fn an_augmenting_path_moves_others_aside() {
        // a0 takes t0 first; a1 can only go to t0, so a0 must move to t1.
        let pairs = [(0, 0), (0, 1), (1, 0)];
        let coupling = max_coupling(2, &[1, 1], &pairs);
        assert_eq!(coupling, vec![Some(1), Some(0)]);
    }

    #[test]
    fn capacities_above_one_and_zero_are_respected() {
        let pairs = [(0, 0), (1, 0), (2, 0), (2, 1), (3, 1)];
        let capacity = [2, 0];
        let coupling = max_coupling(4, &capacity, &pairs);
        assert_eq!(size(&coupling), 2);
        assert!(is_valid(&coupling, &capacity, &pairs));
    }

    #[test]
    fn out_of_range_and_repeated_pairs_are_ignored() {
        let coupling = max_coupling(1, &[1], &[(0, 0), (0, 0), (0, 7), (5, 0)]);
        assert_eq!(coupling, vec![Some(0)]);
    }

    #[test]
    fn the_size_equals_brute_force_on_small_instances() {
        // Every bipartite graph on 4 trainees x 3 trainers with capacities 1 or 2, sampled.
        let mut seed: u64 = 7;
        let mut random = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..500 {
            let capacity: Vec<u32> = (0..3).map(|_| (random() % 3) as u32).collect();
            let pairs: Vec<(usize, usize)> = (0..4)
                .flat_map(|i| (0..3).map(move |j| (i, j)))
                .filter(|_| random() % 2 == 0)
                .collect();
            let coupling = max_coupling(4, &capacity, &pairs);
            assert!(is_valid(&coupling, &capacity, &pairs));
            assert_eq!(
                size(&coupling),
                brute_force(0, &capacity, &pairs, &mut [0; 3])
            );
        }
    }

    fn brute_force(
        i: usize,
        capacity: &[u32],
        pairs: &[(usize, usize)],
        load: &mut [u32],
    ) -> usize {
        if i == 4 {
            return 0;
        }
        let mut best = brute_force(i + 1, capacity, pairs, load);
        for &(a, j) in pairs {
            if a == i && load[j] < capacity[j] {
                load[j] += 1;
                best = best.max(1 + brute_force(i + 1, capacity, pairs, load));
                load[j] -= 1;
            }
        }
        best
    }
}
