"""convnb.plot.towers: the crossing arrows are the layers with groups=1 in convnb.networks."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from convnb.networks import NETWORKS, Conv, Linear
from convnb.plot.towers import two_towers


def test_cross_layers_are_the_dense_ones():
    layers = NETWORKS["AlexNet"][0]
    ax = two_towers(layers)
    crossing = {
        p.get_gid().split(":")[1] for p in ax.patches if (p.get_gid() or "").startswith("cross:")
    }
    dense = {
        layer.name
        for layer in layers[1:]
        if isinstance(layer, Linear) or (isinstance(layer, Conv) and layer.groups == 1)
    }
    assert crossing == dense == {"conv3", "fc6", "fc7", "fc8"}
    plt.close(ax.figure)
