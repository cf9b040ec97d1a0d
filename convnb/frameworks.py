"""The same 2-D layer written for PyTorch and for TensorFlow/Keras, as copyable code.

convnb's arguments are PyTorch's, so the PyTorch line is nearly a copy; Keras differs in
names (``filters``, ``strides``, ``dilation_rate``, ``depth_multiplier``), in layout
(channels last by default), in padding (only ``"valid"`` and ``"same"``; explicit padding
is a separate ``ZeroPadding2D`` layer, and a transposed layer's padding is a
``Cropping2D``), and in having a separate ``DepthwiseConv2D`` layer. Nothing here imports
either framework: the functions return source text.
"""

from __future__ import annotations

from . import arithmetic
from ._backend import as_int, as_tuple, at_least, check_groups

__all__ = [
    "dilation_from_holes",
    "groups_from_width",
    "keras_layer",
    "pytorch_layer",
    "tf_transpose_to_torch",
]


def _norm(value):
    if isinstance(value, (tuple, list)):
        value = tuple(value)
        return value[0] if len(set(value)) == 1 else value
    return value


def _check_args(
    in_channels, out_channels, groups, kernel_size, stride, padding, dilation, out_pad
):
    """Refuse what no framework accepts, naming the argument (2-D layers); return the
    channels, and the kernel size, stride and dilation as the code shows them."""
    channels = check_groups(in_channels, out_channels, groups)
    sizes = {"kernel_size": kernel_size, "stride": stride, "dilation": dilation}
    for name, value in sizes.items():
        at_least(value, 1, name, 2)
    if isinstance(padding, str):
        if padding not in arithmetic.PADDING_STRINGS:
            raise ValueError(f"padding={padding!r} is not one of {arithmetic.PADDING_STRINGS}")
    else:
        arithmetic.explicit_padding(padding, 2)
    at_least(out_pad, 0, "output_padding", 2)
    return (*channels, *(_norm(v) for v in sizes.values()))


def pytorch_layer(
    in_channels,
    out_channels,
    kernel_size,
    *,
    stride=1,
    padding=0,
    dilation=1,
    groups=1,
    transposed=False,
    output_padding=0,
    input_size=None,
) -> str:
    """PyTorch code for the layer (``torch.nn.Conv2d`` or ``ConvTranspose2d``, no bias).

    PyTorch accepts ``padding="same"`` only with stride 1; for a larger stride the code
    pads explicitly with TensorFlow's rule, which needs ``input_size``.

    Parameters
    ----------
    in_channels, out_channels, kernel_size, stride, padding, dilation, groups
        As in :func:`convnb.conv`.
    transposed : bool, default False
        A transposed layer.
    output_padding : int, default 0
        Of a transposed layer.
    input_size : (int, int), optional
        Needed for ``padding="same"`` with a stride above 1.

    Returns
    -------
    str
        Python code.

    Examples
    --------
    >>> print(pytorch_layer(3, 8, 3, padding=1))
    torch.nn.Conv2d(3, 8, kernel_size=3, padding=1, bias=False)
    >>> print(pytorch_layer(3, 8, 3, stride=2, padding="same", input_size=(224, 224)))
    torch.nn.Sequential(
        torch.nn.ZeroPad2d((0, 1, 0, 1)),  # TensorFlow's "same" for stride 2
        torch.nn.Conv2d(3, 8, kernel_size=3, stride=2, bias=False),
    )
    """
    *_, kernel_size, stride, dilation = _check_args(
        in_channels, out_channels, groups, kernel_size, stride, padding, dilation, output_padding
    )
    args = [str(in_channels), str(out_channels), f"kernel_size={kernel_size}"]
    pad_layer = None
    if stride != 1:
        args.append(f"stride={stride}")
    if padding == "same" and stride != 1 and not transposed:
        if input_size is None:
            raise ValueError("padding='same' with stride > 1 needs input_size to spell out")
        size, k = as_tuple(input_size, 2, "input_size"), as_tuple(kernel_size, 2, "kernel_size")
        pads = arithmetic.resolve_padding("same", size, k, stride, dilation)
        (top, bottom), (left, right) = pads
        pad_layer = f"torch.nn.ZeroPad2d(({left}, {right}, {top}, {bottom}))"
    elif padding not in (0, "valid"):
        args.append(
            f"padding={padding!r}" if isinstance(padding, str) else f"padding={_norm(padding)}"
        )
    if transposed and output_padding:
        args.append(f"output_padding={_norm(output_padding)}")
    if groups != 1:
        args.append(f"groups={groups}")
    if dilation != 1:
        args.append(f"dilation={dilation}")
    args.append("bias=False")
    name = "ConvTranspose2d" if transposed else "Conv2d"
    layer = f"torch.nn.{name}({', '.join(args)})"
    if pad_layer:
        return (
            "torch.nn.Sequential(\n"
            f'    {pad_layer},  # TensorFlow\'s "same" for stride {stride}\n'
            f"    {layer},\n"
            ")"
        )
    return layer


