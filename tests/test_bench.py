"""convnb.bench: the command runs, its counts come from convnb.arithmetic, its data ships."""

from __future__ import annotations

import json

import numpy as np
import pytest

import convnb
from convnb import bench


def test_quick_run_writes_a_complete_report(tmp_path, capsys):
    out = tmp_path / "report.json"
    assert bench.main(["--quick", "--rounds", "1", "--json", str(out)]) == 0
    report = json.loads(out.read_text())
    printed = capsys.readouterr().out
    assert len(report["results"]) == len(bench.workloads(quick=True))
    for row in report["results"]:
        assert row["workload"] in printed
        assert row["convnb_ms"] > 0 and row["gflops"] > 0 and row["scratch_mib"] >= 0
        assert (row["ratio"] is None) == (report["torch"] is None)
    assert report["sgemm_gflops"] > 0 and report["bandwidth_gbs"] > 0


@pytest.mark.parametrize("w", bench.workloads(quick=False), ids=lambda w: w.name)
def test_mac_counts_are_the_products_the_layer_does(w):
    """Count with all-ones data padded with ones: each output is its number of products."""
    if w.kind != "conv":
        pytest.skip("composite layers are counted as the sum of their parts")
    shrink = (1, w.x[1], min(w.x[2], 20), min(w.x[3], 20))
    small = bench.Workload(w.name, w.kind, shrink, w.weights, w.kwargs)
    x = np.ones(shrink, dtype=np.float32)
    y = convnb.conv(
        x, np.ones(w.weights[0], dtype=np.float32), padding_mode="replicate", **w.kwargs
    )
    assert bench.macs(small) == int(y.sum(dtype=np.float64))


@pytest.mark.parametrize("name", ["cpu-2-threads", "cpu-1-thread"])
def test_shipped_reports_load(name):
    report = bench.load_report(name)
    assert {r["workload"] for r in report["results"]} == {
        w.name for w in bench.workloads(quick=False)
    }
