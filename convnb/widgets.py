"""Interactive explorers for the book, built on :mod:`convnb.plot`.

Each explorer returns an ipywidgets container. Its first drawing is made with the default
values, so a static page (where the widget is frozen at its first state) still shows a
meaningful picture. Arrows point one way: widgets -> plot -> math.
"""

from __future__ import annotations

import html

try:
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython import get_ipython
    from IPython.display import display
except ImportError as _exc:
    _missing = (_exc.name or "ipywidgets").split(".")[0]
    raise ImportError(
        f'convnb.widgets needs {_missing}, which is not installed: pip install "convnb[plot]"',
        name=_missing,
    ) from _exc

from . import arithmetic, frameworks, plot
from ._backend import to_numpy

__all__ = ["PRESETS", "Explorer", "companion", "explorer", "network_explorer", "sliding_explorer"]

#: The explorer's starting values for each chapter. Every preset draws a meaningful
#: picture as it is, because that first state is what the static web page shows.
PRESETS = {
    "standard": dict(
        input_size=5,
        channels=3,
        multiplier=2,
        kernel_size=3,
        stride=1,
        padding=1,
        dilation=1,
        groups=1,
    ),
    "arithmetic": dict(
        input_size=7,
        channels=2,
        multiplier=1,
        kernel_size=3,
        stride=2,
        padding=1,
        dilation=1,
        groups=1,
    ),
    "pointwise": dict(
        input_size=4,
        channels=4,
        multiplier=2,
        kernel_size=1,
        stride=1,
        padding=0,
        dilation=1,
        groups=1,
    ),
    "group": dict(
        input_size=5,
        channels=8,
        multiplier=1,
        kernel_size=3,
        stride=1,
        padding=1,
        dilation=1,
        groups=2,
    ),
    "depthwise": dict(
        input_size=5,
        channels=4,
        multiplier=2,
        kernel_size=3,
        stride=1,
        padding=1,
        dilation=1,
        groups=4,
    ),
    "separable": dict(
        input_size=5,
        channels=4,
        multiplier=4,
        kernel_size=3,
        stride=1,
        padding=1,
        dilation=1,
        groups=4,
    ),
    "dilated": dict(
        input_size=9,
        channels=1,
        multiplier=1,
        kernel_size=3,
        stride=1,
        padding=2,
        dilation=2,
        groups=1,
    ),
    "transposed": dict(
        input_size=3,
        channels=2,
        multiplier=1,
        kernel_size=3,
        stride=2,
        padding=1,
        dilation=1,
        groups=1,
        transposed=True,
        output_padding=1,
    ),
}
_DEFAULTS = dict(transposed=False, output_padding=0, position=0, out_channel=0)


def sliding_explorer(signal, kernel, *, shift=None, flip=False):
    """Slide a kernel along a 1-D signal, with or without flipping it.

    Parameters
    ----------
    signal, kernel : 1-D arrays
        Any supported array library.
    shift : int, optional
        Initial output index; defaults to the middle of the full output.
    flip : bool, default False
        Initial state of the "flip the kernel" toggle.

    Returns
    -------
    ipywidgets.VBox
        A slider for the output position, a toggle for the flip, and the figure of
        :func:`convnb.plot.sliding_kernel`. ``box.children[:2]`` are the two controls and
        ``box.children[2]`` the output area, for programmatic use.

    Examples
    --------
    >>> import numpy as np
    >>> box = sliding_explorer(np.array([1.0, 2.0, 3.0]), np.array([1.0, -1.0]))
    >>> slider, toggle, _ = box.children
    >>> (slider.min, slider.max, slider.value, toggle.value)
    (0, 3, 1, False)
    >>> slider.value = 3  # redraws the figure for the last output
    """
    n, m = len(to_numpy(signal)), len(to_numpy(kernel))
    last = n + m - 2
    slider = widgets.IntSlider(
        value=last // 2 if shift is None else shift,
        min=0,
        max=last,
        description="output index",
        style={"description_width": "initial"},
        continuous_update=True,
    )
    toggle = widgets.ToggleButton(
        value=flip,
        description="flip the kernel (convolution)",
        layout=widgets.Layout(width="auto"),
    )
    out = widgets.Output()

    def redraw(_=None):
        ax = plot.sliding_kernel(signal, kernel, slider.value, flip=toggle.value)
        plt.close(ax.figure)
        if get_ipython() is None:  # outside a kernel there is nowhere to show it
            return
        with out:
            out.clear_output(wait=True)
            display(ax.figure)

    slider.observe(redraw, names="value")
    toggle.observe(redraw, names="value")
    redraw()
    return widgets.VBox([slider, toggle, out])