def keras_layer(
    in_channels,
    out_channels,
    kernel_size,
    *,
    stride=1,
    padding=0,
    dilation=1,
    groups=1,
    transposed=False,
    output_padding=0,
) -> str:
    """TensorFlow/Keras code for the layer (channels-last input, no bias).

    Parameters
    ----------
    in_channels, out_channels, kernel_size, stride, padding, dilation, groups
        As in :func:`convnb.conv`; ``padding`` an int, ``"valid"`` or ``"same"``.
    transposed : bool, default False
        A transposed layer.
    output_padding : int, default 0
        Of a transposed layer.

    Returns
    -------
    str
        Python code.

    Examples
    --------
    >>> print(keras_layer(4, 8, 3, groups=4, padding="same"))
    tf.keras.layers.DepthwiseConv2D(kernel_size=3, padding="same", depth_multiplier=2,
    use_bias=False)
    >>> print(keras_layer(3, 8, 3, padding=1))
    tf.keras.Sequential([
        tf.keras.layers.ZeroPadding2D(1),
        tf.keras.layers.Conv2D(filters=8, kernel_size=3, padding="valid", use_bias=False),
    ])
    """
    c_in, c_out, g, kernel_size, stride, dilation = _check_args(
        in_channels, out_channels, groups, kernel_size, stride, padding, dilation, output_padding
    )
    explicit = padding not in ("same", "valid", 0)
    mode = "same" if padding == "same" else "valid"
    common = [f"kernel_size={kernel_size}"]
    if stride != 1:
        common.append(f"strides={stride}")
    common.append(f'padding="{mode}"')
    notes = []
    if dilation != 1:
        common.append(f"dilation_rate={dilation}")
        if stride != 1 and not transposed:
            notes.append("# note: Keras refuses dilation_rate > 1 together with strides > 1")
    if transposed:
        if output_padding:
            common.append(f"output_padding={_norm(output_padding)}")
        if g != 1:
            notes.append("# note: Keras's Conv2DTranspose has no groups")
        layer = f"tf.keras.layers.Conv2DTranspose(filters={c_out}, {', '.join(common)}"
    elif g == c_in and g > 1:
        layer = (
            f"tf.keras.layers.DepthwiseConv2D({', '.join(common)}, "
            f"depth_multiplier={c_out // c_in}"
        )
    else:
        extra = f", groups={g}" if g != 1 else ""
        layer = f"tf.keras.layers.Conv2D(filters={c_out}, {', '.join(common)}{extra}"
    layer += ", use_bias=False)"
    if explicit:  # padded before a convolution, cropped after a transposed one
        kind = "Cropping2D" if transposed else "ZeroPadding2D"
        pad = f"tf.keras.layers.{kind}({_norm(padding)})"
        inner = (layer, pad) if transposed else (pad, layer)
        layer = "\n".join(["tf.keras.Sequential([", *(f"    {s}," for s in inner), "])"])
    return "\n".join([*notes, layer])


