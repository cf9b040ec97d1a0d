"""Benchmark every convolution type against PyTorch, measured in the same run.

    python -m convnb.bench [--quick] [--threads N] [--rounds R] [--json FILE]

For each workload it prints the median time of convnb, the time of the loop definition in
:mod:`convnb.reference` on a tiny version of the same layer (to show what the fast code is
compared with), PyTorch's time when torch is installed, the ratio convnb / PyTorch, convnb's
rate in GFLOP/s (2 x multiply-accumulates per second), that rate as a share of this machine's
float32 matrix-multiply rate measured at the start, and the peak scratch memory of one call
(NumPy reports its allocations to :mod:`tracemalloc`). ``--json`` writes the same numbers for
machines. Nothing here asserts a speed: timings on shared machines drift, so compare ratios
within one run.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass, field

import numpy as np

import convnb
from convnb import arithmetic, reference


@dataclass
class Workload:
    name: str
    kind: str  # conv, separable, spatial, transposed
    x: tuple
    weights: tuple  # weight shapes, in the order the call takes them
    kwargs: dict = field(default_factory=dict)


def workloads(quick: bool) -> list[Workload]:
    n = 2 if quick else 8
    table = [
        Workload(
            "dense 3x3 s1 64->64 56x56", "conv", (n, 64, 56, 56), ((64, 64, 3, 3),), {"padding": 1}
        ),
        Workload(
            "dense 3x3 s2 128->256 28x28",
            "conv",
            (n, 128, 28, 28),
            ((256, 128, 3, 3),),
            {"padding": 1, "stride": 2},
        ),
        Workload("pointwise 256->256 28x28", "conv", (n, 256, 28, 28), ((256, 256, 1, 1),)),
        Workload(
            "grouped 3x3 g=32 256->256 28x28",
            "conv",
            (n, 256, 28, 28),
            ((256, 8, 3, 3),),
            {"padding": 1, "groups": 32},
        ),
        Workload(
            "depthwise 3x3 C=256 28x28",
            "conv",
            (n, 256, 28, 28),
            ((256, 1, 3, 3),),
            {"padding": 1, "groups": 256},
        ),
        Workload(
            "depthwise 3x3 C=32 112x112",
            "conv",
            (n, 32, 112, 112),
            ((32, 1, 3, 3),),
            {"padding": 1, "groups": 32},
        ),
        Workload(
            "dense 3x3 s1 256->256 28x28",
            "conv",
            (n, 256, 28, 28),
            ((256, 256, 3, 3),),
            {"padding": 1},
        ),
        Workload(
            "depthwise-separable 256->256 28x28",
            "separable",
            (n, 256, 28, 28),
            ((256, 1, 3, 3), (256, 256)),
            {"padding": 1},
        ),
        Workload(
            "dilated 3x3 d=2 64->64 56x56",
            "conv",
            (n, 64, 56, 56),
            ((64, 64, 3, 3),),
            {"padding": 2, "dilation": 2},
        ),
        Workload(
            "dilated 3x3 d=4 64->64 56x56",
            "conv",
            (n, 64, 56, 56),
            ((64, 64, 3, 3),),
            {"padding": 4, "dilation": 4},
        ),
        Workload(
            "spatially separable 3x1+1x3 64->64 56x56",
            "spatial",
            (n, 64, 56, 56),
            ((64, 64, 3, 1), (64, 64, 1, 3)),
            {"padding": 1},
        ),
        Workload(
            "transposed 4x4 s2 128->64 28->56",
            "transposed",
            (n, 128, 28, 28),
            ((128, 64, 4, 4),),
            {"stride": 2, "padding": 1},
        ),
        Workload(
            "7x7 s1 3->64 512x512", "conv", (1, 3, 512, 512), ((64, 3, 7, 7),), {"padding": 3}
        ),
        Workload(
            "7x7 s2 3->64 512x512",
            "conv",
            (1, 3, 512, 512),
            ((64, 3, 7, 7),),
            {"padding": 3, "stride": 2},
        ),
    ]
    if quick:
        keep = {
            "dense 3x3 s1 64->64 56x56",
            "pointwise 256->256 28x28",
            "depthwise 3x3 C=256 28x28",
            "grouped 3x3 g=32 256->256 28x28",
            "transposed 4x4 s2 128->64 28->56",
        }
        table = [w for w in table if w.name in keep]
    return table


def convnb_call(w: Workload):
    """The convnb call for a workload: ``f(x, weights)``."""
    if w.kind == "conv":
        return lambda x, a: convnb.conv(x, a[0], **w.kwargs)
    if w.kind == "separable":
        return lambda x, a: convnb.separable_conv(x, a[0], a[1], **w.kwargs)
    if w.kind == "spatial":
        return lambda x, a: convnb.spatially_separable_conv2d(x, a[0], a[1], **w.kwargs)
    return lambda x, a: convnb.conv_transpose(x, a[0], **w.kwargs)


def torch_call(w: Workload, torch):
    """The same layer in PyTorch: ``f(x, weights)`` on tensors."""
    f = torch.nn.functional
    if w.kind == "conv":
        return lambda x, a: f.conv2d(x, a[0], **w.kwargs)
    if w.kind == "separable":
        c = w.x[1]
        return lambda x, a: f.conv2d(
            f.conv2d(x, a[0], groups=c, **w.kwargs), a[1][:, :, None, None]
        )
    if w.kind == "spatial":
        return lambda x, a: f.conv2d(f.conv2d(x, a[0], padding=(1, 0)), a[1], padding=(0, 1))
    return lambda x, a: f.conv_transpose2d(x, a[0], **w.kwargs)


def macs(w: Workload) -> int:
    """Multiply-accumulates of the workload, from convnb.arithmetic."""
    n, c, h, wd = w.x
    if w.kind == "conv":
        o, _, kh, kw = w.weights[0]
        k = w.kwargs
        out = [
            arithmetic.conv_output_size(
                s, kk, k.get("stride", 1), k.get("padding", 0), k.get("dilation", 1)
            )
            for s, kk in ((h, kh), (wd, kw))
        ]
        return n * arithmetic.count_macs(c, o, (kh, kw), out, k.get("groups", 1))
    if w.kind == "separable":
        return n * (
            arithmetic.count_macs(c, c, (3, 3), (h, wd), groups=c)
            + arithmetic.count_macs(c, w.weights[1][0], (1, 1), (h, wd))
        )
    if w.kind == "spatial":
        return n * (
            arithmetic.count_macs(c, c, (3, 1), (h, wd))
            + arithmetic.count_macs(c, c, (1, 3), (h, wd))
        )
    c_in, c_out, kh, kw = w.weights[0]
    return n * arithmetic.count_macs(c_out, c_in, (kh, kw), (h, wd))  # the adjoint's count


def median_time(f, rounds):
    """Median wall time of ``rounds`` calls of ``f``, after one untimed warm-up call."""
    f()  # warm up
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bandwidth(nbytes=2**27, rounds=5) -> float:
    """This machine's memory bandwidth in GB/s: a large float32 copy (bytes read + written)."""
    a = np.ones(nbytes // 4, dtype=np.float32)
    b = np.empty_like(a)
    t = median_time(lambda: np.copyto(b, a), rounds)
    return 2 * nbytes / t / 1e9


def traffic(w: Workload) -> int:
    """Bytes a layer must at least move: its input, weights and output, once, in float32."""
    weights = sum(math.prod(s) for s in w.weights)
    return 4 * (math.prod(w.x) + weights + _output_elements(w))


def _output_elements(w: Workload) -> int:
    n, _, h, wd = w.x
    k = w.kwargs
    if w.kind in ("separable", "spatial"):  # padding keeps the size
        return n * w.weights[-1][0] * h * wd
    if w.kind == "transposed":
        _, c_out, kh, kw = w.weights[0]
        out = [
            arithmetic.conv_transpose_output_size(s, kk, k.get("stride", 1), k.get("padding", 0))
            for s, kk in ((h, kh), (wd, kw))
        ]
        return n * c_out * out[0] * out[1]
    o, _, kh, kw = w.weights[0]
    out = [
        arithmetic.conv_output_size(
            s, kk, k.get("stride", 1), k.get("padding", 0), k.get("dilation", 1)
        )
        for s, kk in ((h, kh), (wd, kw))
    ]
    return n * o * out[0] * out[1]


def sgemm_rate(size=1024, rounds=5) -> float:
    """This machine's float32 matrix-multiply rate in GFLOP/s (a square product)."""
    a = np.random.default_rng(0).standard_normal((size, size), dtype=np.float32)
    t = median_time(lambda: a @ a, rounds)
    return 2 * size**3 / t / 1e9


def _tiny(w: Workload):
    """The same layer, shrunk, for the loop reference (which is slow on purpose)."""
    weights = [np.ones((min(s[0], 4), min(s[1], 4), *s[2:])) for s in w.weights]
    x = np.ones((1, weights[0].shape[1] if w.kind != "transposed" else weights[0].shape[0], 8, 8))
    if w.kind == "conv":
        kw = dict(w.kwargs)
        kw["groups"] = min(kw.get("groups", 1), weights[0].shape[0], x.shape[1])
        g = kw["groups"]
        x = np.ones((1, weights[0].shape[1] * g, 8, 8))
        weights[0] = np.ones(
            (g * max(1, weights[0].shape[0] // g), weights[0].shape[1], *weights[0].shape[2:])
        )
        return lambda: reference.conv(x, weights[0], **kw)
    if w.kind == "transposed":
        return lambda: reference.conv_transpose(x, weights[0], **w.kwargs)
    return None


def run(quick=False, rounds=5, threads=None, out=None) -> dict:
    out = sys.stdout if out is None else out
    try:
        import torch
    except ImportError:
        torch = None
    limiter = None
    if threads is not None:
        try:
            from threadpoolctl import threadpool_limits

            limiter = threadpool_limits(limits=threads)
        except ImportError:
            print("note: threadpoolctl is not installed; NumPy uses its default threads", file=out)
        if torch is not None:
            torch.set_num_threads(threads)
    rate = sgemm_rate()
    memory = bandwidth()
    rng = np.random.default_rng(0)
    results = []
    header = (
        f"{'workload':<42} {'convnb ms':>9} {'ref(tiny) ms':>12} {'torch ms':>9} "
        f"{'ratio':>6} {'GFLOP/s':>8} {'%sgemm':>6} {'scratch MiB':>11}"
    )
    print(
        f"sgemm (1024^2, float32): {rate:.0f} GFLOP/s; copy bandwidth: {memory:.1f} GB/s; "
        f"threads: "
        f"{threads if threads else 'default'}; torch: "
        f"{torch.__version__ if torch else 'not installed (no ratios)'}",
        file=out,
    )
    print(header, file=out)
    for w in workloads(quick):
        x = rng.standard_normal(w.x, dtype=np.float32)
        weights = [rng.standard_normal(s, dtype=np.float32) for s in w.weights]
        call = convnb_call(w)
        t_convnb = median_time(lambda call=call, x=x, weights=weights: call(x, weights), rounds)
        tracemalloc.start()
        call(x, weights)
        scratch = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        tiny = _tiny(w)
        t_ref = median_time(tiny, 1) if tiny else None
        t_torch = None
        if torch is not None:
            tx = torch.from_numpy(x)
            tw = [torch.from_numpy(a) for a in weights]
            tcall = torch_call(w, torch)
            with torch.no_grad():
                t_torch = median_time(lambda tcall=tcall, tx=tx, tw=tw: tcall(tx, tw), rounds)
        gflops = 2 * macs(w) / t_convnb / 1e9
        row = {
            "workload": w.name,
            "convnb_ms": t_convnb * 1e3,
            "reference_tiny_ms": None if t_ref is None else t_ref * 1e3,
            "torch_ms": None if t_torch is None else t_torch * 1e3,
            "ratio": None if t_torch is None else t_convnb / t_torch,
            "gflops": gflops,
            "sgemm_share": gflops / rate,
            "scratch_mib": scratch,
            "macs": macs(w),
            "bytes": traffic(w),
            "intensity": 2 * macs(w) / traffic(w),
            "kind": w.kind,
        }
        results.append(row)

        def fmt(v, spec):
            return format(v, spec) if v is not None else "-".rjust(int(spec.split(".")[0]))

        print(
            f"{w.name:<42} {t_convnb * 1e3:9.2f} {fmt(row['reference_tiny_ms'], '12.1f')} "
            f"{fmt(row['torch_ms'], '9.2f')} {fmt(row['ratio'], '6.2f')} {gflops:8.1f} "
            f"{gflops / rate:6.0%} {scratch:11.1f}",
            file=out,
        )
    if limiter is not None:
        limiter.unregister()
    return {
        "machine": platform.machine(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__ if torch else None,
        "threads": threads,
        "sgemm_gflops": rate,
        "bandwidth_gbs": memory,
        "rounds": rounds,
        "results": results,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m convnb.bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="a small subset, batch 2")
    parser.add_argument("--rounds", type=int, default=5, help="timed calls per workload")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="limit NumPy (needs threadpoolctl) and PyTorch to N threads",
    )
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args(argv)
    report = run(quick=args.quick, rounds=args.rounds, threads=args.threads)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())


def load_report(name: str) -> dict:
    """A benchmark report shipped with the package (``convnb/data/bench-<name>.json``), as
    used by the performance chapter. ``name`` is for example ``"cpu-2-threads"``."""
    from importlib import resources

    text = resources.files("convnb").joinpath("data", f"bench-{name}.json").read_text()
    return json.loads(text)
