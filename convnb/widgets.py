"""Interactive explorers for the book, built on :mod:`convnb.plot`.

Each explorer returns an ipywidgets container. Its first drawing is made with the default
values, so a static page (where the widget is frozen at its first state) still shows a
meaningful picture. Arrows point one way: widgets -> plot -> math.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython import get_ipython
from IPython.display import display

from . import plot
from ._backend import to_numpy

__all__ = ["sliding_explorer"]


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
