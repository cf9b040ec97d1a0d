"""Benchmark every convolution type against PyTorch, measured in the same run.

    python -m convnb.bench [--quick] [--threads N] [--rounds R] [--algorithm A] [--json FILE]

Each workload is timed in interleaved rounds (one convnb call, then one PyTorch call, per
round, after a warm-up call of each), so both see the same machine load. A row prints as
soon as it is measured: median, minimum and maximum of both, their ratio, the spread, and
convnb's effective GFLOP/s; the header printed first explains each column and records the
processor and the threads in effect. A row whose spread exceeds 25% of its median is
measured again (twice at most) and marked noisy if it stays so. ``--threads N`` is refused
unless both NumPy's thread pools (through threadpoolctl) and PyTorch report N threads.
``--json`` writes the same numbers. Nothing here asserts a speed: compare ratios within one
run.
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import convnb
from convnb import algorithms, arithmetic


@dataclass
class Workload:
    name: str
    kind: str  # conv, separable, spatial, transposed
    x: tuple
    weights: tuple  # weight shapes, in the order the call takes them
    kwargs: dict = field(default_factory=dict)


def workloads(quick: bool) -> list[Workload]:
    n = 2 if quick else 8

    def conv(name, x, weight, **kwargs):
        return Workload(name, "conv", x, (weight,), kwargs)

    table = [
        conv("dense 3x3 s1 64->64 56x56", (n, 64, 56, 56), (64, 64, 3, 3), padding=1),
        conv(
            "dense 3x3 s2 128->256 28x28", (n, 128, 28, 28), (256, 128, 3, 3), padding=1, stride=2
        ),
        conv("pointwise 256->256 28x28", (n, 256, 28, 28), (256, 256, 1, 1)),
        conv(
            "grouped 3x3 g=32 256->256 28x28",
            (n, 256, 28, 28),
            (256, 8, 3, 3),
            padding=1,
            groups=32,
        ),
        conv("depthwise 3x3 C=256 28x28", (n, 256, 28, 28), (256, 1, 3, 3), padding=1, groups=256),
        conv("depthwise 3x3 C=32 112x112", (n, 32, 112, 112), (32, 1, 3, 3), padding=1, groups=32),
        conv("dense 3x3 s1 256->256 28x28", (n, 256, 28, 28), (256, 256, 3, 3), padding=1),
        Workload(
            "depthwise-separable 256->256 28x28",
            "separable",
            (n, 256, 28, 28),
            ((256, 1, 3, 3), (256, 256)),
            {"padding": 1},
        ),
        conv(
            "dilated 3x3 d=2 64->64 56x56", (n, 64, 56, 56), (64, 64, 3, 3), padding=2, dilation=2
        ),
        conv(
            "dilated 3x3 d=4 64->64 56x56", (n, 64, 56, 56), (64, 64, 3, 3), padding=4, dilation=4
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
        conv("7x7 s1 3->64 512x512", (1, 3, 512, 512), (64, 3, 7, 7), padding=3),
        conv("7x7 s1 64->64 56x56", (n, 64, 56, 56), (64, 64, 7, 7), padding=3),
        conv("11x11 s1 64->64 56x56", (n, 64, 56, 56), (64, 64, 11, 11), padding=5),
        conv("7x7 s2 3->64 512x512", (1, 3, 512, 512), (64, 3, 7, 7), padding=3, stride=2),
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


def convnb_call(w: Workload, algorithm: str = "auto"):
    """The convnb call for a workload: ``f(x, weights)``."""
    if w.kind == "conv":
        return lambda x, a: convnb.conv(x, a[0], algorithm=algorithm, **w.kwargs)
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
        o, _, *kernel = w.weights[0]
        return n * arithmetic.count_macs(c, o, kernel, _geometry(w).out, w.kwargs.get("groups", 1))
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
    return statistics.median(interleaved({"f": f}, rounds)["f"])


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
    n, _, *spatial = w.x
    if w.kind in ("separable", "spatial"):  # padding keeps the size
        return n * w.weights[-1][0] * math.prod(spatial)
    if w.kind == "transposed":
        _, c_out, *kernel = w.weights[0]
        s, p = w.kwargs.get("stride", 1), w.kwargs.get("padding", 0)
        out = [
            arithmetic.conv_transpose_output_size(i, kk, s, p) for i, kk in zip(spatial, kernel)
        ]
        return n * c_out * math.prod(out)
    return n * w.weights[0][0] * math.prod(_geometry(w).out)


def _geometry(w: Workload) -> arithmetic.Geometry:
    """The geometry of a ``"conv"`` workload."""
    k = w.kwargs
    return arithmetic.geometry(
        w.x[2:], w.weights[0][2:], k.get("stride", 1), k.get("padding", 0), k.get("dilation", 1)
    )


def sgemm_rate(size=1024, rounds=5) -> float:
    """This machine's float32 matrix-multiply rate in GFLOP/s (a square product)."""
    a = np.random.default_rng(0).standard_normal((size, size), dtype=np.float32)
    t = median_time(lambda: a @ a, rounds)
    return 2 * size**3 / t / 1e9


