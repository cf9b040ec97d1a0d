"""Time the bench workloads with two checkouts of convnb, interleaved, in one run.

    python benchmarks/compare_versions.py OLD_DIR NEW_DIR [--threads 2] [--rounds 5]
        [--repeats 5] [--quick] [--scale S] [--json FILE]

OLD_DIR and NEW_DIR are repository roots (``git worktree add /tmp/old main`` beside the new
tree). Each round starts one subprocess per tree (``PYTHONPATH=DIR``), alternating which goes
first, and each subprocess times every workload ``--repeats`` times after a warm-up; the
tables give min/median/max over rounds of the per-round medians, and the ratio new/old of the
medians. The workload list comes from the NEW tree's ``convnb.bench.workloads`` (the same
shapes run in both trees). ``--scale`` shrinks every spatial size (a smoke test). Thread
counts are pinned with environment variables before NumPy is imported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

CHILD = r"""
import json, sys, time
import numpy as np
from convnb import bench

spec = json.loads(sys.argv[1])
rng = np.random.default_rng(0)
result = {}
for w in bench.workloads(spec["quick"]):
    scale = spec["scale"]
    if scale != 1:
        n, c, *spatial = w.x
        w.x = (n, c, *(max(8, int(s * scale)) for s in spatial))
    x = rng.standard_normal(w.x).astype(np.float32)
    weights = [rng.standard_normal(s).astype(np.float32) for s in w.weights]
    f = bench.convnb_call(w)
    f(x, weights)
    times = []
    for _ in range(spec["repeats"]):
        t = time.perf_counter()
        f(x, weights)
        times.append(time.perf_counter() - t)
    result[w.name] = sorted(times)[len(times) // 2]
print(json.dumps(result))
"""


def run_tree(root, spec, threads):
    env = dict(os.environ, PYTHONPATH=os.path.abspath(root))
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    # the workload list and calls of the NEW tree, the convnb of ``root``: bench is
    # imported from the new tree by path, convnb from root
    code = CHILD.replace(
        "from convnb import bench",
        "import importlib.util as u\n"
        f"s = u.spec_from_file_location('newbench', {spec['bench']!r})\n"
        "bench = sys.modules['newbench'] = u.module_from_spec(s)\n"
        "s.loader.exec_module(bench)",
    )
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(spec)], env=env, capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"the run in {root} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    spec = {
        "quick": args.quick,
        "scale": args.scale,
        "repeats": args.repeats,
        "bench": os.path.join(os.path.abspath(args.new), "convnb", "bench.py"),
    }
    samples = {"old": [], "new": []}
    for r in range(args.rounds):
        order = ("old", "new") if r % 2 == 0 else ("new", "old")
        for which in order:
            root = args.old if which == "old" else args.new
            samples[which].append(run_tree(root, spec, args.threads))
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    names = list(samples["new"][0])
    print(f"{'workload':44s} {'old min/med/max ms':>24s} {'new min/med/max ms':>24s} new/old")
    report = {}
    for name in names:
        row = {}
        for which in ("old", "new"):
            t = [s[name] * 1e3 for s in samples[which]]
            row[which] = (min(t), statistics.median(t), max(t))
        ratio = row["new"][1] / row["old"][1]
        report[name] = {**row, "ratio": ratio}
        fmt = "{:7.2f}/{:7.2f}/{:7.2f}"
        print(
            f"{name:44s} {fmt.format(*row['old']):>24s} "
            f"{fmt.format(*row['new']):>24s} {ratio:6.2f}"
        )
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
