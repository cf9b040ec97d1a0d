"""convnb.plot: the pictures show what convnb computes (Agg backend, no image diffs)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
import scipy.signal
from conftest import asarray

from convnb import plot
from convnb import signal as csignal

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
    assert _row_texts(ax, 2) == sorted((shift - 2 + j, str(shown[j])) for j in range(3))
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
    html = anim.to_jshtml()
    assert html.count("data:image/png;base64") == 8
    assert len(html) < 2_000_000  # a page with it stays small
