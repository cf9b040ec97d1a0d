"""Pictures of a benchmark report: rates, ratios, and the roofline."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ._style import COLORS, group_color


def benchmark(report, *, axes=None):
    """Bar charts of a benchmark report (:mod:`convnb.bench`): GFLOP/s and time / PyTorch.

    Returns
    -------
    list of matplotlib.axes.Axes

    Examples
    --------
    >>> from convnb import bench
    >>> axes = benchmark(bench.load_report("cpu-2-threads"))
    >>> axes[0].get_xlabel()
    'GFLOP/s (2 x multiply-accumulates per second)'
    >>> plt.close(axes[0].figure)
    """
    rows = report["results"]
    names = [r["workload"] for r in rows]
    if axes is None:
        _, axes = plt.subplots(
            1, 2, figsize=(11, 0.32 * len(rows) + 1.4), sharey=True, layout="constrained"
        )
    y = np.arange(len(rows))
    rate = [r["gflops"] for r in rows]
    axes[0].barh(y, rate, color=COLORS["output"], edgecolor=COLORS["edge"])
    axes[0].axvline(
        report["sgemm_gflops"],
        color=COLORS["focus"],
        linestyle="--",
        label=f"float32 matrix multiply: {report['sgemm_gflops']:.0f}",
    )
    axes[0].set_yticks(y, names, fontsize=8)
    axes[0].invert_yaxis()
    axes[0].set_xlabel("GFLOP/s (2 x multiply-accumulates per second)")
    axes[0].legend(fontsize=8, loc="lower right")
    ratios = [r["ratio"] if r["ratio"] is not None else np.nan for r in rows]
    bars = axes[1].barh(y, ratios, color=COLORS["kernel"], edgecolor=COLORS["edge"])
    if all("convnb_ms_min" in r and r["ratio"] is not None for r in rows):
        # the range of ratios the rounds allow: fastest over slowest to slowest over fastest
        low = [r["ratio"] - r["convnb_ms_min"] / r["torch_ms_max"] for r in rows]
        high = [r["convnb_ms_max"] / r["torch_ms_min"] - r["ratio"] for r in rows]
        axes[1].errorbar(ratios, y, xerr=[low, high], fmt="none", ecolor="black", capsize=2)
        for bar, r in zip(bars, rows):
            if r.get("noisy"):
                bar.set_hatch("///")
                bar.set_alpha(0.5)
    axes[1].axvline(1.0, color=COLORS["focus"], linewidth=1)
    axes[1].set_xlabel(
        "time of convnb / time of PyTorch (lower is better; whiskers: range over rounds, "
        "hatched: noisy)"
    )
    threads = report.get("threads") or "default"
    axes[0].set_title(f"convnb on NumPy, {threads} thread(s)", fontsize=10)
    axes[1].set_title(f"against PyTorch {report.get('torch') or '(not installed)'}", fontsize=10)
    return list(axes)


def roofline(report, *, ax=None):
    """Each workload placed by arithmetic intensity (FLOP per byte moved) and GFLOP/s.

    The two ceilings are this machine's measured memory bandwidth (a slope: GB/s times
    FLOP/byte) and its float32 matrix-multiply rate (flat). A layer below the slope's part of
    the roof is limited by memory, below the flat part by arithmetic.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from convnb import bench
    >>> ax = roofline(bench.load_report("cpu-2-threads"))
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    >>> plt.close(ax.figure)
    """
    rows = report["results"]
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 5), layout="constrained")
    bandwidth, peak = report["bandwidth_gbs"], report["sgemm_gflops"]
    intensity = np.array([r["intensity"] for r in rows])
    rate = np.array([r["gflops"] for r in rows])
    xs = np.logspace(np.log10(min(intensity.min(), 0.5) / 2), np.log10(intensity.max() * 3), 100)
    ax.plot(
        xs,
        np.minimum(bandwidth * xs, peak),
        color=COLORS["focus"],
        linewidth=1.5,
        label=f"roof: {bandwidth:.0f} GB/s, {peak:.0f} GFLOP/s",
    )
    kinds = sorted({r["kind"] for r in rows})
    for k, kind in enumerate(kinds):
        pick = [i for i, r in enumerate(rows) if r["kind"] == kind]
        ax.scatter(
            intensity[pick],
            rate[pick],
            color=group_color(k),
            edgecolor="black",
            zorder=3,
            label=kind,
        )
    for r, x, y in zip(rows, intensity, rate):
        ax.annotate(
            r["workload"].split(" ")[0] + " " + r["workload"].split(" ")[1],
            (x, y),
            fontsize=7,
            xytext=(4, -3),
            textcoords="offset points",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("arithmetic intensity (FLOP per byte of input, weights and output)")
    ax.set_ylabel("GFLOP/s")
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("where each layer sits under the machine's roof", fontsize=10)
    return ax
