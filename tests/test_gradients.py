"""The backward pass of conv: finite differences, the adjoint identity, PyTorch autograd."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import convnb
import convnb.windows

from .backends import asarray, to_np

RNG = np.random.default_rng(13)

CONFIGS = [
    dict(),
    dict(stride=2, padding=1),
    dict(padding="same", dilation=2),
    dict(stride=(2, 1), padding=((1, 0), 2), dilation=(1, 2)),
    dict(groups=2, padding=1),
    dict(stride=2, padding="same"),  # asymmetric: TensorFlow's rule with stride 2
    dict(padding=1, padding_mode="reflect"),
    dict(stride=2, padding=2, padding_mode="replicate", groups=2),
    dict(padding=(2, 1), padding_mode="circular"),
]


def _case(groups=1):
    x = RNG.standard_normal((2, 4, 7, 6))
    w = RNG.standard_normal((6, 4 // groups, 3, 3))
    return x, w


@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
def test_finite_differences(kwargs):
    x, w = _case(kwargs.get("groups", 1))
    y = convnb.conv2d(x, w, **kwargs)
    gy = RNG.standard_normal(y.shape)

    def loss(x_, w_):  # a linear loss: its gradients are exact for central differences
        return float(np.vdot(convnb.conv2d(x_, w_, **kwargs), gy))

    gx = convnb.conv_grad_input(gy, w, x.shape, **kwargs)
    gw = convnb.conv_grad_weight(x, gy, w.shape, **kwargs)
    eps = 1e-6
    for _ in range(6):
        i = tuple(RNG.integers(0, n) for n in x.shape)
        dx = np.zeros_like(x)
        dx[i] = eps
        assert gx[i] == pytest.approx(
            (loss(x + dx, w) - loss(x - dx, w)) / (2 * eps), rel=1e-6, abs=1e-6
        )
        j = tuple(RNG.integers(0, n) for n in w.shape)
        dw = np.zeros_like(w)
        dw[j] = eps
        assert gw[j] == pytest.approx(
            (loss(x, w + dw) - loss(x, w - dw)) / (2 * eps), rel=1e-6, abs=1e-6
        )


@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
def test_matches_torch_autograd(kwargs):
    torch = pytest.importorskip("torch")
    functional = torch.nn.functional
    x, w = _case(kwargs.get("groups", 1))
    y = convnb.conv2d(x, w, **kwargs)
    gy = RNG.standard_normal(y.shape)
    xt = torch.from_numpy(x).requires_grad_()
    wt = torch.from_numpy(w).requires_grad_()
    # build the same layer in torch: explicit padding, then a padding-free convolution
    size, kernel = x.shape[2:], w.shape[2:]
    stride = kwargs.get("stride", 1)
    dilation = kwargs.get("dilation", 1)
    pads = convnb.resolve_padding(
        kwargs.get("padding", 0),
        size,
        kernel,
        stride if isinstance(stride, tuple) else (stride,) * 2,
        dilation if isinstance(dilation, tuple) else (dilation,) * 2,
    )
    mode = kwargs.get("padding_mode", "zeros")
    torch_pad = (*pads[1], *pads[0])
    xp_ = functional.pad(xt, torch_pad, mode="constant" if mode == "zeros" else mode)
    yt = functional.conv2d(
        xp_, wt, stride=stride, dilation=dilation, groups=kwargs.get("groups", 1)
    )
    np.testing.assert_allclose(y, yt.detach().numpy(), rtol=1e-10, atol=1e-10)
    yt.backward(torch.from_numpy(gy))
    np.testing.assert_allclose(
        convnb.conv_grad_input(gy, w, x.shape, **kwargs), xt.grad.numpy(), rtol=1e-10, atol=1e-10
    )
    np.testing.assert_allclose(
        convnb.conv_grad_weight(x, gy, w.shape, **kwargs), wt.grad.numpy(), rtol=1e-10, atol=1e-10
    )


def test_on_every_backend(xp):
    x, w = _case(2)
    kwargs = dict(stride=2, padding=1, groups=2)
    gy = RNG.standard_normal(convnb.conv2d(x, w, **kwargs).shape)
    gx = convnb.conv_grad_input(asarray(xp, gy), asarray(xp, w), x.shape, **kwargs)
    gw = convnb.conv_grad_weight(asarray(xp, x), asarray(xp, gy), w.shape, **kwargs)
    np.testing.assert_allclose(
        to_np(gx), convnb.conv_grad_input(gy, w, x.shape, **kwargs), rtol=1e-10, atol=1e-10
    )
    np.testing.assert_allclose(
        to_np(gw), convnb.conv_grad_weight(x, gy, w.shape, **kwargs), rtol=1e-10, atol=1e-10
    )


@settings(max_examples=50, deadline=None)
@given(nd=st.integers(1, 3), data=st.data())
def test_input_gradient_is_the_adjoint(nd, data):
    """<conv(x), g> == <x, conv_grad_input(g)> for every padding form and mode."""

    def per_dim(strategy, label):
        return tuple(data.draw(st.lists(strategy, min_size=nd, max_size=nd), label=label))

    kernel = per_dim(st.integers(1, 3), "kernel")
    stride = per_dim(st.integers(1, 3), "stride")
    dilation = per_dim(st.integers(1, 2), "dilation")
    size = per_dim(st.integers(2, 7), "size")
    padding = data.draw(
        st.one_of(
            st.just("same"),
            st.just("valid"),
            st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=nd, max_size=nd),
        ),
        label="padding",
    )
    mode = data.draw(st.sampled_from(["zeros", "reflect", "replicate", "circular"]), label="mode")
    pads = convnb.resolve_padding(padding, size, kernel, stride, dilation)
    assume(
        all(i + a + b >= d * (k - 1) + 1 for i, (a, b), k, d in zip(size, pads, kernel, dilation))
    )
    if mode == "reflect":
        assume(all(max(p) < i for p, i in zip(pads, size)))
    x = RNG.standard_normal((1, 2, *size))
    w = RNG.standard_normal((3, 2, *kernel))
    kwargs = dict(stride=stride, padding=padding, dilation=dilation, padding_mode=mode)
    y = convnb.conv(x, w, **kwargs)
    g = RNG.standard_normal(y.shape)
    back = convnb.conv_grad_input(g, w, x.shape, **kwargs)
    assert np.vdot(y, g) == pytest.approx(np.vdot(x, back), rel=1e-9, abs=1e-9)


def test_errors():
    x, w = _case()
    with pytest.raises(
        ValueError,
        match=re.escape(
            "grad_output must have the shape of the convolution's output (2, 6, 5, 4), "
            "got (2, 6, 5, 5)"
        ),
    ):
        convnb.conv_grad_input(np.ones((2, 6, 5, 5)), w, x.shape)
    with pytest.raises(
        ValueError,
        match=re.escape("weight_shape=(6, 3, 3, 3) does not fit 4 input channels in 1 groups"),
    ):
        convnb.conv_grad_weight(x, np.ones((2, 6, 5, 4)), (6, 3, 3, 3))


@pytest.mark.parametrize(
    "layers",
    [
        [{"kernel_size": 3, "dilation": d, "padding": d} for d in (1, 2, 4)],
        [{"kernel_size": 3, "dilation": 2, "padding": 2}] * 3,
        [{"kernel_size": 3, "stride": 2, "padding": 1}, {"kernel_size": 3, "dilation": 3}],
    ],
)
def test_gradient_support_is_the_path_count(layers):
    """Backpropagation (convnb.gradients) and path counting (convnb.windows) agree."""
    n = 41
    sizes = convnb.arithmetic.stack_sizes(layers, n)
    position = sizes[-1] // 2
    by_gradient = convnb.receptive_field_by_gradient(layers, (n,), (position,))
    by_paths = convnb.windows.receptive_field_counts(layers, n, position)[-1]
    np.testing.assert_array_equal(by_gradient, by_paths)
    seen = np.nonzero(by_gradient)[0]
    assert seen.max() - seen.min() + 1 == convnb.receptive_field(layers)[-1].size