def groups_from_width(channels, width):
    """The ``groups`` count that PyTorch, TensorFlow and convnb take, from a group *width*.

    Some code (ResNeXt's "32x4d": 32 groups of width 4) describes groups by their width;
    every framework's ``groups`` argument is the number of groups.

    Parameters
    ----------
    channels, width : int
        Channels and the width of one group.

    Returns
    -------
    int
        ``channels // width``.

    Examples
    --------
    >>> groups_from_width(128, 4)
    32
    """
    c, w = as_int(channels, "channels"), as_int(width, "width")
    if w < 1 or c % w:
        raise ValueError(f"width={w} does not divide channels={c}")
    return c // w


def dilation_from_holes(holes):
    """Frameworks' dilation (spacing between taps, 1 = dense) from a count of holes.

    Some course notes count the zeros inserted between taps, so their 0 is a dense kernel.

    Parameters
    ----------
    holes : int
        Zeros between taps, non-negative.

    Returns
    -------
    int
        ``holes + 1``.

    Examples
    --------
    >>> dilation_from_holes(0), dilation_from_holes(1)
    (1, 2)
    """
    return at_least(holes, 0, "holes") + 1


def tf_transpose_to_torch(input_size, output_size, kernel_size, stride, padding, dilation=1):
    """PyTorch's ``(padding, output_padding)`` for TensorFlow's ``conv2d_transpose`` size.

    TensorFlow asks for the ``output_shape`` and a padding mode (``"SAME"`` or ``"VALID"``);
    the transposed layer is the adjoint (gradient) of the convolution that maps
    ``output_size`` to ``input_size`` with that padding. PyTorch asks for ``padding`` (trimmed
    from both ends) and ``output_padding`` (extra at the end). Along one dimension, this
    returns the PyTorch pair that gives the same output, or raises ``ValueError`` when no
    pair does: PyTorch trims at least as much at the start as at the end, TensorFlow's
    ``"SAME"`` puts its odd sample at the end.

    Parameters
    ----------
    input_size, output_size, kernel_size, stride, dilation : int
        Along one dimension.
    padding : {"SAME", "VALID"}
        TensorFlow's padding mode.

    Returns
    -------
    (int, int)
        PyTorch's ``padding`` and ``output_padding``.

    Examples
    --------
    >>> tf_transpose_to_torch(3, 5, 3, 2, "SAME")   # SAME pads (1, 1) for 5 -> 3
    (1, 0)
    >>> tf_transpose_to_torch(3, 7, 3, 2, "VALID")
    (0, 0)

    The usual "double the size" layer (kernel 3, stride 2, 3 -> 6) has no equivalent:
    TensorFlow's SAME trims the odd sample at the end, PyTorch's ``padding=1,
    output_padding=1`` (also 6 samples) at the start, so the outputs are shifted by one:

    >>> tf_transpose_to_torch(3, 6, 3, 2, "SAME")
    Traceback (most recent call last):
        ...
    ValueError: TensorFlow's SAME padding trims (0, 1) samples for 6 -> 3; PyTorch trims ...
    """
    i, o = as_int(input_size, "input_size"), as_int(output_size, "output_size")
    k, s, d = map(as_int, (kernel_size, stride, dilation), ("kernel_size", "stride", "dilation"))
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"padding={padding!r} is not 'SAME' or 'VALID'")
    before, after = arithmetic.same_padding(o, k, s, d) if padding == "SAME" else (0, 0)
    if arithmetic.conv_output_size(o, k, s, (before, after), d) != i:
        raise ValueError(
            f"output_size={o} does not convolve back to input_size={i} with {padding} "
            f"padding (kernel_size={k}, stride={s}, dilation={d})"
        )
    full = arithmetic.conv_transpose_output_size(i, k, s, 0, d)
    extra = o - (full - 2 * before)
    if not 0 <= extra < max(s, d):
        raise ValueError(
            f"TensorFlow's {padding} padding trims ({before}, {full - before - o}) samples "
            f"for {o} -> {i}; PyTorch trims (padding, padding - output_padding), which "
            f"cannot match"
        )
    return before, extra
