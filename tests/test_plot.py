"""convnb.plot: the pictures show what convnb computes (Agg backend, no image diffs)."""

from __future__ import annotations

import gzip
import html as htmllib
import io
import json
import re

import matplotlib.colors
import matplotlib.pyplot as plt
import numpy as np
import pytest
import scipy.signal

import convnb
from convnb import plot
from convnb import signal as csignal

from .backends import asarray
from .probing import channel_dependence, dependence_2d

RNG = np.random.default_rng(11)


@pytest.mark.parametrize(("n", "m"), [(5, 3), (3, 5), (1, 1), (6, 2), (4, 4)])
@pytest.mark.parametrize("flip", [False, True])
def test_taps_sum_to_the_full_output(n, m, flip):
    a = RNG.standard_normal(n)
    v = RNG.standard_normal(m) + 1j * RNG.standard_normal(m)
    full = (scipy.signal.convolve if flip else scipy.signal.correlate)(a, v, method="direct")
    for shift in range(n + m - 1):
        pairs = csignal.taps(n, m, shift, flip=flip)
        assert sorted(j for _, j in pairs) == list(range(m))  # the whole kernel, once
        total = sum(a[i] * (v[j] if flip else np.conj(v[j])) for i, j in pairs if 0 <= i < n)
        assert total == pytest.approx(full[shift])


def test_taps_errors():
    with pytest.raises(ValueError, match=r"^shift=7 is outside the full output 0\.\.6$"):
        csignal.taps(5, 3, 7)
    with pytest.raises(ValueError, match=r"^lengths must be positive, got n1=0, n2=3$"):
        csignal.taps(0, 3, 0)


def _row_texts(ax, y):
    return sorted(
        (round(t.get_position()[0]), t.get_text()) for t in ax.texts if t.get_position()[1] == y
    )


@pytest.mark.parametrize("flip", [False, True])
@pytest.mark.parametrize("shift", [0, 2, 5, 6])
def test_sliding_kernel_draws_the_computed_step(xp, flip, shift):
    f, g = np.array([3, 1, 4, 1, 5]), np.array([2, 7, -1])
    ax = plot.sliding_kernel(asarray(xp, f), asarray(xp, g), shift, flip=flip)
    # independent expectation: kernel slot j sits at position shift - 2 + j
    shown = g[::-1] if flip else g
    assert _row_texts(ax, 3.0) == sorted((shift - 2 + j, str(shown[j])) for j in range(3))
    full = (np.convolve if flip else np.correlate)(f, g, "full")
    assert ax.get_title().endswith(f"out[{shift}] = {full[shift]}")
    assert [t[1] for t in _row_texts(ax, 0)] == [str(v) for v in full]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["input", "kernel (flipped)" if flip else "kernel", "products", "output"]
    plt.close(ax.figure)


def test_sliding_kernel_rejects_2d():
    with pytest.raises(ValueError, match=r"must be 1-D, got shapes \(2, 2\) and \(2,\)"):
        plot.sliding_kernel(np.ones((2, 2)), np.ones(2), 0)


def test_animation_has_one_frame_per_output():
    anim = plot.animate_sliding(np.arange(6.0), np.ones(3), flip=True)
    assert len(list(anim.new_frame_seq())) == 8
    html = plot.player(anim, alt="A kernel slides.")
    assert html.count("<svg") == 8
    assert len(gzip.compress(html.encode())) < 200_000  # a page with it stays light


# --- 2-D pictures: what is highlighted is what conv computes -----------------------------------


def _gids(ax, prefix):
    found = set()
    for patch in ax.patches:
        gid = patch.get_gid() or ""
        if gid.startswith(prefix + ":"):
            found.add(tuple(int(v) for v in gid.split(":")[1].split(",")))
    return found


def _texts(ax):
    return [t.get_text() for t in ax.texts]


SPATIAL = [
    # size, kernel, stride, padding, dilation
    (5, 3, 1, 0, 1),
    (5, 3, 2, 1, 1),
    (7, 3, 1, 2, 2),
    (6, 3, 2, "same", 1),
    (7, 2, 3, 1, 2),
    ((6, 4), (3, 1), (1, 2), (1, 0), (2, 1)),
]


