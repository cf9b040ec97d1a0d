"""convnb.signal against scipy.signal, on every backend."""

from __future__ import annotations

import re

import numpy as np
import pytest
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

import convnb

from .backends import asarray, to_np, tolerance

RNG = np.random.default_rng(7)
SHAPES = [
    ((9,), (3,)),
    ((3,), (9,)),
    ((8,), (4,)),
    ((5,), (5,)),
    ((1,), (1,)),
    ((6, 7), (3, 2)),
    ((3, 2), (6, 7)),
    ((5, 5), (4, 4)),
    ((4, 5, 6), (2, 3, 2)),
]


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize(("shape1", "shape2"), SHAPES)
@pytest.mark.parametrize("name", ["convolve", "correlate"])
def test_matches_scipy(xp, name, shape1, shape2, mode):
    a, v = RNG.standard_normal(shape1), RNG.standard_normal(shape2)
    got = getattr(convnb, name)(asarray(xp, a), asarray(xp, v), mode=mode)
    want = getattr(scipy.signal, name)(a, v, mode=mode, method="direct")
    assert got.shape == want.shape
    np.testing.assert_allclose(to_np(got), want, **tolerance(got.dtype))


@pytest.mark.parametrize("name", ["convolve", "correlate"])
def test_complex_matches_scipy(xp, name):
    a = RNG.standard_normal(7) + 1j * RNG.standard_normal(7)
    v = RNG.standard_normal(3) - 1j * RNG.standard_normal(3)
    for mode in ("full", "same", "valid"):
        got = getattr(convnb, name)(asarray(xp, a), asarray(xp, v), mode=mode)
        want = getattr(scipy.signal, name)(a, v, mode=mode, method="direct")
        np.testing.assert_allclose(to_np(got), want, rtol=1e-12, atol=1e-12)


def test_integers_stay_integers(xp):
    a, v = np.array([1, 2, 3, 4]), np.array([1, 0, -1])
    got = convnb.correlate(asarray(xp, a), asarray(xp, v))
    assert str(got.dtype).endswith("int64")
    np.testing.assert_array_equal(to_np(got), scipy.signal.correlate(a, v))


def test_float32_stays_float32(xp):
    a = RNG.standard_normal((6, 6)).astype(np.float32)
    v = RNG.standard_normal((3, 3)).astype(np.float32)
    got = convnb.convolve(asarray(xp, a), asarray(xp, v), mode="same")
    assert str(got.dtype).endswith("float32")
    np.testing.assert_allclose(
        to_np(got), scipy.signal.convolve(a, v, mode="same"), rtol=1e-5, atol=1e-5
    )


def test_convolve_is_correlate_with_flipped_kernel(xp):
    a, v = RNG.standard_normal((6, 5)), RNG.standard_normal((3, 2))
    for mode in ("full", "same", "valid"):
        flipped = asarray(xp, v[::-1, ::-1].copy())
        np.testing.assert_allclose(
            to_np(convnb.convolve(asarray(xp, a), asarray(xp, v), mode=mode)),
            to_np(convnb.correlate(asarray(xp, a), flipped, mode=mode)),
            rtol=1e-12,
            atol=1e-12,
        )


@settings(max_examples=80, deadline=None)
@given(
    shapes=st.integers(1, 2).flatmap(
        lambda nd: st.tuples(*(st.tuples(st.integers(1, 7), st.integers(1, 7)) for _ in range(nd)))
    ),
    mode=st.sampled_from(["full", "same", "valid"]),
    name=st.sampled_from(["convolve", "correlate"]),
)
def test_random_shapes_match_scipy(shapes, mode, name):
    shape1, shape2 = (tuple(s[0] for s in shapes), tuple(s[1] for s in shapes))
    a, v = RNG.standard_normal(shape1), RNG.standard_normal(shape2)
    fits = all(p <= q for p, q in zip(shape1, shape2)) or all(
        p >= q for p, q in zip(shape1, shape2)
    )
    if mode == "valid" and not fits:
        with pytest.raises(ValueError, match="needs one input at least as large"):
            getattr(convnb, name)(a, v, mode=mode)
        return
    np.testing.assert_allclose(
        getattr(convnb, name)(a, v, mode=mode),
        getattr(scipy.signal, name)(a, v, mode=mode, method="direct"),
        rtol=1e-10,
        atol=1e-10,
    )