NOISY = 0.25  # a row whose spread, (max - min) / median, exceeds this is re-measured


def cpu_info() -> dict:
    """The processor as the operating system reports it (a hypervisor may mask the model).

    Returns
    -------
    dict
        ``model``, ``logical_cpus``, and from ``/proc/cpuinfo`` where it exists ``family``,
        ``model_number``, ``mhz``, the SIMD flags ``simd`` and ``hypervisor``.
    """
    info = {"model": platform.processor() or platform.machine(), "logical_cpus": os.cpu_count()}
    try:
        text = open("/proc/cpuinfo").read()
    except OSError:
        return info
    fields = dict(
        line.split(":", 1) for line in text.splitlines()[:40] if ":" in line and line.strip()
    )
    fields = {k.strip(): v.strip() for k, v in fields.items()}
    flags = set(fields.get("flags", "").split())
    info.update(
        model=fields.get("model name", info["model"]),
        family=fields.get("cpu family"),
        model_number=fields.get("model"),
        mhz=fields.get("cpu MHz"),
        simd=sorted(f for f in flags if f.startswith(("avx", "fma", "sse4"))),
        hypervisor="hypervisor" in flags,
    )
    return info


def threads_in_effect(torch: Any) -> dict:
    """Threads each library will use now, as they report it, and the variables that steer them.

    Parameters
    ----------
    torch : module or None
        PyTorch, if installed.

    Returns
    -------
    dict
        ``numpy_pools`` (threadpoolctl's view of NumPy's BLAS and OpenMP pools), ``torch``
        (``torch.get_num_threads()``) and ``environment`` (the thread and OpenBLAS variables
        that are set, such as ``OPENBLAS_CORETYPE``).
    """
    pools = []
    try:
        from threadpoolctl import threadpool_info

        pools = [
            {k: p.get(k) for k in ("user_api", "internal_api", "num_threads", "architecture")}
            for p in threadpool_info()
        ]
    except ImportError:
        pass
    env = {
        k: os.environ[k]
        for k in (
            "OMP_NUM_THREADS",
            "OPENBLAS_NUM_THREADS",
            "MKL_NUM_THREADS",
            "OPENBLAS_CORETYPE",
            "OPENBLAS_L2_SIZE",
        )
        if k in os.environ
    }
    return {
        "numpy_pools": pools,
        "torch": torch.get_num_threads() if torch is not None else None,
        "environment": env,
    }


