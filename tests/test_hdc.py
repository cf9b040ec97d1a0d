"""convnb.hdc: gridding measured by backpropagation, and Wang et al.'s rule checked by it."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import convnb
from convnb.hdc import hdc_distances, satisfies_hdc, stack_holes, stack_offsets


@pytest.mark.parametrize("dilations", [(1, 2, 5), (2, 2, 2), (1, 2, 9), (1, 3), (3, 3, 3)])
def test_offsets_are_what_the_gradient_reaches(dilations):
    stack = [{"kernel_size": 3, "dilation": d, "padding": d} for d in dilations]
    span = 2 * sum(dilations) + 1
    size = span + 4
    g = convnb.receptive_field_by_gradient(stack, (size, size), (size // 2, size // 2))
    rows = np.nonzero(np.asarray(g).any(axis=1))[0]
    first = size // 2 - sum(dilations)
    assert sorted(int(r) - first for r in rows) == stack_offsets(dilations)
    assert int(np.count_nonzero(g)) == len(stack_offsets(dilations)) ** 2


def test_wang_counter_example():
    assert len(stack_offsets((1, 2, 9))) ** 2 == 441 and (2 * 12 + 1) ** 2 == 625
    assert hdc_distances((1, 2, 9)) == [3, 5, 9] and not satisfies_hdc((1, 2, 9))
    assert hdc_distances((1, 2, 5)) == [1, 2, 5] and satisfies_hdc((1, 2, 5))


def test_rule_is_sufficient_not_necessary():
    # the range chapter 07 states: two to four 3x3 layers, dilations up to 10 (~2 s)
    sufficient, missed = True, 0
    for n in (2, 3, 4):
        for rates in itertools.product(range(1, 11), repeat=n):
            brute = {
                sum(t * r for t, r in zip(taps, rates))
                for taps in itertools.product(range(3), repeat=n)
            }
            no_holes = len(brute) == 2 * sum(rates) + 1
            if satisfies_hdc(rates, 3):
                sufficient &= no_holes
            elif no_holes:
                missed += 1
            assert stack_holes(rates) == sorted(set(range(2 * sum(rates) + 1)) - brute)
    assert sufficient and missed > 0


def test_errors():
    with pytest.raises(ValueError, match=r"dilations=\(1, 0\) must be"):
        stack_offsets((1, 0))
    with pytest.raises(ValueError, match=r"at least two layers"):
        satisfies_hdc((1,))
    with pytest.raises(ValueError, match=r"kernel_size=0 must be positive"):
        stack_holes((1, 2), 0)
