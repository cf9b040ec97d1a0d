"""The benchmark table on one GPU: convnb on CuPy arrays against PyTorch with cuDNN.

    python benchmarks/gpu.py [--quick] [--rounds R] [--algorithms A,B] [--json FILE]
    python benchmarks/gpu.py --dry-run      # the same code path on NumPy and torch's CPU build

Needs CuPy (``pip install cupy-cuda12x``) and a CUDA build of PyTorch on a machine with an
NVIDIA GPU; runs unattended in a few minutes. The workloads are those of
``python -m convnb.bench``, so CPU and GPU tables line up. Each plain convolution runs once
per algorithm in ``--algorithms`` that can compute it (``auto``, ``direct``, ``winograd``,
``winograd2``, ``fft``), and every row is timed in interleaved rounds (one convnb call, one
PyTorch call per round, each timed with CUDA events after a warm-up call), printed with
median, minimum and maximum as soon as it is measured.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import numpy as np

from convnb import algorithms, bench


def _timer(xp, torch, on_gpu):
    def once(f):
        if not on_gpu:
            start = time.perf_counter()
            f()
            return time.perf_counter() - start
        start, end = xp.cuda.Event(), xp.cuda.Event()
        start.record()
        f()
        end.record()
        end.synchronize()
        return xp.cuda.get_elapsed_time(start, end) / 1e3

    def measure(fs, rounds):
        for f in fs.values():
            f()
        if on_gpu:
            torch.cuda.synchronize()
            xp.cuda.Device().synchronize()
        times = {k: [] for k in fs}
        for _ in range(rounds):
            for k, f in fs.items():
                times[k].append(once(f))
        return times

    return measure


def _supported(w, algorithm):
    if w.kind != "conv":
        return algorithm == "auto"
    k = w.kwargs
    try:
        algorithms.check(
            algorithm, w.weights[0][2:], (k.get("stride", 1),) * 2, (k.get("dilation", 1),) * 2
        )
    except ValueError:
        return False
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--algorithms", default="auto,direct,winograd,fft")
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="run on NumPy and torch's CPU build, to check the script itself",
    )
    args = parser.parse_args(argv)
    import torch

    if args.dry_run:
        xp, device, on_gpu = np, "cpu", False
    else:
        try:
            import cupy as xp
        except ImportError:
            sys.exit(
                'benchmarks/gpu.py: CuPy is not installed: pip install "convnb[gpu]" '
                "(CUDA 12; for another CUDA, the cupy-cuda wheel that matches it)"
            )
        if not xp.cuda.is_available() or not torch.cuda.is_available():
            sys.exit("benchmarks/gpu.py: no CUDA device for CuPy and PyTorch")
        torch.backends.cudnn.benchmark = True
        device, on_gpu = "cuda", True
    measure = _timer(xp, torch, on_gpu)
    rng = np.random.default_rng(0)
    rows = []
    name = torch.cuda.get_device_name() if on_gpu else "CPU (dry run)"
    print(f"device: {name}; torch {torch.__version__}; rounds {args.rounds}", flush=True)
    print(
        f"{'workload':<42} {'alg':<9} {'convnb ms':>9} {'[min-max]':>17} {'torch ms':>9} "
        f"{'[min-max]':>17} {'ratio':>6}",
        flush=True,
    )
    for w in bench.workloads(args.quick):
        x = rng.standard_normal(w.x, dtype=np.float32)
        weights = [rng.standard_normal(s, dtype=np.float32) for s in w.weights]
        gx, gw = xp.asarray(x), [xp.asarray(a) for a in weights]
        tx = torch.from_numpy(x).to(device)
        tw = [torch.from_numpy(a).to(device) for a in weights]
        tcall = bench.torch_call(w, torch)
        for algorithm in args.algorithms.split(","):
            if not _supported(w, algorithm):
                continue
            call = bench.convnb_call(w, algorithm)

            def torch_f(tcall=tcall, tx=tx, tw=tw):
                with torch.no_grad():
                    tcall(tx, tw)

            times = measure(
                {"convnb": lambda call=call, gx=gx, gw=gw: call(gx, gw), "torch": torch_f},
                args.rounds,
            )
            s = {
                k: (statistics.median(v) * 1e3, min(v) * 1e3, max(v) * 1e3)
                for k, v in times.items()
            }
            row = {
                "workload": w.name,
                "algorithm": algorithm,
                "convnb_ms": s["convnb"][0],
                "convnb_ms_min": s["convnb"][1],
                "convnb_ms_max": s["convnb"][2],
                "torch_ms": s["torch"][0],
                "torch_ms_min": s["torch"][1],
                "torch_ms_max": s["torch"][2],
                "ratio": s["convnb"][0] / s["torch"][0],
            }
            rows.append(row)
            spans = {k: f"[{v[1]:.3f}-{v[2]:.3f}]" for k, v in s.items()}
            print(
                f"{w.name:<42} {algorithm:<9} {s['convnb'][0]:9.3f} {spans['convnb']:>17} "
                f"{s['torch'][0]:9.3f} {spans['torch']:>17} {row['ratio']:6.2f}",
                flush=True,
            )
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"device": name, "torch": torch.__version__, "results": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