def _padding_options():
    return [("0 (valid)", 0), ("1", 1), ("2", 2), ("3", 3), ("same", "same")]


class Explorer(widgets.VBox):
    """One explorer for every chapter: a 2-D convolution layer you can reshape.

    Build it with :func:`explorer`. ``controls`` maps each parameter name to its widget,
    ``readout`` is the HTML panel (formulas, counts, framework code, or the package's own
    error message for an invalid combination), and :meth:`update` redraws; moving any
    control calls it.
    """

    def __init__(self, values):
        slider = dict(
            style={"description_width": "initial"},
            continuous_update=False,
            layout=widgets.Layout(width="260px"),
        )
        c = {
            "input_size": widgets.IntSlider(min=1, max=12, description="input size", **slider),
            "channels": widgets.IntSlider(min=1, max=12, description="in channels", **slider),
            "multiplier": widgets.IntSlider(
                min=1, max=4, description="channel multiplier", **slider
            ),
            "groups": widgets.IntSlider(min=1, max=12, description="groups", **slider),
            "kernel_size": widgets.IntSlider(min=1, max=7, description="kernel size", **slider),
            "stride": widgets.IntSlider(min=1, max=4, description="stride", **slider),
            "padding": widgets.Dropdown(
                options=_padding_options(),
                description="padding",
                layout=widgets.Layout(width="260px"),
            ),
            "dilation": widgets.IntSlider(min=1, max=4, description="dilation", **slider),
            "transposed": widgets.Checkbox(description="transposed", indent=False),
            "output_padding": widgets.IntSlider(
                min=0, max=3, description="output padding", **slider
            ),
            "position": widgets.IntSlider(min=0, max=0, description="position", **slider),
            "out_channel": widgets.IntSlider(min=0, max=0, description="output channel", **slider),
        }
        self.controls = c
        self.readout = widgets.HTML()
        self.output = widgets.Output()
        self.figure = None
        self.error = None
        for name, value in {**_DEFAULTS, **values}.items():
            if name in ("position", "out_channel"):
                c[name].max = max(value, 1)  # update() sets the real range
            c[name].value = 0 if value == "valid" else value
        for w in c.values():
            w.observe(self.update, names="value")
        left = widgets.VBox(
            [
                c[n]
                for n in (
                    "input_size",
                    "channels",
                    "multiplier",
                    "groups",
                    "kernel_size",
                    "stride",
                )
            ]
        )
        right = widgets.VBox(
            [
                c[n]
                for n in (
                    "padding",
                    "dilation",
                    "transposed",
                    "output_padding",
                    "position",
                    "out_channel",
                )
            ]
        )
        super().__init__([widgets.HBox([left, right]), self.output, self.readout])
        self.update()

    def layer(self) -> dict:
        """The current parameters, as plain Python values."""
        return {name: w.value for name, w in self.controls.items()}

    def update(self, _change=None):
        """Recompute the read-outs and redraw; show the package's error if the layer is
        invalid, leaving every control usable."""
        p = self.layer()
        try:
            info = describe(p)
        except (ValueError, TypeError) as err:
            self.error = f"{type(err).__name__}: {err}"
            self.readout.value = (
                f'<div style="color:#b00020;font-family:monospace">{html.escape(self.error)}</div>'
            )
            self._show(None)
            return
        self.error = None
        # keep the position sliders inside the current output
        for name, top in (
            ("position", info["positions"] - 1),
            ("out_channel", info["out_channels"] - 1),
        ):
            w = self.controls[name]
            with w.hold_trait_notifications():
                w.max = top
                if w.value > top:
                    w.unobserve(self.update, names="value")
                    w.value = top
                    w.observe(self.update, names="value")
        p = self.layer()
        self.readout.value = info["html"]
        # a fixed layout: a constraint solver here would double the time of every redraw
        fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [2.2, 1]})
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.9, wspace=0.08)
        size = p["input_size"]
        if p["transposed"]:
            pos = divmod(p["position"], size)
            plot.transposed(
                size,
                p["kernel_size"],
                pos,
                stride=p["stride"],
                padding=_int_padding(p["padding"]),
                dilation=p["dilation"],
                output_padding=p["output_padding"],
                ax=axes[0],
            )
        else:
            pos = divmod(p["position"], info["out_size"])
            plot.spatial(
                size,
                p["kernel_size"],
                pos,
                stride=p["stride"],
                padding=p["padding"],
                dilation=p["dilation"],
                ax=axes[0],
            )
        c_out = p["channels"] * p["multiplier"]
        c_in_pic, c_out_pic = (c_out, p["channels"]) if p["transposed"] else (p["channels"], c_out)
        plot.channel_picture(
            c_in_pic,
            c_out_pic,
            p["groups"],
            p["out_channel"],
            kernel_size=p["kernel_size"],
            ax=axes[1],
        )
        self._show(fig)

    def _show(self, fig):
        self.figure = fig
        if fig is not None:
            plt.close(fig)
        if get_ipython() is None:  # outside a kernel there is nowhere to show it
            return
        with self.output:
            self.output.clear_output(wait=True)
            if fig is not None:
                display(fig)