@pytest.mark.parametrize(("size", "kernel", "stride", "padding", "dilation"), SPATIAL)
def test_spatial_highlights_the_taps_conv_uses(size, kernel, stride, padding, dilation):
    size2 = size if isinstance(size, tuple) else (size, size)
    k2 = kernel if isinstance(kernel, tuple) else (kernel, kernel)
    s2 = stride if isinstance(stride, tuple) else (stride, stride)
    d2 = dilation if isinstance(dilation, tuple) else (dilation, dilation)
    measured = dependence_2d(size2, k2, s2, padding, d2)
    pads = convnb.resolve_padding(padding, size2, k2, s2, d2)
    for position, reads in measured.items():
        ax = plot.spatial(
            size, kernel, position, stride=stride, padding=padding, dilation=dilation
        )
        drawn = _gids(ax, "footprint")
        inside = {q for q in drawn if 0 <= q[0] < size2[0] and 0 <= q[1] < size2[1]}
        assert inside == set(reads)  # the data cells it reads, measured
        # cells in the padding: the same taps, continued past the edge (independent formula)
        corner = (position[0] * s2[0] - pads[0][0], position[1] * s2[1] - pads[1][0])
        expected = {
            (corner[0] + a * d2[0], corner[1] + b * d2[1])
            for a in range(k2[0])
            for b in range(k2[1])
        }
        assert drawn == expected
        assert _gids(ax, "output") == {position}
        labels = " ".join(_texts(ax))
        assert f"input {size2[0]}×{size2[1]}" in labels
        out = convnb.conv(
            np.zeros((1, 1, *size2)), np.ones((1, 1, *k2)), stride=s2, padding=padding, dilation=d2
        ).shape[2:]
        assert f"output {out[0]}×{out[1]}" in labels
        plt.close(ax.figure)


TRANSPOSED = [(3, 3, 2, 0, 1, 0), (3, 3, 2, 1, 1, 1), (4, 4, 2, 1, 1, 0), (2, 3, 1, 1, 2, 0)]


@pytest.mark.parametrize(("size", "kernel", "stride", "padding", "dilation", "opad"), TRANSPOSED)
def test_transposed_scatters_where_the_adjoint_does(size, kernel, stride, padding, dilation, opad):
    out = convnb.arithmetic.conv_transpose_output_size(
        size, kernel, stride, padding, dilation, opad
    )
    # conv from the transposed output size back to `size`: reads[i] = outputs it gathers
    measured = dependence_2d((out, out), (kernel, kernel), stride, padding, dilation)
    counts = np.zeros((out, out), dtype=int)
    for reads in measured.values():
        for q, n in reads.items():
            counts[q] += n
    for position, reads in measured.items():
        ax = plot.transposed(
            size,
            kernel,
            position,
            stride=stride,
            padding=padding,
            dilation=dilation,
            output_padding=opad,
        )
        assert _gids(ax, "footprint") == set(reads)
        assert _gids(ax, "input") == {position}
        numbers = [int(t) for t in _texts(ax) if t.isdigit()]
        assert sorted(numbers) == sorted(counts.ravel().tolist())
        assert any(t.startswith(f"output {out}×{out}") for t in _texts(ax))
        plt.close(ax.figure)


@pytest.mark.parametrize(
    ("c_in", "c_out", "groups"), [(4, 6, 1), (8, 8, 2), (4, 8, 4), (6, 3, 3), (3, 3, 3)]
)
def test_channel_picture_highlights_the_group(c_in, c_out, groups):
    mask = channel_dependence(c_in, c_out, groups)
    for o in range(c_out):
        ax = plot.channel_picture(c_in, c_out, groups, o)
        assert {c for (c,) in _gids(ax, "feeds")} == set(np.nonzero(mask[o])[0])
        assert _gids(ax, "out_channel") == {(o,)}
        assert f"input: {c_in} channels" in _texts(ax)
        assert f"output: {c_out} channels" in _texts(ax)
        plt.close(ax.figure)


