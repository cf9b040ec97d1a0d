"""Interactive explorers for the book.

:func:`explorer` is an anywidget whose interface is one ES module
(``convnb/static/explorer.js``, SVG, no build step): the same code runs in a kernel
(Jupyter, Binder, Colab) and on the static book page, where every control works with no
kernel. :func:`sliding_explorer` (``sliding.js``) and :func:`network_explorer`
(``network.js``) work the same way; their numbers come from the package, computed in
Python and carried in the widget's state. Arrows point one way: widgets -> plot -> math.
"""

from __future__ import annotations

import pathlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

try:
    import anywidget
    import traitlets
except ImportError as _exc:
    _missing = (_exc.name or "anywidget").split(".")[0]
    raise ImportError(
        f'convnb.widgets needs {_missing}, which is not installed: pip install "convnb[plot]"',
        name=_missing,
    ) from _exc

from . import arithmetic, channels, frameworks, plot
from ._backend import to_numpy
from ._typing import Array

if TYPE_CHECKING:
    import matplotlib.animation

__all__ = [
    "LAYER_KEYS",
    "PRESETS",
    "Explorer",
    "NetworkExplorer",
    "SlidingExplorer",
    "companion",
    "describe",
    "explorer",
    "network_explorer",
    "sliding_explorer",
]

_STATIC = pathlib.Path(__file__).resolve().parent / "static"

_PRESET_KEYS = "input_size channels multiplier kernel_size stride padding dilation groups".split()
#: The explorer's starting values for each chapter. Every preset draws a meaningful
#: picture as it is, because that first state is what the static web page shows.
PRESETS = {
    name: dict(zip(_PRESET_KEYS, values, strict=True), **extra)
    for name, values, extra in [
        ("standard", (5, 3, 2, 3, 1, 1, 1, 1), {}),
        ("arithmetic", (7, 2, 1, 3, 2, 1, 1, 1), {}),
        ("pointwise", (4, 4, 2, 1, 1, 0, 1, 1), {}),
        ("group", (5, 8, 1, 3, 1, 1, 1, 2), {}),
        ("depthwise", (5, 4, 2, 3, 1, 1, 1, 4), {}),
        ("separable", (5, 4, 4, 3, 1, 1, 1, 4), {}),
        ("dilated", (9, 1, 1, 3, 1, 2, 2, 1), {}),
        ("transposed", (3, 2, 1, 3, 2, 1, 1, 1), dict(transposed=True, output_padding=1)),
    ]
}
_DEFAULTS = dict(transposed=False, output_padding=0, position=0, out_channel=0)


class SlidingExplorer(anywidget.AnyWidget):
    """A kernel sliding along a 1-D signal: :func:`sliding_explorer` builds it.

    The view is ``convnb/static/sliding.js`` (SVG), live in a kernel and on the static
    page alike. ``convolved`` and ``correlated`` are the full results, computed by
    :func:`convnb.signal.convolve` and :func:`convnb.signal.correlate`; the view only
    chooses which samples meet (the pairs of :func:`convnb.signal.taps`).

    Parameters
    ----------
    *args, **kwargs
        Passed to ``anywidget.AnyWidget``: the starting values of the traits by name
        (``signal``, ``kernel``, ``convolved``, ``correlated``: lists of floats;
        ``shift``: int; ``flip``: bool). :func:`sliding_explorer` fills them
        consistently.
    """

    _esm = _STATIC / "sliding.js"
    signal = traitlets.List(traitlets.Float()).tag(sync=True)
    kernel = traitlets.List(traitlets.Float()).tag(sync=True)
    shift = traitlets.Int(0).tag(sync=True)
    flip = traitlets.Bool(False).tag(sync=True)
    convolved = traitlets.List(traitlets.Float()).tag(sync=True)
    correlated = traitlets.List(traitlets.Float()).tag(sync=True)

    @traitlets.validate("shift")
    def _valid_shift(self, proposal):
        last = len(self.signal) + len(self.kernel) - 2
        if not 0 <= proposal["value"] <= last:
            raise traitlets.TraitError(f"shift={proposal['value']} is not in 0..{last}")
        return proposal["value"]


