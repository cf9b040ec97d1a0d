"""Pictures of a benchmark report: rates, ratios, and the roofline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np

from ._style import COLORS, FONT, TITLE, WIDTH, _plain_log, group_color

if TYPE_CHECKING:
    import matplotlib.axes


def benchmark(
    report: Mapping[str, Any], *, axes: Sequence[matplotlib.axes.Axes] | None = None
) -> list[matplotlib.axes.Axes]:
    """Bar charts of a benchmark report (:mod:`convnb.bench`): GFLOP/s and time / PyTorch.

    Parameters
    ----------
    report : mapping
        A report as :func:`convnb.bench.load_report` returns it: ``"results"`` (one
        mapping per workload with ``"workload"``, ``"gflops"`` and ``"ratio"``, the time
        of convnb over PyTorch's or None), ``"sgemm_gflops"``, and optionally
        ``"threads"`` and ``"torch"`` (PyTorch's version).
    axes : sequence of two matplotlib.axes.Axes, optional
        Where to draw the rates and the ratios; a new figure (one above the other) if
        omitted.

    Returns
    -------
    list of matplotlib.axes.Axes
        ``[rates, ratios]``: horizontal bars, one per workload, in the report's order.

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
        # one above the other: side by side, the names and bars would not fit a phone
        _, axes = plt.subplots(
            2, 1, figsize=(WIDTH, 2 * (0.24 * len(rows) + 1.3)), layout="constrained"
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
    axes[0].set_xlabel("GFLOP/s (2 x multiply-accumulates per second)", fontsize=FONT, loc="right")
    axes[0].legend(fontsize=FONT, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
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
        "convnb time / PyTorch time (lower is better;\n"
        "whiskers: range over rounds; hatched: noisy)",
        fontsize=FONT,
        loc="right",
    )
    for ax in axes:
        ax.set_yticks(y, names, fontsize=FONT)
        ax.invert_yaxis()
        ax.tick_params(axis="x", labelsize=FONT)
    threads = report.get("threads") or "default"
    axes[0].set_title(f"convnb on NumPy, {threads} thread(s)", fontsize=TITLE, pad=24, loc="right")
    axes[1].set_title(
        f"against PyTorch {report.get('torch') or '(not installed)'}", fontsize=TITLE, loc="right"
    )
    return list(axes)


def roofline(
    report: Mapping[str, Any], *, ax: matplotlib.axes.Axes | None = None
) -> matplotlib.axes.Axes:
    """Each workload placed by arithmetic intensity (FLOP per byte moved) and GFLOP/s.

    The two ceilings are this machine's measured memory bandwidth (a slope: GB/s times
    FLOP/byte) and its float32 matrix-multiply rate (flat). A layer below the slope's part of
    the roof is limited by memory, below the flat part by arithmetic.

    Parameters
    ----------
    report : mapping
        A report as :func:`convnb.bench.load_report` returns it: ``"results"`` (one
        mapping per workload with ``"workload"``, ``"kind"``, ``"intensity"`` in FLOP per
        byte and ``"gflops"``), ``"bandwidth_gbs"`` and ``"sgemm_gflops"``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure if omitted. The legend goes on the axes' figure.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on, both scales logarithmic; point ``i + 1`` is workload ``i``,
        coloured by its kind.

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
        _, ax = plt.subplots(figsize=(WIDTH, 0.22 * len(rows) + 5.4), layout="constrained")
    bandwidth, peak = report["bandwidth_gbs"], report["sgemm_gflops"]
    intensity = np.array([r["intensity"] for r in rows])
    rate = np.array([r["gflops"] for r in rows])
    xs = np.logspace(np.log10(min(intensity.min(), 0.5) / 2), np.log10(intensity.max() * 3), 100)
    (roof,) = ax.plot(
        xs,
        np.minimum(bandwidth * xs, peak),
        color=COLORS["focus"],
        linewidth=1.5,
        label=f"roof: {bandwidth:.0f} GB/s, {peak:.0f} GFLOP/s",
    )
    kinds = sorted({r["kind"] for r in rows})
    handles = [
        ax.scatter(
            intensity[i],
            rate[i],
            color=group_color(kinds.index(r["kind"])),
            edgecolor="black",
            zorder=3,
            label=f"{i + 1}  {r['workload']}",
        )
        for i, r in enumerate(rows)
    ]
    ax.set(xscale="log", yscale="log")
    _plain_log(ax.xaxis)
    _plain_log(ax.yaxis)
    # each point's number in a column right of the axes, in the order of the points'
    # heights, joined to its point: points close together cannot make labels collide
    order = sorted(range(len(rows)), key=lambda i: rate[i])
    for slot, i in enumerate(order):
        ax.annotate(
            str(i + 1),
            (intensity[i], rate[i]),
            xytext=(1.03, (slot + 0.5) / len(rows)),
            textcoords="axes fraction",
            fontsize=FONT,
            va="center",
            arrowprops=dict(arrowstyle="-", color="#999999", linewidth=0.6),
        )
    ax.set_xlabel("arithmetic intensity\n(FLOP per byte of input, weights, output)")
    ax.set_ylabel("GFLOP/s")
    ax.tick_params(which="both", labelsize=FONT)
    ax.figure.legend(
        handles=[roof, *handles], loc="outside lower center", fontsize=FONT, frameon=False
    )
    ax.set_title("where each layer sits\nunder the machine's roof", fontsize=TITLE)
    return ax
