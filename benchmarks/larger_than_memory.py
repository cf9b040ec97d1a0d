"""A stack of convolutions on an image several times larger than a worker's memory.

    python benchmarks/larger_than_memory.py                       # 4 GiB input, 1 GiB/worker
    python benchmarks/larger_than_memory.py --input-gib 0.0625 --memory-limit 0.5GiB  # smoke

A LocalCluster of ``--workers`` worker processes (one thread each), each with
``--memory-limit``, runs :func:`convnb.tiled.conv_stack` (3x3, ReLU, 3x3 dilated 2, ReLU,
1x1: receptive field 7) on a float32 image ``(1, C, H, W)`` of ``--input-gib`` GiB that is
never in memory: it is generated lazily, chunk by chunk, by ``dask.array.random`` with a
seed. The result goes to disk with ``dask.array.store`` into a zarr array whose chunks are
the output's chunks (so no locks).

Memory is measured two ways, both printed:

* per worker: a thread in this process reads each worker process's resident set size
  (``psutil``, every ``--interval`` seconds) and keeps the maximum; this is the number to
  compare with ``--memory-limit``;
* distributed's own ``MemorySampler`` (``measure="process"``): the cluster's total, sampled
  by the scheduler.

The script then checks the zarr output against the same layers run in memory (the whole
output for inputs up to 256 MiB, else one interior tile from its input window with its
halo), and exits with status 1 if the peak of any worker reached the limit, a worker was
restarted, or the check failed. The output has as many channels as the input, so it needs
about ``--input-gib`` free on the disk of ``--out``; the input is never written.
Needs the ``dask`` extra (``pip install -e .[dask]``) and ``zarr``.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
import threading
import time

import dask
import dask.array as da
import numpy as np
import psutil
import zarr
from dask.utils import parse_bytes
from distributed import Client, LocalCluster
from distributed.diagnostics import MemorySampler

import convnb
from convnb import tiled


def stack(channels: int, seed: int = 0):
    """The layers: (weight, bias, kwargs), receptive field 1 + 2 + 4 = 7."""
    rng = np.random.default_rng(seed)
    hidden = 2 * channels

    def w(*shape):
        return (rng.standard_normal(shape) / math.sqrt(math.prod(shape[1:]))).astype(np.float32)

    return [
        (w(hidden, channels, 3, 3), np.zeros(hidden, np.float32), {"padding": "same"}),
        (w(hidden, hidden, 3, 3), np.zeros(hidden, np.float32), {"padding": 2, "dilation": 2}),
        (w(channels, hidden, 1, 1), None, {}),
    ]


def relu(y):
    return np.maximum(y, 0)


class RssPeaks:
    """Poll each worker process's resident set size; keep the maximum per worker."""

    def __init__(self, pids: dict[str, int], interval: float):
        self.processes = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.peaks = dict.fromkeys(pids, 0)
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            for name, process in self.processes.items():
                try:
                    self.peaks[name] = max(self.peaks[name], process.memory_info().rss)
                except psutil.Error:
                    pass
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input-gib", type=float, default=4.0, help="input size in GiB")
    parser.add_argument("--memory-limit", default="1GiB", help="per worker (dask syntax)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--channels", type=int, default=4)
    parser.add_argument(
        "--chunk",
        type=int,
        default=512,
        help="spatial chunk side (1024 stalled under a 1 GiB limit: a worker pauses at 80%%)",
    )
    parser.add_argument("--out", default="/tmp/convnb_larger_than_memory.zarr")
    parser.add_argument("--interval", type=float, default=0.05, help="RSS polling, seconds")
    parser.add_argument("--keep", action="store_true", help="keep the zarr output")
    args = parser.parse_args(argv)

    limit = parse_bytes(args.memory_limit)
    c = args.channels
    side = int(math.sqrt(args.input_gib * 2**30 / (4 * c)))
    side -= side % args.chunk if side > args.chunk else 0
    chunk = min(args.chunk, side)
    layers = stack(c)
    x = da.random.default_rng(42).standard_normal(
        (1, c, side, side), chunks=(1, c, chunk, chunk), dtype=np.float32
    )
    y = tiled.conv_stack(x, layers, activation=relu)
    plan = tiled.tile_plan(
        [{"kernel_size": w.shape[-1], **kw} for w, _, kw in layers], side, x.chunks[2]
    )
    print(f"input  {x.shape} float32, {x.nbytes / 2**30:.2f} GiB in {x.npartitions} chunks")
    print(f"output {y.shape} {y.dtype}, {y.nbytes / 2**30:.2f} GiB -> {args.out}")
    print(
        f"receptive field {plan.receptive_field}, halo {plan.halo} per axis; "
        f"{args.workers} workers x 1 thread, memory limit {limit / 2**30:.2f} GiB each "
        f"(input / limit = {x.nbytes / limit:.1f})"
    )
    folder = os.path.dirname(os.path.abspath(args.out))
    print(f"free disk at {folder}: {shutil.disk_usage(folder).free / 2**30:.1f} GiB")

    # No spilling to disk: the point is that the tiles fit, not that Dask can page them out.
    dask.config.set({"distributed.worker.memory.target": False,
                     "distributed.worker.memory.spill": False})  # fmt: skip
    shutil.rmtree(args.out, ignore_errors=True)
    target = zarr.create_array(
        store=args.out, shape=y.shape, chunks=tuple(c[0] for c in y.chunks), dtype=y.dtype
    )
    with (
        LocalCluster(
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            memory_limit=limit,
            dashboard_address=None,
            silence_logs=40,
        ) as cluster,
        Client(cluster) as client,
    ):
        pids = client.run(os.getpid)
        idle = client.run(lambda: psutil.Process().memory_info().rss)
        sampler = MemorySampler()
        start = time.perf_counter()
        with RssPeaks(pids, args.interval) as rss, sampler.sample("stack", measure="process"):
            da.store(y, target, lock=False)
        elapsed = time.perf_counter() - start
        restarted = client.run(os.getpid) != pids
        total = max((v for _, v in sampler.samples["stack"]), default=float("nan"))

    peak = max(rss.peaks.values())
    print(f"stored in {elapsed:.1f} s ({x.nbytes / 2**20 / elapsed:.0f} MiB/s of input)")
    for name, value in sorted(rss.peaks.items()):
        print(
            f"worker {name}: RSS idle {idle[name] / 2**20:.0f} MiB, peak {value / 2**20:.0f} MiB"
        )
    print(
        f"peak worker RSS {peak / 2**20:.0f} MiB = {peak / limit:.0%} of the limit; "
        f"cluster total (MemorySampler) peak {total / 2**20:.0f} MiB; "
        f"workers restarted: {restarted}"
    )

    ok = check(x, layers, target, plan) and peak < limit and not restarted
    if not args.keep:
        shutil.rmtree(args.out, ignore_errors=True)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def in_memory(x, layers):
    """The same stack on a NumPy array, layer after layer (the reference)."""
    for n, (w, bias, kwargs) in enumerate(layers):
        x = convnb.conv(x, w, bias, **kwargs)
        if n + 1 < len(layers):
            x = relu(x)
    return x


def check(x, layers, target, plan) -> bool:
    """Compare the zarr output with the stack run in memory.

    Small inputs are compared whole. Larger ones: one interior tile, recomputed from its
    input window (chunk plus halo) with the layers' padding dropped, since an interior
    window needs none.
    """
    if x.nbytes <= 2**28:
        expected, stored, what = in_memory(x.compute(), layers), target[...], "whole output"
    else:
        tile = plan.tiles[len(plan.tiles) // 2]
        (a, b), (lo, hi) = tile.output, tile.inputs[0]
        window = x[..., lo:hi, lo:hi].compute(scheduler="threads")
        unpadded = [(w, bias, {**kw, "padding": 0}) for w, bias, kw in layers]
        expected, stored = in_memory(window, unpadded), target[..., a:b, a:b]
        what = f"tile [{a}:{b}]^2"
    error = float(np.max(np.abs(np.asarray(stored) - expected)) / np.max(np.abs(expected)))
    print(f"{what} recomputed in memory: max relative difference {error:.1e}")
    return error < 1e-5


if __name__ == "__main__":
    sys.exit(main())