def sliding_explorer(
    signal: Array, kernel: Array, *, shift: int | None = None, flip: bool = False
) -> SlidingExplorer:
    """Slide a kernel along a 1-D signal, with or without flipping it.

    Parameters
    ----------
    signal, kernel : Array
        1-D and real, of shapes ``(n,)`` and ``(m,)``, from any supported array library.
    shift : int, optional
        Initial output index; defaults to the middle of the full output.
    flip : bool, default False
        Initial state of the "flip the kernel" toggle.

    Returns
    -------
    SlidingExplorer
        An anywidget with a slider for the output index (trait ``shift``, in
        ``0 .. len(signal) + len(kernel) - 2``) and a toggle for the flip (``flip``).

    Examples
    --------
    >>> import numpy as np
    >>> box = sliding_explorer(np.array([1.0, 2.0, 3.0]), np.array([1.0, -1.0]))
    >>> box.shift, box.flip, box.correlated
    (1, False, [-1.0, -1.0, -1.0, 3.0])
    >>> box.shift = 3  # the view redraws for the last output
    """
    from . import signal as _signal

    f, g = to_numpy(signal), to_numpy(kernel)
    if f.ndim != 1 or g.ndim != 1:
        raise ValueError(f"signal and kernel must be 1-D, got shapes {f.shape} and {g.shape}")
    if f.dtype.kind == "c" or g.dtype.kind == "c":
        raise TypeError("sliding_explorer draws real signals; got complex values")
    last = len(f) + len(g) - 2
    return SlidingExplorer(
        signal=[float(v) for v in f],
        kernel=[float(v) for v in g],
        convolved=[float(v) for v in to_numpy(_signal.convolve(signal, kernel))],
        correlated=[float(v) for v in to_numpy(_signal.correlate(signal, kernel))],
        shift=last // 2 if shift is None else shift,
        flip=flip,
    )


class Explorer(anywidget.AnyWidget):
    """One explorer for every chapter: a 2-D convolution layer you can reshape.

    The interface is one ES module, ``convnb/static/explorer.js``, that draws SVG in the
    browser; it is the same code in Jupyter, Binder, Colab and on the static book page
    (where it runs from the saved widget state, with no kernel). The traitlets hold the
    layer, with the argument names of :func:`convnb.conv2d` and
    :func:`convnb.conv_transpose2d`; setting one redraws the view, and moving a control in
    the view sets the trait. :attr:`error` is the package's own message for an invalid
    layer (the view shows the same text), and :attr:`info` the read-out's numbers.

    Parameters
    ----------
    **params : Any
        Starting values of the traits, by name (:data:`LAYER_KEYS`); the others keep
        their defaults. :func:`explorer` builds them from a chapter's preset.
    """

    _esm = _STATIC / "explorer.js"
    in_size = traitlets.Int(5).tag(sync=True)
    kernel_size = traitlets.Int(3).tag(sync=True)
    stride = traitlets.Int(1).tag(sync=True)
    padding = traitlets.Union([traitlets.Int(), traitlets.Unicode()], default_value=0).tag(
        sync=True
    )
    dilation = traitlets.Int(1).tag(sync=True)
    in_channels = traitlets.Int(1).tag(sync=True)
    out_channels = traitlets.Int(1).tag(sync=True)
    groups = traitlets.Int(1).tag(sync=True)
    transposed = traitlets.Bool(False).tag(sync=True)
    output_padding = traitlets.Int(0).tag(sync=True)
    position = traitlets.List(traitlets.Int(), default_value=[0, 0], minlen=2, maxlen=2).tag(
        sync=True
    )
    out_channel = traitlets.Int(0).tag(sync=True)
    #: ``"ValueError: ..."`` when the layer is invalid, else None (Python side only)
    error = traitlets.Unicode(None, allow_none=True)
    #: what the read-out shows, from :func:`describe` (None when the layer is invalid)
    info = traitlets.Dict(None, allow_none=True)

    def __init__(self, **params):
        super().__init__(**params)
        self.observe(self._check, names=list(LAYER_KEYS))
        self._check()

    def layer(self) -> dict:
        """The current parameters, as plain Python values."""
        return {name: getattr(self, name) for name in LAYER_KEYS}

    def _check(self, _change=None):
        try:
            self.info = describe(self.layer())
        except (ValueError, TypeError) as err:
            self.error, self.info = f"{type(err).__name__}: {err}", None
        else:
            self.error = None


#: The layer's traitlets, in the order of the page API's ``set(params)``.
LAYER_KEYS = (
    "in_size",
    "kernel_size",
    "stride",
    "padding",
    "dilation",
    "in_channels",
    "out_channels",
    "groups",
    "transposed",
    "output_padding",
    "position",
    "out_channel",
)