@pytest.mark.parametrize(
    ("c", "groups", "shuffled_from"),
    [(6, 1, None), (8, 2, None), (6, 3, None), (8, 2, 2), (6, 3, 2)],
)
def test_connectivity_picture(c, groups, shuffled_from):
    mask = channel_dependence(c, c, groups)
    if shuffled_from:
        # column j of the layer is channel perm[j] of the earlier layer (reshape-transpose)
        perm = np.arange(c).reshape(shuffled_from, -1).T.ravel()
        before = np.zeros_like(mask)
        before[:, perm] = mask
        mask = before
    ax = plot.connectivity(c, c, groups, shuffled_from=shuffled_from)
    filled = ax.images[0].get_array()[..., 3] > 0
    np.testing.assert_array_equal(filled, mask)
    assert ax.get_xlabel().startswith("input channel")
    assert ax.get_ylabel() == "output channel"
    plt.close(ax.figure)


def test_channel_shuffle_picture():
    ax = plot.channel_shuffle(6, 3)
    after = [
        t.get_text() for t in ax.texts if t.get_position()[1] == -0.5 and t.get_text().isdigit()
    ]
    assert after == ["0", "2", "4", "1", "3", "5"]
    assert {"before", "after"} <= set(_texts(ax))
    plt.close(ax.figure)


def test_receptive_field_picture_numbers():
    layers = [{"kernel_size": 3, "dilation": d} for d in (1, 2, 4)]
    axes = plot.receptive_field(layers)
    titles = [ax.get_title() for ax in axes]
    for title, rf, span in zip(titles, (3, 7, 15), (3, 5, 9)):  # Yu & Koltun's figure
        assert f"{rf}×{rf}" in title.splitlines()[0]
        assert f"spans {span}×{span}" in title
    for ax, rf in zip(axes, (3, 7, 15)):
        seen = np.isfinite(ax.images[0].get_array().filled(np.nan))
        assert seen.sum() == rf * rf  # no holes in this stack
    plt.close(axes[0].figure)


def test_receptive_field_picture_shows_gridding_holes():
    axes = plot.receptive_field([{"kernel_size": 3, "dilation": 2}] * 2)
    seen = np.isfinite(axes[1].images[0].get_array().filled(np.nan))
    assert seen.sum() == 25  # a 9x9 extent, but only every other row and column
    plt.close(axes[0].figure)


@pytest.mark.parametrize(
    ("kwargs", "frames"),
    [
        (dict(input_size=5, kernel_size=3), 9),
        (dict(input_size=5, kernel_size=3, stride=2, padding=1), 9),
        (dict(input_size=6, kernel_size=3, stride=2, padding="same"), 9),
        (dict(input_size=3, kernel_size=3, stride=2, transposed=True), 9),
        (dict(input_size=2, kernel_size=3, transposed=True), 4),
    ],
)
def test_animate_has_one_frame_per_position(kwargs, frames):
    anim = plot.animate(**kwargs)
    assert len(list(anim.new_frame_seq())) == frames
    if kwargs.get("stride") == 2 and not kwargs.get("transposed"):
        html = plot.player(anim, alt="A window sweeps the input.")
        assert html.count("<svg") == frames
        assert "http://" not in html.replace("http://www.w3.org", "")


def test_picture_argument_errors():
    with pytest.raises(ValueError, match=r"^position=\(3, 0\) is outside the output of size"):
        plot.spatial(5, 3, (3, 0))
    with pytest.raises(ValueError, match=r"^groups=3 does not divide in_channels=4$"):
        plot.channel_picture(4, 4, 3)
    with pytest.raises(ValueError, match=r"^input_size=\(1, 2, 3\) must be an int or a pair"):
        plot.spatial((1, 2, 3), 3)


# --- 3-D tensor pictures: the cubes drawn are what conv reads and writes -----------------------


def _cube_gids(ax, prefix):
    return {
        tuple(int(v) for v in (p.get_gid() or "").split(":")[1].split(","))
        for p in ax.patches
        if (p.get_gid() or "").startswith(prefix + ":")
    }


