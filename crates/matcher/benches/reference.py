"""Times SciPy's linear_sum_assignment on the coupling instances that `examples/reference.rs`
wrote, checks it finds the same optimum as Koppel, and prints Koppel's time as a ratio.

Lexicographic objective as a single assignment problem: an admissible pair costs
(trainee rank + trainer rank) - W with W larger than any total, other pairs cost 0, so the
minimum first couples as many trainees as possible, then minimises the total rank.
"""

import json
import pathlib
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment

folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/reference")
koppel = json.loads((folder / "koppel-timings.json").read_text())

print(f"{'instance':<16} {'koppel ms':>10} {'scipy ms':>10} {'ratio':>7}  same optimum")
for name, measured in koppel.items():
    instance = json.loads((folder / f"{name}.json").read_text())
    trainees = [t["id"] for t in instance["trainees"]]
    trainers = [t["id"] for t in instance["trainers"]]
    column = {t: j for j, t in enumerate(trainers)}
    trainer_rank = {
        (a, t["id"]): r + 1 for t in instance["trainers"] for r, a in enumerate(t["ranking"])
    }
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        weight = 2 * max(len(t["ranking"]) for t in instance["trainees"]) * len(trainees) + 1
        cost = np.zeros((len(trainees), len(trainers)))
        for i, trainee in enumerate(instance["trainees"]):
            for r, t in enumerate(trainee["ranking"]):
                back = trainer_rank.get((trainee["id"], t))
                if back is not None:
                    cost[i, column[t]] = (r + 1 + back) - weight
        rows, cols = linear_sum_assignment(cost)
        best = min(best, time.perf_counter() - started)
    chosen = cost[rows, cols] < 0
    matched = int(chosen.sum())
    total = int(round((cost[rows, cols][chosen] + weight).sum()))
    same = (matched, total) == (measured["matched"], measured["total_rank"])
    ratio = measured["seconds"] / best
    print(f"{name:<16} {measured['seconds'] * 1000:>10.1f} {best * 1000:>10.1f} {ratio:>7.2f}  {'yes' if same else 'NO'}")
    if not same:
        sys.exit(f"{name}: scipy found matched={matched} total={total}, koppel {measured}")
