"""Time the bench workloads with two checkouts of convnb, interleaved, in one run.

    python benchmarks/compare_versions.py OLD_DIR NEW_DIR [--threads 2] [--rounds 5]
        [--repeats 5] [--algorithm auto] [--only NAMES] [--quick] [--scale S] [--json FILE]

OLD_DIR and NEW_DIR are repository roots (``git worktree add /tmp/old <commit>`` beside the
new tree). The workload list comes from the NEW tree's ``convnb.bench.workloads``; each
subprocess gets it as plain data and makes its own calls (``conv``, ``separable_conv``,
``spatially_separable_conv2d``, ``conv_transpose``), so an old tree needs none of the new
modules. Each round starts one subprocess per tree, in the tree's own directory, alternating
which goes first; the child checks that ``convnb`` was imported from its tree (the current
directory comes first on ``sys.path``, so a child started elsewhere would silently time
whatever ``convnb`` lies there). Each child times every workload ``--repeats`` times after a
warm-up; the tables give min/median/max over rounds of the per-round medians, and the ratio
new/old of the medians. ``--algorithm`` is passed to ``conv`` in trees whose ``conv`` takes
it (``"direct"`` times the portable core alone). ``--scale`` shrinks every spatial size (a
smoke test); ``--only`` keeps the workloads whose names contain one of its comma-separated
parts (to re-measure noisy rows). Thread counts are pinned with environment variables before
NumPy is imported.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys

CHILD = r"""
import inspect, json, os, sys, time
import numpy as np
import convnb

spec = json.loads(sys.argv[1])
root = os.path.realpath(spec["root"])
if not os.path.realpath(convnb.__file__).startswith(root + os.sep):
    sys.exit(f"convnb came from {convnb.__file__}, not from {root}")
extra = {}
if "algorithm" in inspect.signature(convnb.conv).parameters:
    extra["algorithm"] = spec["algorithm"]
calls = {
    "conv": lambda x, a, kw: convnb.conv(x, a[0], **kw, **extra),
    "separable": lambda x, a, kw: convnb.separable_conv(x, a[0], a[1], **kw),
    "spatial": lambda x, a, kw: convnb.spatially_separable_conv2d(x, a[0], a[1], **kw),
    "transposed": lambda x, a, kw: convnb.conv_transpose(x, a[0], **kw),
}
rng = np.random.default_rng(0)
result = {}
for w in spec["workloads"]:
    x = rng.standard_normal(w["x"]).astype(np.float32)
    weights = [rng.standard_normal(s).astype(np.float32) for s in w["weights"]]
    f, kw = calls[w["kind"]], w["kwargs"]
    f(x, weights, kw)
    times = []
    for _ in range(spec["repeats"]):
        t = time.perf_counter()
        f(x, weights, kw)
        times.append(time.perf_counter() - t)
    result[w["name"]] = sorted(times)[len(times) // 2]
print(json.dumps(result))
"""


def load_workloads(new_root, quick, scale):
    """The NEW tree's workloads as plain data (spatial sizes scaled by ``scale``)."""
    root = os.path.realpath(new_root)
    sys.path.insert(0, root)  # the new tree's convnb, in this process only
    bench = importlib.import_module("convnb.bench")
    if not os.path.realpath(bench.__file__).startswith(root + os.sep):
        raise SystemExit(f"convnb.bench came from {bench.__file__}, not from {root}")
    table = []
    for w in bench.workloads(quick):
        n, c, *spatial = w.x
        if scale != 1:
            spatial = [max(8, int(s * scale)) for s in spatial]
        table.append(
            {"name": w.name, "kind": w.kind, "x": [n, c, *spatial],
             "weights": [list(s) for s in w.weights], "kwargs": dict(w.kwargs)}
        )  # fmt: skip
    return table


def run_tree(root, spec, threads):
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    out = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps({**spec, "root": os.path.abspath(root)})],
        env=env,
        cwd=os.path.abspath(root),  # "" on sys.path is this tree
        capture_output=True,
        text=True,
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
    parser.add_argument("--algorithm", default="auto")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--only", help="comma-separated substrings of workload names")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    spec = {
        "workloads": [
            w
            for w in load_workloads(args.new, args.quick, args.scale)
            if not args.only or any(part in w["name"] for part in args.only.split(","))
        ],
        "repeats": args.repeats,
        "algorithm": args.algorithm,
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
