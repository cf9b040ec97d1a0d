"""Networks as data: layer descriptions, a cost and receptive-field calculator, real networks.

A network is a list of layers applied in order to an input of shape ``(C, H, W)``:

* :class:`Conv` -- any convolution of this book (``groups`` for grouped and depthwise,
  ``kernel_size=1`` for pointwise);
* :class:`Pool` -- max or average pooling (no parameters; its comparisons are not counted);
* :class:`Linear` -- a fully connected layer on the flattened input;
* :class:`Parallel` -- branches applied to the same input, merged by adding (ResNet) or by
  concatenating channels (Inception), with :class:`Shuffle` for ShuffleNet's channel shuffle.

:func:`summarize` walks the list with :mod:`convnb.arithmetic` and returns, per layer, the
output shape, parameters, multiply-accumulates (MACs), and the receptive field's size, jump
and start; :data:`NETWORKS` holds the networks of the book's "real networks" chapter,
written from their papers. Square inputs and kernels throughout, as in those papers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from . import arithmetic
from ._backend import as_int

__all__ = [
    "NETWORKS",
    "Conv",
    "Linear",
    "Parallel",
    "Pool",
    "Row",
    "Shuffle",
    "receptive_field_support",
    "summarize",
    "total",
]


def _check(layer, *names):
    """Refuse a layer field that no framework accepts (a padding below 0, anything else
    below 1), naming the layer and the field."""
    kind = type(layer).__name__
    for name in names:
        value, low = getattr(layer, name), int(name != "padding")
        if value is not None and as_int(value, f"{kind}.{name}") < low:
            rule = "positive" if low else "non-negative"
            raise ValueError(f"{kind}({name}={value!r}) must be {rule}")


@dataclass(frozen=True)
class Conv:
    """A convolution layer (PyTorch's ``Conv2d`` arguments; square kernels).

    Parameters
    ----------
    out_channels, kernel_size, stride, padding, dilation, groups : int
        As in PyTorch's ``Conv2d`` (square).
    bias : bool, default False
        Whether the layer has a bias.
    name : str, default ""
        Shown in the summary.
    """

    out_channels: int
    kernel_size: int
    stride: int = 1
    padding: int = 0
    dilation: int = 1
    groups: int = 1
    bias: bool = False
    name: str = ""

    def __post_init__(self):
        _check(self, "out_channels", "kernel_size", "stride", "dilation", "groups", "padding")


@dataclass(frozen=True)
class Pool:
    """Max or average pooling: changes the size, has no parameters.

    Parameters
    ----------
    kernel_size, padding : int
        Square window and padding.
    stride : int, optional
        Defaults to ``kernel_size``.
    name : str, default "pool"
        Shown in the summary.
    """

    kernel_size: int
    stride: int | None = None
    padding: int = 0
    name: str = "pool"

    def __post_init__(self):
        _check(self, "kernel_size", "stride", "padding")


@dataclass(frozen=True)
class Linear:
    """A fully connected layer on the flattened input.

    Parameters
    ----------
    out_features : int
        Positive.
    bias : bool, default True
        Whether the layer has a bias.
    name : str, default "fc"
        Shown in the summary.
    """

    out_features: int
    bias: bool = True
    name: str = "fc"

    def __post_init__(self):
        _check(self, "out_features")


@dataclass(frozen=True)
class Shuffle:
    """ShuffleNet's channel shuffle: no parameters, no arithmetic, no change of shape.

    Parameters
    ----------
    groups : int
        Positive, dividing the channels.
    name : str, default "shuffle"
        Shown in the summary.
    """

    groups: int
    name: str = "shuffle"

    def __post_init__(self):
        _check(self, "groups")


@dataclass(frozen=True)
class Parallel:
    """Branches on the same input, merged by ``"add"`` (shapes must agree) or ``"concat"``
    (channels stacked). An empty branch is the identity (a residual shortcut).

    Parameters
    ----------
    branches : tuple of sequences of layers
        The branches.
    merge : {"add", "concat"}, default "add"
        How their outputs combine.
    name : str, default "block"
        Shown in the summary.
    """

    branches: tuple
    merge: str = "add"
    name: str = "block"


@dataclass
class Row:
    """One line of :func:`summarize`: a layer and what it costs.

    Parameters
    ----------
    name : str
        The layer's name.
    shape : tuple of int
        Output ``(C, H, W)``, or ``(features,)``.
    params, macs : int
        Parameters and multiply-accumulates.
    rf_size, rf_jump : int
        Receptive field size and jump.
    rf_start : float
        Centre of output 0's field.
    children : list of Row
        The rows of a :class:`Parallel`'s branches.
    """

    name: str
    shape: tuple  # output (C, H, W), or (features,) after a Linear
    params: int
    macs: int
    rf_size: int
    rf_jump: int
    rf_start: float
    children: list = field(default_factory=list)


def _step(layer):
    """A :class:`Conv` or :class:`Pool` as an entry of :func:`arithmetic.receptive_field`."""
    if isinstance(layer, Pool):
        stride = layer.kernel_size if layer.stride is None else layer.stride
        return {"kernel_size": layer.kernel_size, "stride": stride, "padding": layer.padding}
    keys = ("kernel_size", "stride", "padding", "dilation")
    return {key: getattr(layer, key) for key in keys}


def _grow(rf, step):
    size, jump, start = rf
    after = arithmetic.receptive_field([step])[0]
    # compose one layer onto the field so far (the recurrences of receptive_field)
    span = after.size - 1
    return (size + span * jump, jump * after.jump, start + after.start * jump)


def _walk(layers, shape, rf):
    rows = []
    for layer in layers:
        if isinstance(layer, (Conv, Pool)):
            (c, *size), step, name = shape, _step(layer), layer.name
            if isinstance(layer, Conv) and c % layer.groups:
                raise ValueError(
                    f"{name or 'conv'}: groups={layer.groups} does not divide in_channels={c}"
                )
            out = tuple(arithmetic.conv_output_size(n, **step) for n in size)
            params = macs = 0
            if isinstance(layer, Conv):
                k, c_out, g = (layer.kernel_size,) * 2, layer.out_channels, layer.groups
                params = arithmetic.count_params(c, c_out, k, g, layer.bias)
                macs = arithmetic.count_macs(c, c_out, k, out, g)
                c, name = c_out, name or "conv"
            shape, rf = (c, *out), _grow(rf, step)
            rows.append(Row(name, shape, params, macs, *rf))
        elif isinstance(layer, Linear):
            features = math.prod(shape)
            params = features * layer.out_features + (layer.out_features if layer.bias else 0)
            shape = (layer.out_features,)
            rows.append(Row(layer.name, shape, params, features * layer.out_features, *rf))
        elif isinstance(layer, Shuffle):
            if shape[0] % layer.groups:
                raise ValueError(
                    f"{layer.name}: groups={layer.groups} does not divide {shape[0]} channels"
                )
            rows.append(Row(layer.name, shape, 0, 0, *rf))
        elif isinstance(layer, Parallel):
            outs = [_walk(list(branch), shape, rf) for branch in layer.branches]
            shapes = [rows_[-1].shape if rows_ else shape for rows_ in outs]
            fields = [(r[-1].rf_size, r[-1].rf_jump, r[-1].rf_start) if r else rf for r in outs]
            if layer.merge == "add":
                if len(set(shapes)) != 1:
                    raise ValueError(f"{layer.name}: branches to add have shapes {shapes}")
                shape = shapes[0]
            elif layer.merge == "concat":
                if len({s[1:] for s in shapes}) != 1:
                    raise ValueError(f"{layer.name}: branches to concatenate have shapes {shapes}")
                shape = (sum(s[0] for s in shapes), *shapes[0][1:])
            else:
                raise ValueError(f"{layer.name}: merge={layer.merge!r} is not 'add' or 'concat'")
            rf = max(fields, key=lambda f: f[0])  # the widest branch decides what is seen
            children = [r for branch in outs for r in branch]
            rows.append(Row(layer.name, shape, *total(children), *rf, children=children))
        else:
            raise TypeError(f"unknown layer {layer!r}")
    return rows


def summarize(layers, input_shape) -> list[Row]:
    """Walk a network layer by layer: output shape, parameters, MACs, receptive field.

    Parameters
    ----------
    layers : sequence
        :class:`Conv`, :class:`Pool`, :class:`Linear`, :class:`Shuffle` and
        :class:`Parallel` objects.
    input_shape : (int, int, int)
        ``(C, H, W)`` of one input image.

    Returns
    -------
    list of Row
        One row per top-level layer; a :class:`Parallel` row sums its branches, which are
        listed in its ``children``. MACs are for one image; pooling and additions are not
        counted, as in the papers.

    Examples
    --------
    >>> rows = summarize([Conv(32, 3, stride=2, padding=1), Conv(32, 3, padding=1,
    ...                   groups=32), Conv(64, 1)], (3, 224, 224))
    >>> [(r.shape, r.params, r.rf_size) for r in rows]
    [((32, 112, 112), 864, 3), ((32, 112, 112), 288, 7), ((64, 112, 112), 2048, 7)]
    """
    shape = tuple(input_shape)
    if len(shape) != 3 or any(as_int(n, "input_shape") < 1 for n in shape):
        raise ValueError(f"input_shape={shape} must be (C, H, W), three positive ints")
    return _walk(list(layers), shape, (1, 1, 0.0))


def total(rows) -> tuple[int, int]:
    """Total parameters and MACs of :func:`summarize`'s rows.

    Parameters
    ----------
    rows : sequence of Row
        As :func:`summarize` returns them.

    Returns
    -------
    (int, int)
        Parameters and MACs.
    """
    return sum(r.params for r in rows), sum(r.macs for r in rows)


def _centre(rows, k):
    """``(y, x)`` on the input of the central output of row ``k``'s map, or of the last map
    before it (a flat row has none); :func:`convnb.plot.network` and the explorer draw it."""
    spatial = next((r.shape for r in reversed(rows[: k + 1]) if len(r.shape) == 3), None)
    if spatial is None:
        raise ValueError(f"rows[0..{k}] have no (C, H, W) output to centre on")
    row = rows[k]
    return tuple(row.rf_start + (n // 2) * row.rf_jump for n in spatial[1:])


# --- real networks, written from their papers -------------------------------------------------


def _mobilenet_v1(full_convolutions=False):
    """MobileNet v1 1.0-224 (Howard et al. 2017, Table 1). With ``full_convolutions`` each
    depthwise-separable pair becomes one standard 3x3 layer (the paper's Table 4 baseline).

    Table 1 prints the 13th depthwise layer as stride 2 on a 7x7 input; the network's 7x7
    output needs stride 1 there, which is what implementations use (and is used here)."""
    plan = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), *[(512, 1)] * 5]
    plan += [(1024, 2), (1024, 1)]
    layers = [Conv(32, 3, stride=2, padding=1, name="conv1")]
    channels = 32
    for k, (out, stride) in enumerate(plan, start=1):
        if full_convolutions:
            layers.append(Conv(out, 3, stride=stride, padding=1, name=f"conv{k + 1}"))
        else:
            layers.append(
                Conv(channels, 3, stride=stride, padding=1, groups=channels, name=f"dw{k}")
            )
            layers.append(Conv(out, 1, name=f"pw{k}"))
        channels = out
    layers += [Pool(7, name="avgpool"), Linear(1000, name="fc")]
    return layers


def _alexnet():
    """AlexNet (Krizhevsky et al. 2012) on 227x227 inputs, groups=2 where the two GPUs did
    not exchange activations (conv2, conv4, conv5), as in Caffe's reference model."""
    return [
        Conv(96, 11, stride=4, bias=True, name="conv1"),
        Pool(3, 2, name="pool1"),
        Conv(256, 5, padding=2, groups=2, bias=True, name="conv2"),
        Pool(3, 2, name="pool2"),
        Conv(384, 3, padding=1, bias=True, name="conv3"),
        Conv(384, 3, padding=1, groups=2, bias=True, name="conv4"),
        Conv(256, 3, padding=1, groups=2, bias=True, name="conv5"),
        Pool(3, 2, name="pool5"),
        Linear(4096, name="fc6"),
        Linear(4096, name="fc7"),
        Linear(1000, name="fc8"),
    ]


def _bottleneck(width, out, groups=1, name="block"):
    """ResNet (groups=1) or ResNeXt (groups=cardinality) bottleneck with identity shortcut."""
    branch = (
        Conv(width, 1, name=f"{name}.1x1a"),
        Conv(width, 3, padding=1, groups=groups, name=f"{name}.3x3"),
        Conv(out, 1, name=f"{name}.1x1b"),
    )
    return Parallel((branch, ()), merge="add", name=name)


def _xception_middle():
    """One block of Xception's middle flow (Chollet 2017): three depthwise-separable 3x3
    layers at 728 channels, with a residual connection."""
    branch = []
    for k in range(1, 4):
        branch += [
            Conv(728, 3, padding=1, groups=728, name=f"sep{k}.dw"),
            Conv(728, 1, name=f"sep{k}.pw"),
        ]
    return [Parallel((tuple(branch), ()), merge="add", name="middle block")]


def _shufflenet_unit(channels=240, groups=3):
    """A ShuffleNet unit with stride 1 (Zhang et al. 2018, Fig. 2b): 1x1 group conv to a
    quarter of the channels, channel shuffle, 3x3 depthwise, 1x1 group conv back."""
    m = channels // 4
    branch = (
        Conv(m, 1, groups=groups, name="gconv1"),
        Shuffle(groups),
        Conv(m, 3, padding=1, groups=m, name="dwconv"),
        Conv(channels, 1, groups=groups, name="gconv2"),
    )
    return [Parallel((branch, ()), merge="add", name="shufflenet unit")]


#: name -> (layers, input shape)
NETWORKS = {
    "MobileNet v1 1.0-224": (_mobilenet_v1(), (3, 224, 224)),
    "MobileNet v1, full convolutions": (_mobilenet_v1(full_convolutions=True), (3, 224, 224)),
    "AlexNet": (_alexnet(), (3, 227, 227)),
    "ResNet-50 bottleneck (conv2)": ([_bottleneck(64, 256, name="resnet")], (256, 56, 56)),
    "ResNeXt-50 32x4d block (conv2)": (
        [_bottleneck(128, 256, groups=32, name="resnext")],
        (256, 56, 56),
    ),
    "Xception middle-flow block": (_xception_middle(), (728, 19, 19)),
    "ShuffleNet unit (g=3)": (_shufflenet_unit(240, 3), (240, 28, 28)),
}


def _paths(layers):
    """Every chain of spatial steps through the network (one per combination of branches)."""
    chains = [[]]
    for layer in layers:
        if isinstance(layer, (Conv, Pool)):
            chains = [[*c, _step(layer)] for c in chains]
        elif isinstance(layer, Parallel):
            chains = [
                c + p for c in chains for branch in layer.branches for p in _paths(list(branch))
            ]
        elif isinstance(layer, Linear):
            break  # a classifier sees everything: the field is that of the last spatial layer
    return chains


def receptive_field_support(layers, input_size: int):
    """Measure the receptive field of a network's central output by backpropagation.

    For every path through the network (each branch of a :class:`Parallel` is a path; a
    residual shortcut is the empty one), a gradient of 1 at the central output of the last
    spatial layer is sent back to a 1-D input of ``input_size`` samples with
    :func:`convnb.receptive_field_by_gradient`; the union of where it lands is what that
    output depends on. Pooling counts as its window (average pooling's gradient).

    Parameters
    ----------
    layers : sequence
        Layers as for :func:`summarize`.
    input_size : int
        Length of the 1-D input it measures on.

    Returns
    -------
    int
        The extent (last minus first position, plus one) of the non-zero gradient. The input
        must be large enough to contain the field, or the extent is clipped.

    Examples
    --------
    >>> receptive_field_support([Conv(8, 3), Conv(8, 3, stride=2), Conv(8, 3)], 41)
    9
    """
    from .gradients import receptive_field_by_gradient

    lo, hi = None, None
    for chain in _paths(list(layers)):
        if not chain:
            continue
        size = arithmetic.stack_sizes(chain, input_size)[-1]
        grad = receptive_field_by_gradient(chain, (input_size,), (size // 2,))
        seen = [i for i, g in enumerate(grad) if g != 0]
        lo = seen[0] if lo is None else min(lo, seen[0])
        hi = seen[-1] if hi is None else max(hi, seen[-1])
    return 0 if lo is None else hi - lo + 1