def _reads_3d(c_in, c_out, groups, k, size, padding=0):
    """reads[(o, i, j)] = {(c, r, col)}: measured with one-hot inputs and all-ones weights."""
    h, w = size
    n = c_in * h * w
    impulses = np.eye(n).reshape(n, c_in, h, w)
    out = convnb.conv(
        impulses, np.ones((c_out, c_in // groups, k, k)), groups=groups, padding=padding
    )
    reads = {}
    for q in range(n):
        c, rest = divmod(q, h * w)
        for o, i, j in zip(*np.nonzero(out[q])):
            reads.setdefault((int(o), int(i), int(j)), set()).add((c, rest // w, rest % w))
    return reads


@pytest.mark.parametrize(
    ("c_in", "c_out", "groups", "k"),
    [(4, 4, 1, 1), (6, 6, 3, 3), (4, 8, 4, 3), (3, 6, 3, 1), (4, 2, 2, 3)],
)
def test_channel_step_draws_what_conv_reads(c_in, c_out, groups, k):
    size = (3, 4)
    measured = _reads_3d(c_in, c_out, groups, k, size)
    for (o, i, j), reads in measured.items():
        if ((i, j) != (0, 1) and k == 3) or (k == 1 and (i, j) != (1, 2)):
            continue  # one position per channel is enough; the window is tested elsewhere
        ax = plot.channel_step(c_in, c_out, groups, o, (i, j), kernel_size=k, input_size=size)
        assert _cube_gids(ax, "reads") == reads
        assert _cube_gids(ax, "writes") == {(o, i, j)}
        assert len(_cube_gids(ax, "kernel")) == (c_in // groups) * k * k
        plt.close(ax.figure)


def test_separable_step_draws_both_passes():
    c, c_out, size = 3, 4, (4, 4)
    depthwise = _reads_3d(c, c, c, 3, size)
    pointwise = _reads_3d(c, c_out, 1, 1, (2, 2))
    for step in range(c + c_out):
        ax = plot.separable_step(c, c_out, step, (1, 0), input_size=size)
        if step < c:
            assert _cube_gids(ax, "reads") == depthwise[(step, 1, 0)]
            assert _cube_gids(ax, "writes") == {(step, 1, 0)}
            assert "pass 1" in ax.get_title()
        else:
            assert _cube_gids(ax, "reads") == pointwise[(step - c, 1, 0)]
            assert _cube_gids(ax, "writes") == {(step - c, 1, 0)}
            assert "pass 2" in ax.get_title()
        plt.close(ax.figure)
    assert len(list(plot.animate_separable(c, c_out).new_frame_seq())) == c + c_out


@pytest.mark.parametrize(("c", "g"), [(6, 3), (9, 3), (8, 2), (8, 4)])
def test_shuffle_step_follows_the_shuffled_channels(c, g):
    # where each channel goes, measured by shuffling one-hot channels
    moved = np.asarray(convnb.channel_shuffle(np.eye(c).reshape(1, c, c, 1), g))[0, :, :, 0]
    source = moved.argmax(axis=1)  # source[j]: the channel now at position j
    per = c // g
    for group in range(g):
        ax = plot.shuffle_step(c, g, group)
        positions = set(range(group * per, (group + 1) * per))
        assert {j for (j,) in _gids(ax, "read")} == positions
        assert {s for (s,) in _gids(ax, "source")} == {int(source[j]) for j in positions}
        groups_read = sorted({int(source[j]) // per for j in positions})
        assert ax.get_title().splitlines()[1] == (
            f"reads groups {', '.join(map(str, groups_read))} of layer 1"
        )
        plt.close(ax.figure)


# --- readable on a phone and a desktop ---------------------------------------------------------

PHONE_COLUMN, DESKTOP_COLUMN = 358, 688  # CSS px of a figure output at 390 and 1280 px


def _svg_text_sizes(svg):
    """(smallest font size, width), both in the SVG's user units (points)."""
    width = float(re.search(r'<svg[^>]*width="([\d.]+)pt"', svg).group(1))
    sizes = [float(v) for v in re.findall(r"font-size: ?([\d.]+)px", svg)]
    return min(sizes), width


def _assert_readable(svg, what):
    # an <img> of an SVG is drawn at width * 4/3 CSS px, shrunk to fit the column
    font, width = _svg_text_sizes(svg)
    natural = width * 4 / 3
    for column, least in ((DESKTOP_COLUMN, 12), (PHONE_COLUMN, 10)):
        css_px = font * 4 / 3 * min(1.0, column / natural)
        assert css_px >= least, f"{what}: text {css_px:.1f} px in a {column} px column"


def _svg_of(obj):
    import matplotlib

    fig = obj.figure if hasattr(obj, "figure") else obj[0].figure
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg")
    plt.close(fig)
    return buffer.getvalue()


def _book_pictures():
    from convnb import bench, networks

    layers, shape = networks.NETWORKS["MobileNet v1 1.0-224"]
    return {
        "sliding": lambda: plot.sliding_kernel(np.arange(5.0), np.ones(3), 3, flip=True),
        "spatial": lambda: plot.spatial(9, 3, (2, 2), padding=2, dilation=2),
        "transposed": lambda: plot.transposed(3, 3, (1, 1), stride=2, padding=1),
        "channel": lambda: plot.channel_picture(8, 8, groups=2, out_channel=5),
        "connectivity": lambda: plot.connectivity(12, 12, groups=4),
        "shuffle": lambda: plot.channel_shuffle(6, 3),
        "receptive field": lambda: plot.receptive_field(
            [{"kernel_size": 3, "dilation": d} for d in (1, 2, 5)]
        ),
        "heatmaps": lambda: plot.heatmaps([np.eye(8)] * 3, ["a long title here"] * 3),
        "benchmark": lambda: plot.benchmark(bench.load_report("cpu-2-threads")),
        "roofline": lambda: plot.roofline(bench.load_report("cpu-2-threads")),
        "network": lambda: plot.network(networks.summarize(layers, shape), 10, shape),
        "tensors": lambda: plot.channel_step(6, 6, 3, 2, (1, 1)),
        "separable": lambda: plot.separable_step(3, 4, 4, (1, 1)),
        "shuffle step": lambda: plot.shuffle_step(9, 3, 1),
    }


@pytest.mark.parametrize("name", list(_book_pictures()))
def test_picture_text_is_readable_on_a_phone(name):
    with matplotlib.rc_context(plot._style._RC):  # what plot.book_style() sets in the book
        _assert_readable(_svg_of(_book_pictures()[name]()), name)


def test_player_frames_are_readable_svg_with_alt_text():
    anim = plot.animate_channels(2, 4, 2, kernel_size=1, input_size=2)
    html = plot.player(anim, alt="Depthwise, multiplier 2.")
    frames = json.loads(
        re.search(r'<script type="application/json">(.*?)</script>', html, re.S)
        .group(1)
        .replace("<\\/", "</")
    )
    assert len(frames) == 4
    for svg in frames:
        _assert_readable(svg, "player frame")
    alts = json.loads(htmllib.unescape(re.search(r"data-alts='([^']*)'", html).group(1)))
    assert len(alts) == 4
    assert all(a.startswith("Depthwise, multiplier 2. Frame ") for a in alts)
    assert "output channel 3" in alts[3] and "reads input channel 1" in alts[3]
    assert 'title="Next frame"' in html and 'title="Play"' in html


def test_shared_colour_scales_are_labelled():
    axes = plot.heatmaps([np.ones((3, 3)), 4 + np.eye(3), 9 * np.eye(3)], ["a", "b", "c"])
    assert {ax.images[0].get_clim() for ax in axes} == {(0.0, 9.0)}
    bars = [a for a in axes[0].figure.axes if a not in axes]
    assert len(bars) == 1 and bars[0].get_ylabel() == "value"
    plt.close(axes[0].figure)
    axes = plot.receptive_field([{"kernel_size": 3, "dilation": d} for d in (1, 2)])
    assert len({ax.images[0].get_clim() for ax in axes}) == 1
    bars = [a for a in axes[0].figure.axes if a not in axes]
    assert len(bars) == 1 and bars[0].get_ylabel() == "paths to the output"
    plt.close(axes[0].figure)


def test_group_palette_has_no_green():
    # no green, so no red/green pair (the commonest colour blindness) between two groups
    for color in plot._style.GROUP_COLORS:
        hue, saturation, _ = matplotlib.colors.rgb_to_hsv(matplotlib.colors.to_rgb(color))
        assert not (75 / 360 < hue < 170 / 360 and saturation > 0.25), color


def test_network_picture_needs_a_spatial_row_up_to_the_layer():
    # with only flat rows (a classifier head) a bare StopIteration escaped
    from convnb import networks

    layers, shape = networks.NETWORKS["AlexNet"]
    flat = [r for r in networks.summarize(layers, shape) if len(r.shape) != 3]
    with pytest.raises(ValueError, match=r"rows\[0\.\.0\] have no \(C, H, W\) output"):
        plot.network(flat, 0, shape)
