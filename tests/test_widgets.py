"""convnb.widgets: explorers build, their controls move, and each move redraws."""

from __future__ import annotations

import numpy as np

from convnb import plot, widgets


def test_sliding_explorer_controls_redraw(monkeypatch):
    calls = []
    original = plot.sliding_kernel

    def recording(signal, kernel, shift, *, flip=False, ax=None):
        calls.append((shift, flip))
        return original(signal, kernel, shift, flip=flip, ax=ax)

    monkeypatch.setattr(plot, "sliding_kernel", recording)
    box = widgets.sliding_explorer(np.arange(5.0), np.array([1.0, 0.0, -1.0]))
    slider, toggle, _ = box.children
    assert (slider.min, slider.max) == (0, 6)
    assert calls == [(3, False)]  # the first picture is drawn at once, mid-way
    slider.value = 6
    toggle.value = True
    slider.value = 0
    assert calls[1:] == [(6, False), (6, True), (0, True)]