def limit_threads(threads: int, torch: Any) -> Any:
    """Limit NumPy's pools and PyTorch to ``threads``, or raise SystemExit saying why not.

    Parameters
    ----------
    threads : int
        The number of threads both libraries must use.
    torch : module or None
        PyTorch, if installed.

    Returns
    -------
    threadpoolctl.threadpool_limits
        The limiter; ``unregister()`` it to restore the previous limits.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        raise SystemExit(
            f"--threads {threads}: threadpoolctl is not installed, so NumPy's threads cannot "
            f"be limited (pip install threadpoolctl, or run without --threads)"
        ) from None
    limiter = threadpool_limits(limits=threads)
    if torch is not None:
        torch.set_num_threads(threads)
    state = threads_in_effect(torch)
    wrong = [p for p in state["numpy_pools"] if p["num_threads"] != threads]
    if not state["numpy_pools"] or wrong or (torch is not None and state["torch"] != threads):
        limiter.unregister()
        raise SystemExit(
            f"--threads {threads} could not be enforced: NumPy pools {state['numpy_pools']}, "
            f"PyTorch {state['torch']}"
        )
    return limiter


def interleaved(fs: dict, rounds: int) -> dict:
    """Times of each function in ``fs``, one call of each per round (after a warm-up call).

    Parameters
    ----------
    fs : dict of str to callable
        The functions to time, in the order they run in each round.
    rounds : int
        Number of rounds.

    Returns
    -------
    dict of str to list of float
        Seconds per call, ``rounds`` of them per function.
    """
    for f in fs.values():
        f()
    times = {name: [] for name in fs}
    for _ in range(rounds):
        for name, f in fs.items():
            start = time.perf_counter()
            f()
            times[name].append(time.perf_counter() - start)
    return times


def spread(times: Sequence[float]) -> float:
    """(max - min) / median of a list of times.

    Parameters
    ----------
    times : list of float
        Times of one function.

    Returns
    -------
    float
        The spread, as a fraction of the median.
    """
    return (max(times) - min(times)) / statistics.median(times)


def measure(fs: dict, rounds: int, retries: int = 2) -> tuple[dict, bool]:
    """Interleaved times; a noisy measurement is repeated, and the steadiest one kept.

    Parameters
    ----------
    fs : dict of str to callable
        The functions to time (see :func:`interleaved`).
    rounds : int
        Rounds per measurement.
    retries : int, default 2
        Further measurements while the worst spread exceeds ``NOISY``.

    Returns
    -------
    tuple of (dict, bool)
        The steadiest measurement's times, and whether it is still noisy.
    """
    best = None
    for _ in range(1 + retries):
        times = interleaved(fs, rounds)
        worst = max(spread(t) for t in times.values())
        if best is None or worst < best[0]:
            best = (worst, times)
        if worst <= NOISY:
            break
    return best[1], best[0] > NOISY


def _algorithm(w: Workload, algorithm: str) -> str:
    if w.kind != "conv":
        return "-"
    if algorithm != "auto":
        return algorithm
    stride, dilation, _, out = _geometry(w)
    x, weight = np.empty(w.x, dtype=np.float32), np.empty(w.weights[0], dtype=np.float32)
    return algorithms.choose(x, weight, w.kwargs.get("groups", 1), stride, dilation, out)


HEADER = """\
columns:
  alg          the algorithm convnb ran (what algorithm="{algorithm}" resolved to)
  convnb ms    median time of one call, over {rounds} rounds interleaved with PyTorch's
  [min-max]    fastest and slowest of those rounds
  torch ms     PyTorch CPU, the same layer, float32, in the same rounds
  ratio        median convnb / median torch (below 1: convnb is faster)
  spread       (max - min) / median, the worse of the two; "noisy" above {noisy:.0%} after
               {retries} re-measurements: do not trust that row's ratio
  GFLOP/s      2 x the definition's multiply-accumulates / convnb's median time. Winograd and
               FFT do fewer multiplications, so for them this is an effective rate
  %mm          that rate / the measured sgemm rate above (not the processor's peak);
               above 100% (shown as >100%) only when the algorithm does fewer multiplications
  scratch MiB  peak memory NumPy allocated during one call (tracemalloc)"""


def _line(row: dict) -> str:
    """One row of the printed table (see ``HEADER``); ``-`` for what PyTorch did not run."""

    def columns(name):  # the median and [min-max] columns of one library
        ms, lo, hi = (row[f"{name}_{key}"] for key in ("ms", "ms_min", "ms_max"))
        return f"{'-':>9} {'-':>15}" if ms is None else f"{ms:9.2f} {f'[{lo:.1f}-{hi:.1f}]':>15}"

    ratio, share = row["ratio"], row["sgemm_share"]
    return (
        f"{row['workload']:<40} {row['algorithm']:<9} {columns('convnb')} {columns('torch')} "
        f"{'-' if ratio is None else format(ratio, '.2f'):>6} "
        f"{'noisy' if row['noisy'] else format(row['spread'], '.0%'):>6} {row['gflops']:8.1f} "
        f"{'>100%' if share > 1 else format(share, '.0%'):>5} {row['scratch_mib']:11.1f}"
    )


def run(
    quick=False, rounds=5, threads=None, out=None, algorithm="auto", only=None, retries=2
) -> dict:
    """Measure every workload; print one row per workload as it finishes; return the report.

    Parameters
    ----------
    quick : bool
        A small subset at batch 2.
    rounds : int
        Interleaved rounds per workload (each round: one convnb call, one PyTorch call).
    threads : int, optional
        Limit NumPy and PyTorch to this many threads; refused (SystemExit) if it cannot be
        enforced. None keeps the libraries' defaults, which the report records.
    out : file, optional
        Where the table goes (standard output by default).
    algorithm : str
        The ``algorithm`` argument of every convnb conv call.
    only : str, optional
        Run only workloads whose name contains this text.
    retries : int
        How many times a noisy workload is measured again.

    Returns
    -------
    dict
        The machine, the threads in effect, and one row per workload (see ``HEADER``).
    """
    out = sys.stdout if out is None else out
    try:
        import torch
    except ImportError:
        torch = None
    limiter = limit_threads(threads, torch) if threads is not None else None
    state = threads_in_effect(torch)
    cpu = cpu_info()
    rate = sgemm_rate()
    memory = bandwidth()
    rng = np.random.default_rng(0)
    results = []

    def say(text=""):
        print(text, file=out, flush=True)

    say(
        f"cpu: {cpu['model']} (family {cpu.get('family')}, model {cpu.get('model_number')}, "
        f"{cpu.get('logical_cpus')} logical"
        f"{', under a hypervisor that may mask the model' if cpu.get('hypervisor') else ''}); "
        f"NumPy {np.__version__}, PyTorch {torch.__version__ if torch else 'not installed'}"
    )
    pools = ", ".join(
        f"{p['internal_api']} {p['num_threads']}"
        + (f" ({p['architecture']})" if p.get("architecture") else "")
        for p in state["numpy_pools"]
    )
    say(
        f"threads in effect: NumPy pools [{pools or 'unknown: threadpoolctl not installed'}], "
        f"PyTorch {state['torch']}; requested: {threads if threads else 'library defaults'}"
    )
    if state["environment"]:
        say(f"environment: {state['environment']}")
    say(f"measured sgemm (1024^2, float32): {rate:.0f} GFLOP/s; copy bandwidth: {memory:.1f} GB/s")
    say(HEADER.format(algorithm=algorithm, rounds=rounds, noisy=NOISY, retries=retries))
    say(
        f"{'workload':<40} {'alg':<9} {'convnb ms':>9} {'[min-max]':>15} {'torch ms':>9} "
        f"{'[min-max]':>15} {'ratio':>6} {'spread':>6} {'GFLOP/s':>8} {'%mm':>5} "
        f"{'scratch MiB':>11}"
    )
    for w in workloads(quick):
        if only and only not in w.name:
            continue
        x = rng.standard_normal(w.x, dtype=np.float32)
        weights = [rng.standard_normal(s, dtype=np.float32) for s in w.weights]
        fs = {"convnb": functools.partial(convnb_call(w, algorithm), x, weights)}
        if torch is not None:
            tx = torch.from_numpy(x)
            tw = [torch.from_numpy(a) for a in weights]
            tcall = torch_call(w, torch)

            def torch_f(tcall=tcall, tx=tx, tw=tw):
                with torch.no_grad():
                    tcall(tx, tw)

            fs["torch"] = torch_f
        times, noisy = measure(fs, rounds, retries)
        tracemalloc.start()
        fs["convnb"]()
        scratch = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        row = {"workload": w.name, "kind": w.kind, "algorithm": _algorithm(w, algorithm)}
        # convnb_ms, convnb_ms_min, convnb_ms_max and torch_ms, ... (None without PyTorch)
        for name in ("convnb", "torch"):
            t = times.get(name)
            for key, f in (("ms", statistics.median), ("ms_min", min), ("ms_max", max)):
                row[f"{name}_{key}"] = None if t is None else f(t) * 1e3
        gflops = 2 * macs(w) / (row["convnb_ms"] / 1e3) / 1e9
        row.update(
            ratio=None if row["torch_ms"] is None else row["convnb_ms"] / row["torch_ms"],
            spread=max(spread(t) for t in times.values()),
            noisy=noisy,
            gflops=gflops,
            sgemm_share=gflops / rate,
            scratch_mib=scratch,
            macs=macs(w),
            bytes=traffic(w),
            intensity=2 * macs(w) / traffic(w),
        )
        results.append(row)
        say(_line(row))
    if limiter is not None:
        limiter.unregister()
    return {
        "provisional": False,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": platform.machine(),
        "cpu": cpu,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__ if torch else None,
        "threads": threads,
        "threads_in_effect": state,
        "algorithm": algorithm,
        "sgemm_gflops": rate,
        "bandwidth_gbs": memory,
        "rounds": rounds,
        "noisy_above": NOISY,
        "retries": retries,
        "results": results,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m convnb.bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="a small subset, batch 2")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds per workload")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="limit NumPy (through threadpoolctl) and PyTorch to N threads; refused if it "
        "cannot be enforced",
    )
    parser.add_argument(
        "--algorithm", default="auto", choices=algorithms.ALGORITHMS, help="convnb's algorithm"
    )
    parser.add_argument("--only", metavar="TEXT", help="only workloads whose name has TEXT")
    parser.add_argument(
        "--retries", type=int, default=2, help="re-measurements of a noisy workload"
    )
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument(
        "--provisional",
        action="store_true",
        help="mark the JSON as provisional (measured on a loaded machine)",
    )
    args = parser.parse_args(argv)
    if args.threads is not None and args.threads < 1:
        parser.error(f"--threads {args.threads} must be positive")
    report = run(
        quick=args.quick,
        rounds=args.rounds,
        threads=args.threads,
        algorithm=args.algorithm,
        only=args.only,
        retries=args.retries,
    )
    report["provisional"] = args.provisional
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    return 0


def load_report(name: str) -> dict:
    """A benchmark report shipped with the package, as the book's chapters use it.

    Parameters
    ----------
    name : str
        ``convnb/data/bench-<name>.json``, for example ``"cpu-2-threads"``.

    Returns
    -------
    dict
        The report :func:`run` wrote. Only reports that carry each row's spread (min and
        max of interleaved rounds) load: a median alone cannot say whether to trust it.

    Examples
    --------
    >>> report = load_report("cpu-2-threads")
    >>> {"convnb_ms_min", "torch_ms_max", "noisy"} <= set(report["results"][0])
    True
    """
    from importlib import resources

    text = resources.files("convnb").joinpath("data", f"bench-{name}.json").read_text()
    report = json.loads(text)
    if any("convnb_ms_min" not in r or "noisy" not in r for r in report["results"]):
        raise ValueError(f"bench-{name}.json has no spread per row; re-measure it")
    return report


if __name__ == "__main__":
    sys.exit(main())