def describe(p: Mapping[str, Any]) -> dict[str, Any]:
    """The explorer's read-out for layer ``p`` (keys :data:`LAYER_KEYS`), computed by
    :mod:`convnb.arithmetic`, :mod:`convnb.channels` and :mod:`convnb.frameworks`; raises
    the package's error, checked in the order :func:`convnb.conv2d` (or
    :func:`convnb.conv_transpose2d`) checks it, when the layer is invalid.

    Parameters
    ----------
    p : mapping
        One value for each of :data:`LAYER_KEYS`, as ``Explorer.layer()`` returns them:
        a square layer (``in_size``, ``kernel_size``, ``stride``, ``dilation`` and
        ``output_padding`` are ints; ``padding`` an int, or ``"same"``/``"valid"`` when not
        ``transposed``), its channels (``in_channels``, ``out_channels``, ``groups``), and
        ``out_channel``, the output channel whose inputs are listed.

    Returns
    -------
    dict
        ``output_size`` (int, the side of the square output), ``channels`` (the input
        channels ``out_channel`` reads, a list of int), ``parameters`` (weights, no
        bias), ``macs`` (multiply-accumulates for one image), ``receptive_field`` (int),
        and ``pytorch`` and ``keras``, the layer as code (str).

    Examples
    --------
    >>> info = describe(dict(in_size=7, kernel_size=3, stride=2, padding=1, dilation=1,
    ...     in_channels=2, out_channels=4, groups=2, transposed=False, output_padding=0,
    ...     position=[0, 0], out_channel=3))
    >>> info["output_size"], info["parameters"], info["channels"]
    (4, 36, [1])
    """
    i, k, s, d = p["in_size"], p["kernel_size"], p["stride"], p["dilation"]
    c_in, c_out, g = p["in_channels"], p["out_channels"], p["groups"]
    code = dict(stride=s, padding=p["padding"], dilation=d, groups=g)
    if p["transposed"]:
        o = arithmetic.conv_transpose_output_size(i, k, s, p["padding"], d, p["output_padding"])
        read = channels.input_channels(p["out_channel"], c_in, c_out, g)
        macs = arithmetic.count_macs(c_out, c_in, (k, k), (i, i), g)  # the adjoint's count
        code.update(transposed=True, output_padding=p["output_padding"])
        torch_only = {}
    else:
        read = channels.input_channels(p["out_channel"], c_in, c_out, g)
        (o,) = arithmetic.geometry((i,), (k,), s, p["padding"], d).out
        macs = arithmetic.count_macs(c_in, c_out, (k, k), (o, o), g)
        torch_only = dict(input_size=(i, i))  # to spell out padding="same"
    torch_code = frameworks.pytorch_layer(c_in, c_out, k, **code, **torch_only)
    keras_code = frameworks.keras_layer(c_in, c_out, k, **code)
    field = arithmetic.receptive_field([{"kernel_size": k, "dilation": d, "stride": s}])[0]
    return {
        "output_size": o,
        "channels": list(read),
        "parameters": arithmetic.count_params(c_in, c_out, (k, k), g, bias=False),
        "macs": macs,
        "receptive_field": field.size,
        "pytorch": torch_code,
        "keras": keras_code,
    }


def _page_params(values: dict) -> dict:
    """A preset (``input_size``, ``channels``, ``multiplier``, ``position`` as a flat
    index) as the explorer's layer parameters."""
    p = {**_DEFAULTS, **values}
    size = p["input_size"]
    if not p["transposed"] and p["position"]:  # a flat index into the output
        (size,) = arithmetic.geometry(
            (size,), (p["kernel_size"],), p["stride"], p["padding"], p["dilation"]
        ).out
    return {
        **{key: p[key] for key in LAYER_KEYS if key in p},  # the keys named alike in both
        "in_size": p["input_size"],
        "padding": 0 if p["padding"] == "valid" else p["padding"],
        "in_channels": p["channels"],
        "out_channels": p["channels"] * p["multiplier"],
        "position": list(divmod(p["position"], size)),
    }


def explorer(preset: str = "standard", **values: Any) -> Explorer:
    """The explorer, starting from a chapter's preset.

    Parameters
    ----------
    preset : str, default "standard"
        A key of :data:`PRESETS`.
    **values : Any
        Starting values that override the preset: the preset's own keys
        (``input_size``, ``channels``, ``multiplier``, ``groups``, ``kernel_size``,
        ``stride``, ``padding``, ``dilation``, ``transposed``, ``output_padding``,
        ``position`` as a flat index, ``out_channel``) or the explorer's traitlets
        (:data:`LAYER_KEYS`, e.g. ``out_channels=6`` or ``position=[1, 2]``).

    Returns
    -------
    Explorer
        An anywidget; its traitlets are :data:`LAYER_KEYS`.

    Examples
    --------
    >>> ex = explorer("depthwise")
    >>> ex.groups, ex.in_channels, ex.out_channels, ex.error
    (4, 4, 8, None)
    >>> ex.groups = 3  # does not divide 4 channels
    >>> ex.error
    'ValueError: groups=3 does not divide in_channels=4'
    """
    if preset not in PRESETS:
        raise ValueError(f"preset={preset!r} is not one of {sorted(PRESETS)}")
    unknown = set(values) - set(PRESETS["standard"]) - set(_DEFAULTS) - set(LAYER_KEYS)
    if unknown:
        raise TypeError(f"explorer() got unknown parameters {sorted(unknown)}")
    old = {key: v for key, v in values.items() if key in PRESETS["standard"] or key in _DEFAULTS}
    new = {key: v for key, v in values.items() if key not in old}
    if isinstance(old.get("position"), (list, tuple)):
        new["position"] = list(old.pop("position"))
    return Explorer(**{**_page_params({**PRESETS[preset], **old}), **new})


