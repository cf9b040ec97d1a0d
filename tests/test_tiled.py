"""convnb.tiled: Dask arrays convolved tile by tile equal the same layers run in memory.

The reference is the in-memory ``convnb.conv`` applied to the whole array, layer after
layer (it is itself checked against plain loops and PyTorch in test_conv.py); what is under
test here is the tiling: halos, padding at the image's edges, stride alignment, merged
chunks. Every configuration runs on Dask's threaded scheduler and on a LocalCluster of two
worker processes.
"""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pytest

import convnb
from convnb import tiled

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

N_CONFIGS = 120
MODES = ("zeros", "reflect", "replicate", "circular")


def _chunks(size, jump, rng, most=2):
    """A random chunking of ``size`` in at most ``most + 1`` chunks, aligned to ``jump``."""
    aligned = range(jump, size, jump)
    n_cuts = min(len(aligned), int(rng.integers(0, most + 1)))
    cuts = sorted(rng.choice(aligned, size=n_cuts, replace=False))
    edges = [0, *(int(c) for c in cuts), size]
    return tuple(b - a for a, b in itertools.pairwise(edges))


def _padding(rng, nd):
    kind = rng.integers(4)
    if kind == 0:
        return "same"
    if kind == 1:
        return "valid"
    if kind == 2:
        return int(rng.integers(0, 3))
    return [tuple(int(p) for p in rng.integers(0, 3, size=2)) for _ in range(nd)]