def _int_padding(padding):
    if padding == "same":
        raise ValueError("padding='same' is not defined for a transposed convolution")
    return 0 if padding == "valid" else padding


def describe(p: dict) -> dict:
    """Everything the explorer's read-out shows for parameters ``p``, computed by
    :mod:`convnb.arithmetic` and :mod:`convnb.frameworks`; raises the package's error when
    the combination is invalid."""
    i, k, s, d = p["input_size"], p["kernel_size"], p["stride"], p["dilation"]
    c_in, m, g = p["channels"], p["multiplier"], p["groups"]
    c_out = c_in * m
    if p["transposed"]:
        # shown as the adjoint of the forward layer: c_in * m channels back to c_in
        pad = _int_padding(p["padding"])
        o = arithmetic.conv_transpose_output_size(i, k, s, pad, d, p["output_padding"])
        formula = (
            f"o = (i − 1)·s − 2p + d·(k − 1) + output_padding + 1 = "
            f"({i} − 1)·{s} − 2·{pad} + {d}·({k} − 1) + {p['output_padding']} + 1 "
            f"= <b>{o}</b>"
        )
        params = arithmetic.count_params(c_out, c_in, (k, k), g, bias=False)
        macs = arithmetic.count_macs(c_out, c_in, (k, k), (i, i), g)
        positions, out_size = i * i, o
        code_args = dict(transposed=True, output_padding=p["output_padding"], padding=pad)
        layer_in, layer_out = c_out, c_in
    else:
        if p["output_padding"]:
            raise ValueError("output_padding only applies to a transposed convolution")
        (pb, pa), _ = arithmetic.resolve_padding(p["padding"], (i, i), (k, k), (s, s), (d, d))
        o = arithmetic.conv_output_size(i, k, s, (pb, pa), d)
        formula = (
            f"o = ⌊(i + p<sub>before</sub> + p<sub>after</sub> − d·(k − 1) − 1) / s⌋ "
            f"+ 1 = ⌊({i} + {pb} + {pa} − {d}·({k} − 1) − 1) / {s}⌋ + 1 = <b>{o}</b>"
        )
        params = arithmetic.count_params(c_in, c_out, (k, k), g, bias=False)
        macs = arithmetic.count_macs(c_in, c_out, (k, k), (o, o), g)
        positions, out_size = o * o, o
        code_args = dict(padding=p["padding"], input_size=(i, i))
        layer_in, layer_out = c_in, c_out
    field = arithmetic.receptive_field([{"kernel_size": k, "dilation": d, "stride": s}])[0]
    torch_code = frameworks.pytorch_layer(
        layer_in, layer_out, k, stride=s, dilation=d, groups=g, **code_args
    )
    code_args.pop("input_size", None)
    keras_code = frameworks.keras_layer(
        layer_in, layer_out, k, stride=s, dilation=d, groups=g, **code_args
    )
    kind = (
        "pointwise"
        if k == 1 and g == 1
        else "depthwise"
        if g == layer_in and g > 1
        else f"grouped ({g} groups)"
        if g > 1
        else "dense"
    )
    rows = [
        ("output size", f"{out_size}×{out_size}: {formula}"),
        ("channels", f"{layer_in} → {layer_out}, {kind}"),
        ("parameters", f"{params:,} = {layer_out}·({layer_in}/{g})·{k}·{k} (no bias)"),
        ("multiply-accumulates", f"{macs:,} per image"),
        ("receptive field", f"{field.size}×{field.size} input samples = d·(k − 1) + 1"),
    ]
    table = "".join(f"<tr><td><b>{a}</b></td><td>{b}</td></tr>" for a, b in rows)
    code = (
        f"<pre># PyTorch\n{html.escape(torch_code)}\n\n# TensorFlow / Keras (channels last)"
        f"\n{html.escape(keras_code)}</pre>"
    )
    return {
        "html": f"<table>{table}</table>{code}",
        "positions": positions,
        "out_size": out_size,
        "out_channels": layer_out,
        "params": params,
        "macs": macs,
        "output_size": out_size,
        "receptive_field": field.size,
    }


