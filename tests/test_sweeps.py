"""Randomized sweeps: conv, conv_transpose and both gradients on thousands of configurations.

* against PyTorch's CPU functions (skipped without torch): 2,000 configurations, four
  operations each (1-3 D, groups, channel multipliers, stride, dilation, every padding
  mode and "same", unbatched inputs, float32 and float64);
* on array-api-strict against the loop definitions of :mod:`convnb.reference` (and the
  adjoint identities of the gradients): 2,000 smaller configurations.

Each configuration is drawn from a seeded generator, so a failure names a reproducible case.
"""

from __future__ import annotations

import numpy as np
import pytest

import convnb
from convnb import arithmetic, reference

N_CONFIGS = 2000
MODES = ("zeros", "reflect", "replicate", "circular")


def _config(rng, max_size, max_channels):
    """A random valid convolution: shapes and keyword arguments."""
    while True:
        nd = int(rng.integers(1, 4))
        groups = int(rng.integers(1, 3))
        c_in = groups * int(rng.integers(1, max_channels + 1))
        c_out = groups * int(rng.integers(1, max_channels + 1))
        kernel = tuple(int(k) for k in rng.integers(1, 4, nd))
        stride = tuple(int(s) for s in rng.integers(1, 3, nd))
        dilation = tuple(int(d) for d in rng.integers(1, 3, nd))
        spatial = tuple(int(s) for s in rng.integers(1, max_size + 1, nd))
        mode = MODES[int(rng.integers(0, 4))]
        if rng.random() < 0.2 and all(s == 1 for s in stride):
            padding = "same"
        else:
            padding = tuple(int(p) for p in rng.integers(0, 3, nd))
        try:
            geom = arithmetic.geometry(spatial, kernel, stride, padding, dilation)
        except ValueError:
            continue
        if mode == "reflect" and any(max(p) >= s for p, s in zip(geom.pads, spatial, strict=True)):
            continue
        if mode == "circular" and any(max(p) > s for p, s in zip(geom.pads, spatial, strict=True)):
            continue  # PyTorch wraps around at most once
        if padding == "same" and any(a != b for a, b in geom.pads):
            continue  # PyTorch pads "same" symmetrically only when the total is even
        batch = int(rng.integers(1, 3))
        kwargs = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
        return (batch, c_in, *spatial), (c_out, c_in // groups, *kernel), kwargs, mode, geom


def _transpose_fits(xs, ws, kwargs, extra):
    """Whether padding leaves a transposed convolution any output."""
    nd = len(xs) - 2
    extra = extra if isinstance(extra, tuple) else (extra,) * nd
    try:
        for args in zip(
            xs[2:], ws[2:], kwargs["stride"], kwargs["padding"], kwargs["dilation"], extra
        ):
            arithmetic.conv_transpose_output_size(*args)
    except ValueError:
        return False
    return True


def test_sweep_against_pytorch():
    torch = pytest.importorskip("torch")
    f = torch.nn.functional
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny problems: threads only add overhead on a shared machine
    try:
        _pytorch_sweep(torch, f)
    finally:
        torch.set_num_threads(threads)


def _pytorch_sweep(torch, f):
    rng = np.random.default_rng(2026)
    for case in range(N_CONFIGS):
        xs, ws, kwargs, mode, geom = _config(rng, 7, 3)
        dtype = np.float64 if case % 2 else np.float32
        tol = dict(rtol=1e-9, atol=1e-9) if dtype == np.float64 else dict(rtol=2e-4, atol=2e-4)
        x, w = rng.standard_normal(xs).astype(dtype), rng.standard_normal(ws).astype(dtype)
        b = rng.standard_normal(ws[0]).astype(dtype)
        nd = len(xs) - 2
        tx = torch.tensor(x, requires_grad=True)
        tw = torch.tensor(w, requires_grad=True)
        conv_nd = getattr(f, f"conv{nd}d")
        if mode == "zeros":
            ty = conv_nd(tx, tw, torch.tensor(b), **kwargs)
        else:
            pads = [p for pair in reversed(geom.pads) for p in pair]
            padded = f.pad(tx, pads, mode=mode)
            ty = conv_nd(padded, tw, torch.tensor(b), **{**kwargs, "padding": 0})
        where = f"case {case}: x {xs}, w {ws}, {kwargs}, {mode}"
        y = convnb.conv(x, w, b, padding_mode=mode, **kwargs)
        np.testing.assert_allclose(y, ty.detach().numpy(), **tol, err_msg=where)
        g = rng.standard_normal(y.shape).astype(dtype)
        ty.backward(torch.tensor(g))
        gx = convnb.conv_grad_input(g, w, xs, padding_mode=mode, **kwargs)
        gw = convnb.conv_grad_weight(x, g, ws, padding_mode=mode, **kwargs)
        np.testing.assert_allclose(gx, tx.grad.numpy(), **tol, err_msg=where)
        np.testing.assert_allclose(gw, tw.grad.numpy(), **tol, err_msg=where)
        # the transposed convolution of the output back to the input's channels
        if isinstance(kwargs["padding"], str):
            continue
        extra = tuple(
            int(rng.integers(0, max(s, d))) for s, d in zip(kwargs["stride"], kwargs["dilation"])
        )
        if not _transpose_fits(xs, ws, kwargs, extra):
            continue
        wt = rng.standard_normal((xs[1], ws[0] // kwargs["groups"], *ws[2:])).astype(dtype)
        want = getattr(f, f"conv_transpose{nd}d")(
            torch.tensor(x),
            torch.tensor(wt),
            stride=kwargs["stride"],
            padding=kwargs["padding"],
            output_padding=extra,
            groups=kwargs["groups"],
            dilation=kwargs["dilation"],
        )
        got = convnb.conv_transpose(
            x,
            wt,
            stride=kwargs["stride"],
            padding=kwargs["padding"],
            output_padding=extra,
            groups=kwargs["groups"],
            dilation=kwargs["dilation"],
        )
        np.testing.assert_allclose(got, want.numpy(), **tol, err_msg=where)


def test_sweep_on_array_api_strict_against_the_loops():
    xs_ = pytest.importorskip("array_api_strict")
    rng = np.random.default_rng(12)
    for case in range(N_CONFIGS):
        xs, ws, kwargs, mode, _ = _config(rng, 4, 2)
        if len(xs) == 5:  # keep the loop reference fast: 3-D cases are 1 in 8
            xs, ws = (1, *xs[1:]), ws
            if case % 8:
                continue
        x, w = rng.standard_normal(xs), rng.standard_normal(ws)
        where = f"case {case}: x {xs}, w {ws}, {kwargs}, {mode}"
        y = convnb.conv(xs_.asarray(x), xs_.asarray(w), padding_mode=mode, **kwargs)
        want = reference.conv(x, w, padding_mode=mode, **kwargs)
        np.testing.assert_allclose(np.from_dlpack(y), want, rtol=1e-10, atol=1e-10, err_msg=where)
        # the gradients by their defining identities, <conv(x, w), g> = <x, dx> = <w, dw>
        g = rng.standard_normal(want.shape)
        dx = convnb.conv_grad_input(
            xs_.asarray(g), xs_.asarray(w), xs, padding_mode=mode, **kwargs
        )
        dw = convnb.conv_grad_weight(
            xs_.asarray(x), xs_.asarray(g), ws, padding_mode=mode, **kwargs
        )
        inner = float(np.vdot(want, g))
        assert np.isclose(float(np.vdot(x, np.from_dlpack(dx))), inner, rtol=1e-9, atol=1e-9), (
            where
        )
        assert np.isclose(float(np.vdot(w, np.from_dlpack(dw))), inner, rtol=1e-9, atol=1e-9), (
            where
        )
        if isinstance(kwargs["padding"], str):
            continue
        if not _transpose_fits(xs, ws, kwargs, 0):
            continue
        wt = rng.standard_normal((xs[1], ws[0] // kwargs["groups"], *ws[2:]))
        t_kwargs = {k: v for k, v in kwargs.items()}
        got = convnb.conv_transpose(xs_.asarray(x), xs_.asarray(wt), **t_kwargs)
        want_t = reference.conv_transpose(x, wt, **t_kwargs)
        np.testing.assert_allclose(
            np.from_dlpack(got), want_t, rtol=1e-10, atol=1e-10, err_msg=where
        )