def _layer(rng, nd, c_in, *, first):
    groups = int(rng.choice([g for g in (1, 2, 3) if c_in % g == 0]))
    c_out = groups * int(rng.integers(1, 3))
    kernel = tuple(int(k) for k in rng.integers(1, 4, size=nd))
    kwargs = {
        "stride": tuple(int(s) for s in rng.integers(1, 3, size=nd)),
        "dilation": tuple(int(d) for d in rng.integers(1, 3, size=nd)),
        "padding": _padding(rng, nd),
        "groups": groups,
    }
    if first and rng.random() < 0.4:
        kwargs["padding_mode"] = str(rng.choice(MODES[1:]))
    weight = rng.standard_normal((c_out, c_in // groups, *kernel))
    bias = rng.standard_normal(c_out) if rng.random() < 0.5 else None
    return weight, bias, kwargs


def _config(seed):
    """x as NumPy, its Dask chunks, the layers and the activation of one random stack."""
    rng = np.random.default_rng(seed)
    nd = int(rng.choice([1, 2, 2, 2, 3]))
    while True:
        c_in = int(rng.integers(1, 5))
        spatial = tuple(
            int(s) for s in rng.integers(5 if nd == 3 else 6, 9 if nd == 3 else 20, nd)
        )
        layers, c = [], c_in
        for n in range(int(rng.integers(1, 4))):
            layer = _layer(rng, nd, c, first=n == 0)
            layers.append(layer)
            c = layer[0].shape[0]
        try:
            reference = _in_memory(np.zeros((1, c_in, *spatial)), layers, None)
        except ValueError:  # a kernel longer than its padded input, or reflect too wide
            continue
        if reference.size:
            break
    x = rng.standard_normal((int(rng.integers(1, 4)), c_in, *spatial))
    jumps = [int(np.prod([kw["stride"][a] for _, _, kw in layers])) for a in range(nd)]
    chunks = (
        _chunks(x.shape[0], 1, rng, most=1),
        (c_in,),
        *tuple(_chunks(s, j, rng, most=1 if nd == 3 else 2) for s, j in zip(spatial, jumps)),
    )
    activation = np.tanh if rng.random() < 0.5 else None
    return x, chunks, layers, activation


def _in_memory(x, layers, activation):
    for n, (weight, bias, kwargs) in enumerate(layers):
        x = convnb.conv(x, weight, bias, **kwargs)
        if activation is not None and n + 1 < len(layers):
            x = activation(x)
    return x


def _lazy(x, chunks, layers, activation):
    dx = da.from_array(x, chunks=chunks)
    if len(layers) == 1 and activation is None:
        weight, bias, kwargs = layers[0]
        return convnb.conv(dx, weight, bias, **kwargs)  # the entry point dispatches to tiled
    return tiled.conv_stack(dx, layers, activation=activation)


def _all_configs():
    return [_config(seed) for seed in range(N_CONFIGS)]


@pytest.fixture(scope="module")
def cluster_client():
    """One LocalCluster with two worker processes for this module, stopped at its end."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _check_all(compute):
    configs = _all_configs()
    lazies = [_lazy(*config) for config in configs]
    results = compute(lazies)
    for n, ((x, _chunks, layers, activation), result) in enumerate(zip(configs, results)):
        expected = _in_memory(x, layers, activation)
        assert result.shape == expected.shape, n
        np.testing.assert_allclose(result, expected, rtol=1e-10, atol=1e-10, err_msg=f"seed {n}")


def test_threaded_scheduler_agrees_with_in_memory_conv():
    import dask

    _check_all(lambda lazies: dask.compute(*lazies, scheduler="threads"))


def test_local_cluster_agrees_with_in_memory_conv(cluster_client):
    _check_all(lambda lazies: cluster_client.gather(cluster_client.compute(lazies)))


def test_random_configurations_cover_the_features():
    configs = _all_configs()
    kwargs = [kw for _, _, layers, _ in configs for _, _, kw in layers]
    assert len(configs) >= 100
    assert {x.ndim - 2 for x, *_ in configs} == {1, 2, 3}
    assert sum(len(layers) > 1 for _, _, layers, _ in configs) >= 30
    assert sum(max(kw["stride"]) > 1 for kw in kwargs) >= 30
    assert sum(max(kw["dilation"]) > 1 for kw in kwargs) >= 30
    assert sum(kw["groups"] > 1 for kw in kwargs) >= 20
    assert sum(kw["padding"] == "same" for kw in kwargs) >= 20
    assert {kw.get("padding_mode", "zeros") for kw in kwargs} == set(MODES)
    assert sum(len(c) > 1 for _, chunks, *_ in configs for c in chunks[2:]) >= 100


def test_each_task_reads_its_chunk_plus_one_halo(monkeypatch):
    """A 3-layer stack is one overlap in the graph, and each task gets chunk + halo."""
    plan = tiled.tile_plan([{"kernel_size": 3, "padding": 1}] * 3, 40, (10,) * 4)
    assert (plan.receptive_field, plan.halo, plan.pad_before) == (7, (3, 3), 3)
    assert [t.inputs[0] for t in plan.tiles] == [(-3, 13), (7, 23), (17, 33), (27, 43)]

    received = []

    def spy(block, *, layers, plans, activation, block_id):
        received.append(block.shape[2:])
        return run_tile(
            block, layers=layers, plans=plans, activation=activation, block_id=block_id
        )

    run_tile = tiled._run_tile
    monkeypatch.setattr(tiled, "_run_tile", spy)
    x = da.zeros((1, 1, 40, 40), chunks=(1, 1, 10, 10))
    y = tiled.conv_stack(x, [(np.ones((1, 1, 3, 3)), None, {"padding": 1})] * 3)
    assert sum(name.startswith("overlap") for name in y.dask.layers) == 1
    y.compute(scheduler="sync")
    assert sorted(set(received)) == [(16, 16)]
    assert len(received) == 16


def test_chunks_shorter_than_the_halo_are_merged():
    x = np.random.default_rng(1).standard_normal((1, 1, 24))
    weight = np.ones((1, 1, 5))
    y = convnb.conv(da.from_array(x, chunks=(1, 1, 2)), weight, dilation=3, padding="same")
    assert y.chunks[2] == (2, 6, 6, 6, 4)  # halo (6, 6): the first chunk also holds 6 zeros
    np.testing.assert_allclose(y.compute(), convnb.conv(x, weight, dilation=3, padding="same"))


def test_unbatched_input():
    x = np.arange(30.0).reshape(2, 15)
    weight = np.ones((3, 2, 3))
    y = convnb.conv(da.from_array(x, chunks=(2, 5)), weight, padding=1)
    assert y.shape == (3, 15)
    np.testing.assert_allclose(y.compute(), convnb.conv(x, weight, padding=1))


def test_float32_stays_float32():
    x = da.ones((1, 2, 8, 8), chunks=(1, 2, 4, 4), dtype=np.float32)
    y = convnb.conv(x, np.ones((1, 2, 3, 3), dtype=np.float32))
    assert y.dtype == np.float32 and y.compute().dtype == np.float32


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda x, w: convnb.conv(x.rechunk({1: 1}), w),
            ValueError,
            r"x must hold all its channels in one chunk, got x.chunks\[1\]=\(1, 1\)",
        ),
        (
            lambda x, w: convnb.conv(x, w, stride=(3, 1)),
            ValueError,
            r"x.chunks\[2\]=\(4, 4\) has a chunk boundary at 4, not a multiple of the stride 3",
        ),
        (
            lambda x, w: convnb.conv(x, da.from_array(w)),
            TypeError,
            r"weight must be in memory \(NumPy or CuPy\), got a Dask array",
        ),
        (
            lambda x, w: convnb.conv(x, w, np.ones(2)),
            ValueError,
            r"bias must have shape \(3,\), got \(2,\)",
        ),
        (lambda x, w: convnb.conv(x, w, stride=0), ValueError, "stride=0 must be positive"),
        (
            lambda x, w: convnb.conv(x, w, padding="full"),
            ValueError,
            "padding='full' is not one of",
        ),
        (
            lambda x, w: convnb.conv(x, w, groups=2),
            ValueError,
            "groups=2 does not divide out_channels=3",
        ),
        (
            lambda x, w: tiled.conv_stack(
                x,
                [
                    (w, None, {}),
                    (np.ones((1, 3, 3, 3)), None, {"padding": 1, "padding_mode": "reflect"}),
                ],
            ),
            ValueError,
            r"layers\[1\]: padding_mode='reflect': only the first layer",
        ),
        (
            lambda x, w: tiled.conv_stack(x, [(w, None, {}), (np.ones((1, 2, 3, 3)), None, {})]),
            ValueError,
            r"layers\[1\]: weight has 2 input channels per group, so groups=1 needs 2 input "
            r"channels, but layers\[0\] gives 3",
        ),
        (
            lambda x, w: tiled.conv_stack(x, [(w, None, {"pading": 1})]),
            ValueError,
            r"layers\[0\] kwargs must be a mapping with keys among",
        ),
        (
            lambda x, w: tiled.conv_stack(
                x.rechunk({2: (2, 6)}),
                [(np.ones((2, 2, 3, 3)), None, {"stride": 2, "padding": 1})] * 2,
            ),
            ValueError,
            r"x.chunks\[2\]=\(2, 6\) has a chunk boundary at 2, not a multiple of the product "
            r"of the layers' strides 4",
        ),
        (
            lambda x, w: convnb.conv(x.astype(int), w.astype(int)),
            TypeError,
            "x must have a floating-point",
        ),
    ],
)
def test_errors_name_the_argument(call, error, message):
    x = da.ones((1, 2, 8, 8), chunks=(1, 2, 4, 4))
    w = np.ones((3, 2, 3, 3))
    with pytest.raises(error, match=message):
        call(x, w)


def test_stacks_with_stride_need_boundaries_at_the_total_stride():
    x = da.ones((1, 2, 8, 8), chunks=(1, 2, 4, 4))
    w = np.ones((2, 2, 3, 3))
    y = tiled.conv_stack(x, [(w, None, {"stride": 2, "padding": 1})] * 2)  # jump 4: fine
    assert y.chunks[2:] == ((1, 1), (1, 1))


def test_importing_convnb_does_not_import_dask():
    code = "import sys, convnb; print(sorted(m for m in sys.modules if m.startswith('dask')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cupy_chunks():
    from tests.conftest import _cupy_or_reason

    cupy, reason = _cupy_or_reason()
    if cupy is None:
        pytest.skip(reason)
    x, chunks, layers, activation = _config(7)
    dx = da.from_array(cupy.asarray(x), chunks=chunks, asarray=False)
    gpu_layers = [
        (cupy.asarray(w), None if b is None else cupy.asarray(b), kw) for w, b, kw in layers
    ]
    y = tiled.conv_stack(dx, gpu_layers, activation=cupy.tanh if activation else None)
    assert type(y._meta).__module__.startswith("cupy")
    result = y.compute(scheduler="threads")
    np.testing.assert_allclose(
        cupy.asnumpy(result), _in_memory(x, layers, activation), rtol=1e-10, atol=1e-10
    )


def test_pictures_draw_the_plan_windows():
    """The tile picture's dashed windows are the plan's windows, not a separate geometry."""
    import matplotlib.pyplot as plt

    from convnb.plot import tiling

    layers = [{"kernel_size": 3, "dilation": d, "padding": "same"} for d in (1, 2)]
    rows, cols = tiled.tile_plan(layers, 12, (4, 4, 4)), tiled.tile_plan(layers, 16, (8, 8))
    ax = tiling.tiles(rows, cols, [(1, 1)])
    dashed = [p for p in ax.patches if p.get_linestyle() == "--"]
    assert len(dashed) == 1
    (x0, y0), width, height = dashed[0].get_xy(), dashed[0].get_width(), dashed[0].get_height()
    assert (y0, y0 + height) == rows.tiles[1].inputs[0] == (1, 11)
    assert (x0, x0 + width) == cols.tiles[1].inputs[0] == (5, 19)
    ax = tiling.halo_cone(rows, 0)
    assert [t.get_text() for t in ax.texts if t.get_text().endswith("read")] == [
        "10 read",
        "8 read",
        "4 read",
    ]
    plt.close("all")
