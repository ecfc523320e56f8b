"""Times OR-tools' min-cost flow on the coupling instances that `examples/reference.rs` wrote,
checks it finds the same optimum as Koppel, and prints Koppel's time as a ratio.

The network is Koppel's: source -> trainee (capacity 1) -> trainer (capacity 1, cost = trainee
rank + trainer rank) -> sink (the trainer's capacity); `solve_max_flow_with_min_cost` couples as
many trainees as possible, then minimises the total rank. Only the solve is timed (median of
three); building the network is not.
"""

import json
import pathlib
import statistics
import sys
import time

import numpy as np
from ortools.graph.python import min_cost_flow

folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/reference")
koppel = json.loads((folder / "koppel-timings.json").read_text())


def network(instance):
    trainees = [t["id"] for t in instance["trainees"]]
    trainers = [t["id"] for t in instance["trainers"]]
    n, m = len(trainees), len(trainers)
    source, sink = n + m, n + m + 1
    column = {t: j for j, t in enumerate(trainers)}
    trainer_rank = {
        (a, t["id"]): r + 1 for t in instance["trainers"] for r, a in enumerate(t["ranking"])
    }
    tails, heads, capacities, costs = [], [], [], []
    for i, trainee in enumerate(instance["trainees"]):
        tails.append(source), heads.append(i), capacities.append(1), costs.append(0)
        for r, t in enumerate(trainee["ranking"]):
            back = trainer_rank.get((trainee["id"], t))
            if back is not None:
                tails.append(i), heads.append(n + column[t]), capacities.append(1)
                costs.append(r + 1 + back)
    for j, trainer in enumerate(instance["trainers"]):
        tails.append(n + j), heads.append(sink)
        capacities.append(trainer.get("capacity", 1)), costs.append(0)
    return source, sink, n, [np.array(x, dtype=np.int64) for x in (tails, heads, capacities, costs)]


print()
print("Koppel against OR-tools' min-cost flow, same instances, same machine, one run:")
print(f"{'instance':<16} {'koppel ms':>10} {'or-tools ms':>12} {'ratio':>7}  same optimum")
for name, measured in koppel.items():
    instance = json.loads((folder / f"{name}.json").read_text())
    source, sink, n, arrays = network(instance)
    times = []
    for _ in range(3):
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(*arrays)
        flow.set_node_supply(source, n)
        flow.set_node_supply(sink, -n)
        started = time.perf_counter()
        status = flow.solve_max_flow_with_min_cost()
        times.append(time.perf_counter() - started)
        if status != flow.OPTIMAL:
            sys.exit(f"{name}: OR-tools status {status}")
    seconds = statistics.median(times)
    matched, total = flow.maximum_flow(), flow.optimal_cost()
    same = (matched, total) == (measured["matched"], measured["total_rank"])
    ratio = measured["seconds"] / seconds
    print(f"{name:<16} {measured['seconds'] * 1000:>10.1f} {seconds * 1000:>12.1f} {ratio:>7.2f}  {'yes' if same else 'NO'}")
    if not same:
        sys.exit(f"{name}: OR-tools found matched={matched} total={total}, koppel {measured}")