def companion(preset: str = "standard", **values: Any) -> matplotlib.animation.FuncAnimation:
    """The static companion of an explorer: its picture animated over every position.

    Returns a ``FuncAnimation``; :func:`convnb.plot.player` turns it into a player that
    works in a plain browser, with no kernel and no CDN.

    Parameters
    ----------
    preset : str, default "standard"
        A key of :data:`PRESETS`.
    **values : Any
        Values that override the preset, with the preset's keys (``input_size``,
        ``kernel_size``, ``stride``, ``padding``, ``dilation``, ``transposed``,
        ``output_padding``); the channel keys do not change the picture.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        :func:`convnb.plot.animate` of the preset's layer: one frame per output position
        (per input position for a transposed layer).

    Examples
    --------
    >>> anim = companion("arithmetic")
    >>> len(list(anim.new_frame_seq()))  # every output of a 4x4 result
    16
    """
    p = {**_DEFAULTS, **PRESETS[preset], **values}
    return plot.animate(
        p["input_size"],
        p["kernel_size"],
        stride=p["stride"],
        padding=0 if p["padding"] == "valid" else p["padding"],  # transposed takes no "valid"
        dilation=p["dilation"],
        transposed=p["transposed"],
        output_padding=p["output_padding"],
    )


class NetworkExplorer(anywidget.AnyWidget):
    """Pick a network and a layer: :func:`network_explorer` builds it.

    The view is ``convnb/static/network.js`` (SVG), live in a kernel and on the static
    page alike. ``tables`` holds every network's rows from
    :func:`convnb.networks.summarize` (and where the central output's receptive field
    sits); the view only draws them.

    Parameters
    ----------
    *args, **kwargs
        Passed to ``anywidget.AnyWidget``: the starting values of the traits by name
        (``tables``: a dict of network name to rows; ``network``: str, a key of
        ``tables``; ``layer``: int, a row index). :func:`network_explorer` fills them.
    """

    _esm = _STATIC / "network.js"
    tables = traitlets.Dict().tag(sync=True)
    network = traitlets.Unicode().tag(sync=True)
    layer = traitlets.Int(0).tag(sync=True)

    @traitlets.validate("network")
    def _valid_network(self, proposal):
        if proposal["value"] not in self.tables:
            raise traitlets.TraitError(
                f"network={proposal['value']!r} is not one of {sorted(self.tables)}"
            )
        return proposal["value"]

    @traitlets.validate("layer")
    def _valid_layer(self, proposal):
        last = len(self.tables[self.network]["rows"]) - 1
        if not 0 <= proposal["value"] <= last:
            raise traitlets.TraitError(f"layer={proposal['value']} is not in 0..{last}")
        return proposal["value"]


def _network_table(layers, shape) -> dict:
    """The rows of :func:`convnb.networks.summarize` as plain data, with the centre of
    each layer's central output on the input (as :func:`convnb.plot.network` places it)."""
    from . import networks

    rows = networks.summarize(layers, shape)
    out = []
    for k, row in enumerate(rows):
        cy, cx = networks._centre(rows, k)
        out.append(
            dict(
                name=row.name,
                params=row.params,
                macs=row.macs,
                rf_size=row.rf_size,
                rf_jump=row.rf_jump,
                cy=cy,
                cx=cx,
            )
        )
    return {"input_shape": list(shape), "rows": out}


def network_explorer(network: str = "AlexNet", layer: int | None = None) -> NetworkExplorer:
    """Pick a network and a layer: its receptive field on an image and the running cost.

    Parameters
    ----------
    network : str, default "AlexNet"
        A key of :data:`convnb.networks.NETWORKS`.
    layer : int, optional
        Index of the layer to show first; by default the last one.

    Returns
    -------
    NetworkExplorer
        An anywidget with a dropdown for the network (trait ``network``) and a slider for
        the layer (``layer``).

    Examples
    --------
    >>> box = network_explorer("MobileNet v1 1.0-224")
    >>> box.layer  # 27 convolutions, the pooling and the classifier: the last is 28
    28
    >>> box.tables[box.network]["rows"][4]["rf_size"]
    11
    """
    from . import networks

    tables = {name: _network_table(*spec) for name, spec in networks.NETWORKS.items()}
    if network not in tables:
        raise ValueError(f"network={network!r} is not one of {sorted(tables)}")
    last = len(tables[network]["rows"]) - 1
    return NetworkExplorer(tables=tables, network=network, layer=last if layer is None else layer)
