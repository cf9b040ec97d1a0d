"""How long one explorer update takes: recompute the read-outs, redraw, render to PNG.

    python benchmarks/explorer.py [--rounds N]

Prints the median over rounds for every preset. The target is under 100 ms on a 2-core
machine; it is measured here, not asserted in the tests (timings flake on shared machines).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")

from convnb import widgets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    print(
        f"{'preset':<12} {'median ms':>9} {'min ms':>7}   (update + PNG render, "
        f"{args.rounds} rounds)"
    )
    for preset in widgets.PRESETS:
        ex = widgets.explorer(preset)
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            ex.update()
            ex.figure.savefig(io.BytesIO(), format="png")  # what display() does in a kernel
            times.append((time.perf_counter() - start) * 1000)
        print(f"{preset:<12} {statistics.median(times):9.0f} {min(times):7.0f}")


if __name__ == "__main__":
    main()
