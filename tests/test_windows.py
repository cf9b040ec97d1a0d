"""convnb.windows against index maps measured by running convnb.conv (tests/probing.py)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import convnb
from convnb import windows

from .probing import dependence_2d, stack_paths_1d

CASES = [
    # size, kernel, stride, padding, dilation
    ((5, 5), (3, 3), 1, 0, 1),
    ((5, 5), (3, 3), 2, 1, 1),
    ((7, 6), (3, 2), (2, 1), ((1, 2), 0), (2, 3)),
    ((6, 6), (1, 1), 1, 0, 1),
    ((8, 8), (3, 3), 3, 2, 2),
    ((6, 5), (4, 2), 2, (1, (0, 1)), 1),
]


@pytest.mark.parametrize(("size", "kernel", "stride", "padding", "dilation"), CASES)
def test_footprint_is_what_conv_reads(size, kernel, stride, padding, dilation):
    measured = dependence_2d(size, kernel, stride, padding, dilation)
    pads = convnb.resolve_padding(padding, size, kernel, stride, dilation)
    for position, reads in measured.items():
        taps = windows.footprint(position, kernel, stride, pads, dilation)
        inside = [t for t in taps if 0 <= t[0] < size[0] and 0 <= t[1] < size[1]]
        assert len(taps) == kernel[0] * kernel[1]
        assert len(set(taps)) == len(taps)  # no tap twice
        assert {t: inside.count(t) for t in inside} == reads


def test_tap_slices_pick_each_taps_samples():
    x = np.arange(10 * 9).reshape(10, 9)
    for offset, window in zip(
        windows.tap_offsets((3, 2), (2, 3)), windows.tap_slices((3, 2), (2, 1), (2, 3), (3, 6))
    ):
        for p in itertools.product(range(3), range(6)):
            assert x[window][p] == x[p[0] * 2 + offset[0], p[1] * 1 + offset[1]]


TRANSPOSED = [
    # input size, kernel, stride, padding, dilation, output_padding
    ((3, 3), (3, 3), 2, 0, 1, 0),
    ((3, 3), (3, 3), 2, 1, 1, 1),
    ((4, 3), (4, 4), 2, 1, 1, 0),
    ((3, 3), (3, 2), (3, 2), (1, 0), (1, 2), (2, 1)),
    ((2, 2), (5, 5), 1, 2, 1, 0),
]


@pytest.mark.parametrize(("size", "kernel", "stride", "padding", "dilation", "opad"), TRANSPOSED)
def test_overlap_counts_are_the_adjoints_column_sums(
    size, kernel, stride, padding, dilation, opad
):
    counts = np.array(windows.overlap_counts(size, kernel, stride, padding, dilation, opad))
    # The transposed layer is the adjoint of a conv from its output size to its input size;
    # output q of the transposed layer is hit once per (conv output, tap) that reads q.
    conv_in = counts.shape
    measured = dependence_2d(conv_in, kernel, stride, padding, dilation)
    assert {p for p in measured} == set(np.ndindex(*size))  # the conv lands back on `size`
    expected = np.zeros(conv_in, dtype=int)
    for reads in measured.values():
        for q, n in reads.items():
            expected[q] += n
    np.testing.assert_array_equal(counts, expected)


def test_checkerboard_numbers():
    assert windows.overlap_counts((5,), (3,), 2, 1, 1, 1)[1:-1] == [2, 1, 2, 1, 2, 1, 2, 1]
    assert set(windows.overlap_counts((5,), (4,), 2, 1)[1:-1]) == {2}


YU_KOLTUN = [{"kernel_size": 3, "dilation": d, "padding": d} for d in (1, 2, 4)]


def _units(layers, position):
    """The unit on the path to `position` after each layer, by following centre taps."""
    units = [position]
    for layer in reversed(layers[1:]):
        k, d = layer["kernel_size"], layer.get("dilation", 1)
        units.append(units[-1] * layer.get("stride", 1) + (k // 2) * d - layer.get("padding", 0))
    return units[::-1]


@pytest.mark.parametrize(
    "layers",
    [
        YU_KOLTUN,
        [{"kernel_size": 3, "dilation": 2, "padding": 2}] * 3,
        [{"kernel_size": 3, "stride": 2, "padding": 1}, {"kernel_size": 3, "dilation": 3}],
        [
            {"kernel_size": 5, "stride": 2},
            {"kernel_size": 2, "stride": 2},
            {"kernel_size": 3, "dilation": 2},
        ],
    ],
)
def test_receptive_field_counts_are_path_counts(layers):
    n = 41
    sizes = convnb.arithmetic.stack_sizes(layers, n)
    position = sizes[-1] // 2
    maps = windows.receptive_field_counts(layers, n, position)
    units = _units(layers, position)
    assert maps == stack_paths_1d(layers, n, units)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "kernel_size": st.integers(1, 4),
                "stride": st.integers(1, 2),
                "dilation": st.integers(1, 3),
            }
        ),
        min_size=1,
        max_size=3,
    )
)
def test_receptive_field_size_jump_start_match_measurement(layers):
    n = 80
    sizes = [n]
    for layer in layers:
        sizes.append(
            convnb.conv_output_size(
                sizes[-1], layer["kernel_size"], layer["stride"], 0, layer["dilation"]
            )
        )
    fields = convnb.arithmetic.receptive_field(layers)
    # measure two neighbouring outputs of the whole stack
    last = fields[-1]
    h = np.eye(n).reshape(n, 1, n)  # one impulse per input sample
    for layer in layers:
        h = convnb.conv(
            h,
            np.ones((1, 1, layer["kernel_size"])),
            stride=layer["stride"],
            dilation=layer["dilation"],
        )
    for unit in (0, 1) if h.shape[2] > 1 else (0,):
        seen = np.nonzero(h[:, 0, unit])[0]
        assert seen.max() - seen.min() + 1 == last.size
        assert (seen.max() + seen.min()) / 2 == last.start + unit * last.jump


@pytest.mark.parametrize(
    ("input_size", "kernel_size", "message"),
    [
        ((), (), r"input_size=\(\) must have at least one spatial dimension"),
        ((0,), (), r"kernel_size=\(\) must have one entry per spatial dimension \(1\)"),
        ((2, 0), (3,), r"kernel_size=\(3,\) must have one entry per spatial dimension \(2\)"),
    ],
)
def test_overlap_counts_refuses_sizes_of_different_ranks(input_size, kernel_size, message):
    # a count of 0 or 1 came back for some of these instead of an error
    with pytest.raises(ValueError, match=message):
        windows.overlap_counts(input_size, kernel_size)
