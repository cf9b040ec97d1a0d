"""The benchmark table on one GPU: convnb on CuPy arrays against PyTorch with cuDNN.

    python benchmarks/gpu.py [--quick] [--rounds R] [--json FILE]
    python benchmarks/gpu.py --dry-run      # the same code path on NumPy and torch's CPU build

Needs CuPy (``pip install cupy-cuda12x``) and a CUDA build of PyTorch on a machine with an
NVIDIA GPU; runs unattended in well under 5 minutes (each workload: one warm-up call, then
``rounds`` timed calls, synchronised with CUDA events). It prints, per workload, convnb's
time, PyTorch's time, the ratio, and convnb's GFLOP/s, and with ``--json`` writes them. The
workloads are those of ``python -m convnb.bench``, so CPU and GPU tables line up.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys

import numpy as np

from convnb import bench


def _timer(xp, torch, on_gpu):
    def measure(f, rounds):
        if not on_gpu:
            return bench.median_time(f, rounds)
        f()
        torch.cuda.synchronize()
        xp.cuda.Device().synchronize()
        times = []
        for _ in range(rounds):
            start, end = xp.cuda.Event(), xp.cuda.Event()
            start.record()
            f()
            end.record()
            end.synchronize()
            times.append(xp.cuda.get_elapsed_time(start, end) / 1e3)
        return statistics.median(times)

    return measure


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=20)
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
    print(f"device: {name}; torch {torch.__version__}; rounds {args.rounds}")
    print(f"{'workload':<42} {'convnb ms':>9} {'torch ms':>9} {'ratio':>6} {'GFLOP/s':>8}")
    for w in bench.workloads(args.quick):
        x = rng.standard_normal(w.x, dtype=np.float32)
        weights = [rng.standard_normal(s, dtype=np.float32) for s in w.weights]
        gx, gw = xp.asarray(x), [xp.asarray(a) for a in weights]
        call = bench.convnb_call(w)
        t_ours = measure(lambda call=call, gx=gx, gw=gw: call(gx, gw), args.rounds)
        tx = torch.from_numpy(x).to(device)
        tw = [torch.from_numpy(a).to(device) for a in weights]
        tcall = bench.torch_call(w, torch)
        with torch.no_grad():
            t_torch = measure(lambda tcall=tcall, tx=tx, tw=tw: tcall(tx, tw), args.rounds)
        gflops = 2 * bench.macs(w) / t_ours / 1e9
        rows.append(
            {
                "workload": w.name,
                "convnb_ms": t_ours * 1e3,
                "torch_ms": t_torch * 1e3,
                "ratio": t_ours / t_torch,
                "gflops": gflops,
            }
        )
        print(
            f"{w.name:<42} {t_ours * 1e3:9.3f} {t_torch * 1e3:9.3f} "
            f"{t_ours / t_torch:6.2f} {gflops:8.1f}"
        )
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"device": name, "torch": torch.__version__, "results": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
