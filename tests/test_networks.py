"""The network calculator, against the numbers the papers publish and against measurement."""

from __future__ import annotations

import re

import numpy as np
import pytest
import traitlets

import convnb
from convnb import networks, widgets
from convnb.networks import Conv, Linear, Parallel, Pool, Shuffle


def _totals(name):
    layers, shape = networks.NETWORKS[name]
    return networks.total(networks.summarize(layers, shape))


def test_mobilenet_matches_the_paper():
    params, macs = _totals("MobileNet v1 1.0-224")
    assert round(params / 1e6, 1) == 4.2  # Howard et al. 2017, Table 4: 4.2 million
    assert round(macs / 1e6) == 569  # 569 million mult-adds
    params, macs = _totals("MobileNet v1, full convolutions")
    assert round(params / 1e6, 1) == 29.3
    assert abs(macs / 1e6 - 4866) < 2  # 4866 million: see the chapter on the 1.3M difference


def test_alexnet_has_sixty_million_parameters():
    params, _ = _totals("AlexNet")
    assert 60e6 < params < 61e6  # "60 million parameters"


def test_resnet_and_resnext_blocks_cost_about_the_same():
    resnet, _ = _totals("ResNet-50 bottleneck (conv2)")
    resnext, _ = _totals("ResNeXt-50 32x4d block (conv2)")
    assert round(resnet, -3) == round(resnext, -3) == 70_000  # Xie et al. 2017, Fig. 1


def test_shufflenet_unit_matches_its_flop_formula():
    _, macs = _totals("ShuffleNet unit (g=3)")
    h = w = 28
    c, m, g = 240, 60, 3
    assert macs == h * w * (2 * c * m // g + 9 * m)  # Zhang et al. 2018, section 3.2


def test_rows_are_what_convolutions_produce():
    """Shapes and MACs of every layer of AlexNet, by running convnb (one channel group)."""
    layers, shape = networks.NETWORKS["AlexNet"]
    rows = networks.summarize(layers, shape)
    x = np.zeros((1, *shape), dtype=np.float32)
    for layer, row in zip(layers, rows):
        if isinstance(layer, Conv):
            w = np.ones(
                (
                    layer.out_channels,
                    x.shape[1] // layer.groups,
                    layer.kernel_size,
                    layer.kernel_size,
                ),
                dtype=np.float32,
            )
            ones = convnb.conv(
                np.ones_like(x),
                w,
                stride=layer.stride,
                padding=layer.padding,
                groups=layer.groups,
                padding_mode="replicate",
            )
            x = convnb.conv(x, w, stride=layer.stride, padding=layer.padding, groups=layer.groups)
            assert row.macs == int(ones.sum(dtype=np.float64))
        elif isinstance(layer, Pool):
            x = x[:, :, :: layer.stride, :: layer.stride][:, :, : row.shape[1], : row.shape[2]]
        else:
            break
        assert row.shape == x.shape[1:]


@pytest.mark.parametrize("name", sorted(networks.NETWORKS))
def test_receptive_field_is_confirmed_by_backpropagation(name):
    layers, shape = networks.NETWORKS[name]
    rows = networks.summarize(layers, shape)
    spatial = [r for r in rows if len(r.shape) == 3]
    assert networks.receptive_field_support(layers, 1200) == spatial[-1].rf_size


def test_branches_and_errors():
    rows = networks.summarize(
        [Parallel(((Conv(4, 1),), (Conv(6, 3, padding=1),)), merge="concat"), Shuffle(5)],
        (3, 8, 8),
    )
    assert rows[0].shape == (10, 8, 8) and rows[0].params == 3 * 4 + 3 * 6 * 9
    assert rows[0].rf_size == 3 and len(rows[0].children) == 2
    with pytest.raises(ValueError, match=re.escape("branches to add have shapes")):
        networks.summarize([Parallel(((Conv(4, 1),), ()))], (3, 8, 8))
    with pytest.raises(
        ValueError, match=re.escape("conv: groups=2 does not divide in_channels=3")
    ):
        networks.summarize([Conv(4, 3, groups=2)], (3, 8, 8))
    with pytest.raises(TypeError, match="unknown layer"):
        networks.summarize(["conv"], (3, 8, 8))
    assert networks.summarize([Linear(10)], (2, 3, 3))[0].params == 18 * 10 + 10


def test_network_explorer_moves():
    explorer = widgets.network_explorer("AlexNet", layer=2)
    assert (explorer.network, explorer.layer) == ("AlexNet", 2)
    rows = explorer.tables["AlexNet"]["rows"]
    assert len(rows) == len(networks.summarize(*networks.NETWORKS["AlexNet"]))
    explorer.layer = len(rows) - 1
    with pytest.raises(traitlets.TraitError, match=f"layer={len(rows)} is not in"):
        explorer.layer = len(rows)
    with pytest.raises(traitlets.TraitError, match="network='LeNet' is not one of"):
        explorer.network = "LeNet"