ERRORS = [
    (
        np.ones(3),
        np.ones((3, 3)),
        "full",
        ValueError,
        "in1 and in2 must have the same rank, got shapes (3,) and (3, 3)",
    ),
    (
        np.ones((2, 3)),
        np.ones((3, 2)),
        "valid",
        ValueError,
        "mode='valid' needs one input at least as large as the other in every dimension, "
        "got shapes (2, 3) and (3, 2)",
    ),
    (
        np.ones(3),
        np.ones(2),
        "circular",
        ValueError,
        "mode='circular' is not one of ('full', 'same', 'valid')",
    ),
    (
        np.ones(0),
        np.ones(2),
        "full",
        ValueError,
        "inputs must not be empty, got shapes (0,) and (2,)",
    ),
]


@pytest.mark.parametrize(("in1", "in2", "mode", "error", "message"), ERRORS)
@pytest.mark.parametrize("name", ["convolve", "correlate"])
def test_errors(xp, name, in1, in2, mode, error, message):
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        getattr(convnb, name)(asarray(xp, in1), asarray(xp, in2), mode=mode)


def test_mixed_kinds_error_on_strict_backend():
    xs = pytest.importorskip("array_api_strict")
    with pytest.raises(
        TypeError,
        match=r"does not combine these dtypes: in1 is int64, "
        r"in2 is float64$",
    ):
        convnb.convolve(xs.asarray([1, 2, 3]), xs.asarray([1.0, 0.5]))


# Defect 9: SciPy accepts array-likes, every rank, and bool; so does convnb.
@pytest.mark.parametrize("name", ["convolve", "correlate"])
@pytest.mark.parametrize(
    ("in1", "in2"),
    [
        ([1, 2, 3], [0, 1, 0.5]),  # lists, as a reader types them
        ((1.0, 2.0), (3.0,)),
        (2, 3),  # Python scalars: 0-d
        (np.array(2.5), np.array(-1.0)),
        ([True, False, True], [True, True]),  # bool: any pair of True meets
        (np.array([True, False]), np.array([2, 3])),
        (np.arange(24.0).reshape(2, 3, 2, 2), np.arange(4.0).reshape(1, 2, 1, 2)),  # rank 4
        (np.arange(32.0).reshape(2, 2, 2, 2, 2), np.ones((1, 2, 1, 1, 2))),  # rank 5
    ],
    ids=["lists", "tuples", "scalars", "0-d", "bool", "bool-int", "rank4", "rank5"],
)
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_array_likes_ranks_and_bool_as_scipy(name, in1, in2, mode):
    want = getattr(scipy.signal, name)(in1, in2, mode=mode, method="direct")
    got = getattr(convnb, name)(in1, in2, mode=mode)
    assert isinstance(got, np.ndarray)
    assert got.dtype == np.asarray(want).dtype
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_array_likes_take_the_library_of_the_array_argument():
    import array_api_strict as xs

    got = convnb.convolve(xs.asarray([1.0, 2.0, 3.0]), [0.0, 1.0, 0.5])
    assert type(got).__module__.startswith("array_api_strict")
    np.testing.assert_allclose(np.from_dlpack(got), [0, 1, 2.5, 4, 1.5])


@pytest.mark.parametrize("name", ["convolve", "correlate"])
def test_none_and_strings_are_type_errors_naming_the_argument(name):
    with pytest.raises(TypeError, match=r"^in2 must be an array, got None$"):
        getattr(convnb, name)([1.0, 2.0], None)
    with pytest.raises(TypeError, match=r"^in1 must be an array or array-like .* got str$"):
        getattr(convnb, name)("ab", [1.0])
    with pytest.raises(TypeError, match=r"^in1 must have a numeric .* dtype, got str32$"):
        getattr(convnb, name)(np.array(["a", "b"]), [1.0])