def explorer(preset="standard", **values) -> Explorer:
    """The explorer, starting from a chapter's preset.

    Parameters
    ----------
    preset : str, default "standard"
        A key of :data:`PRESETS`.
    **values
        Starting values that override the preset (``input_size``, ``channels``,
        ``multiplier``, ``groups``, ``kernel_size``, ``stride``, ``padding``, ``dilation``,
        ``transposed``, ``output_padding``, ``position``, ``out_channel``).

    Returns
    -------
    Explorer

    Examples
    --------
    >>> ex = explorer("depthwise")
    >>> ex.controls["groups"].value, ex.error
    (4, None)
    >>> ex.controls["groups"].value = 3  # does not divide 4 channels
    >>> ex.error
    'ValueError: groups=3 does not divide in_channels=4'
    """
    if preset not in PRESETS:
        raise ValueError(f"preset={preset!r} is not one of {sorted(PRESETS)}")
    unknown = set(values) - set(PRESETS["standard"]) - set(_DEFAULTS)
    if unknown:
        raise TypeError(f"explorer() got unknown parameters {sorted(unknown)}")
    return Explorer({**PRESETS[preset], **values})


def companion(preset="standard", **values):
    """The static companion of an explorer: its picture animated over every position.

    Returns a ``FuncAnimation``; :func:`convnb.plot.player` turns it into a player that
    works in a plain browser, with no kernel and no CDN.

    Examples
    --------
    >>> anim = companion("arithmetic")
    >>> len(list(anim.new_frame_seq()))  # every output of a 4x4 result
    16
    """
    p = {**_DEFAULTS, **PRESETS[preset], **values}
    if p["transposed"]:
        return plot.animate(
            p["input_size"],
            p["kernel_size"],
            stride=p["stride"],
            padding=_int_padding(p["padding"]),
            dilation=p["dilation"],
            transposed=True,
            output_padding=p["output_padding"],
        )
    return plot.animate(
        p["input_size"],
        p["kernel_size"],
        stride=p["stride"],
        padding=p["padding"],
        dilation=p["dilation"],
    )


def network_explorer(network="AlexNet", layer=None):
    """Pick a network and a layer: its receptive field on an image and the running cost.

    Parameters
    ----------
    network : str, default "AlexNet"
        A key of :data:`convnb.networks.NETWORKS`.
    layer : int, optional
        Index of the layer to show first; by default the last one.

    Returns
    -------
    ipywidgets.VBox
        A dropdown for the network, a slider for the layer, and the figure of
        :func:`convnb.plot.network`.

    Examples
    --------
    >>> box = network_explorer("MobileNet v1 1.0-224")
    >>> choice, slider, _ = box.children
    >>> slider.max  # 27 convolutions, the pooling and the classifier
    28
    """
    from . import networks

    choice = widgets.Dropdown(
        options=list(networks.NETWORKS),
        value=network,
        description="network",
        layout=widgets.Layout(width="420px"),
    )
    slider = widgets.IntSlider(description="layer", min=0, max=1, continuous_update=False)
    out = widgets.Output()

    def rows():
        layers, shape = networks.NETWORKS[choice.value]
        return networks.summarize(layers, shape), shape

    def redraw(_=None):
        table, shape = rows()
        axes = plot.network(table, slider.value, shape)
        plt.close(axes[0].figure)
        if get_ipython() is None:
            return
        with out:
            out.clear_output(wait=True)
            display(axes[0].figure)

    def reset(_=None):
        table, _ = rows()
        with slider.hold_trait_notifications():
            slider.max = len(table) - 1
            slider.value = len(table) - 1
        redraw()

    table, _ = rows()
    slider.max = len(table) - 1
    slider.value = len(table) - 1 if layer is None else layer
    choice.observe(reset, names="value")
    slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([choice, slider, out])
