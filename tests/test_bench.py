"""convnb.bench: the command runs, streams an explained table, measures honestly, and ships
only runs that carry their spread."""

from __future__ import annotations

import io
import json
import sys

import numpy as np
import pytest

import convnb
from convnb import bench


def test_quick_run_writes_a_complete_report(tmp_path, capsys):
    out = tmp_path / "report.json"
    argv = ["--quick", "--rounds", "1", "--only", "pointwise", "--json", str(out)]
    assert bench.main(argv) == 0
    report = json.loads(out.read_text())
    printed = capsys.readouterr().out
    assert [r["workload"] for r in report["results"]] == ["pointwise 256->256 28x28"]
    assert "columns:" in printed and "spread" in printed and "threads in effect" in printed
    assert "ref(tiny)" not in printed
    for row in report["results"]:
        assert row["workload"] in printed
        assert row["convnb_ms_min"] <= row["convnb_ms"] <= row["convnb_ms_max"]
        assert row["gflops"] > 0 and row["scratch_mib"] >= 0
        assert row["algorithm"] == "direct"
        assert (row["ratio"] is None) == (report["torch"] is None)
    assert report["sgemm_gflops"] > 0 and report["bandwidth_gbs"] > 0
    assert report["cpu"]["model"] and "numpy_pools" in report["threads_in_effect"]
    assert report["provisional"] is False


def test_rows_stream_as_they_finish():
    events = []

    class Recorder(io.StringIO):
        def write(self, text):
            events.append(("write", text))
            return super().write(text)

        def flush(self):
            events.append(("flush", None))

    out = Recorder()
    bench.run(quick=True, rounds=1, out=out, only="depthwise")
    rows = [
        i for i, (kind, text) in enumerate(events) if kind == "write" and "depthwise 3x3" in text
    ]
    assert len(rows) == 1  # the quick set has one depthwise workload
    for i in rows:  # each row is flushed before anything else is measured or written
        later = [kind for kind, text in events[i + 1 :] if kind == "flush" or text.strip()]
        assert later[0] == "flush"


def test_rounds_interleave_the_libraries():
    calls = []
    times = bench.interleaved({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, 3)
    assert calls == ["a", "b"] + ["a", "b"] * 3  # warm-up of each, then alternating rounds
    assert [len(t) for t in times.values()] == [3, 3]


def test_noisy_rows_are_measured_again_then_marked(monkeypatch):
    attempts = []

    def fake(fs, rounds):
        attempts.append(rounds)
        return {"convnb": [1.0, 1.0, 2.0], "torch": [1.0, 1.0, 1.0]}  # spread 100%

    monkeypatch.setattr(bench, "interleaved", fake)
    _, noisy = bench.measure({}, 3)
    assert noisy and len(attempts) == 3
    attempts.clear()
    monkeypatch.setattr(bench, "interleaved", lambda fs, r: {"convnb": [1.0, 1.1, 1.05]})
    assert bench.measure({}, 3)[1] is False


def test_threads_that_cannot_be_enforced_are_refused(monkeypatch):
    monkeypatch.setitem(sys.modules, "threadpoolctl", None)  # as if not installed
    with pytest.raises(SystemExit, match="threadpoolctl is not installed"):
        bench.limit_threads(2, None)


def test_nonpositive_threads_are_refused():
    with pytest.raises(SystemExit):
        bench.main(["--threads", "0"])


@pytest.mark.parametrize("w", bench.workloads(quick=False), ids=lambda w: w.name)
def test_mac_counts_are_the_products_the_layer_does(w):
    """Count with all-ones data padded with ones: each output is its number of products."""
    if w.kind != "conv":
        pytest.skip("composite layers are counted as the sum of their parts")
    shrink = (1, w.x[1], min(w.x[2], 20), min(w.x[3], 20))
    small = bench.Workload(w.name, w.kind, shrink, w.weights, w.kwargs)
    x = np.ones(shrink, dtype=np.float32)
    y = convnb.conv(
        x,
        np.ones(w.weights[0], dtype=np.float32),
        padding_mode="replicate",
        algorithm="direct",
        **w.kwargs,
    )
    assert bench.macs(small) == int(y.sum(dtype=np.float64))


@pytest.mark.parametrize("name", ["cpu-2-threads", "cpu-1-thread"])
def test_shipped_reports_load_and_carry_their_spread(name):
    report = bench.load_report(name)
    assert {r["workload"] for r in report["results"]} == {
        w.name for w in bench.workloads(quick=False)
    }
    for r in report["results"]:
        assert r["convnb_ms_min"] <= r["convnb_ms"] <= r["convnb_ms_max"]
        assert r["torch_ms_min"] <= r["torch_ms"] <= r["torch_ms_max"]


def test_a_report_without_spread_is_refused(tmp_path, monkeypatch):
    from importlib import resources

    data = tmp_path / "convnb" / "data"
    data.mkdir(parents=True)
    (data / "bench-old.json").write_text(json.dumps({"results": [{"convnb_ms": 1.0}]}))
    monkeypatch.setattr(resources, "files", lambda package: tmp_path / package)
    with pytest.raises(ValueError, match="no spread"):
        bench.load_report("old")


ODD_PADDING = [
    bench.Workload("same", "conv", (1, 32, 48, 48), ((32, 32, 3, 3),), {"padding": "same"}),
    bench.Workload(
        "pairs", "conv", (1, 32, 47, 50), ((32, 32, 3, 3),), {"padding": [(0, 2), 1], "stride": 2}
    ),
]


@pytest.mark.parametrize("w", ODD_PADDING, ids=lambda w: w.name)
def test_the_algorithm_shown_is_the_one_conv_runs_for_any_padding(w, monkeypatch):
    """The column names what ``algorithm="auto"`` resolves to inside convnb.conv, for any
    padding conv takes (by hand, bench added ``2 * padding``: a pair or "same" failed)."""
    from convnb import algorithms

    chosen, choose = [], algorithms.choose
    monkeypatch.setattr(algorithms, "choose", lambda *a: chosen.append(choose(*a)) or chosen[-1])
    x, weight = np.ones(w.x, np.float32), np.ones(w.weights[0], np.float32)
    y = convnb.conv(x, weight, padding_mode="replicate", **w.kwargs)
    monkeypatch.undo()
    assert bench._algorithm(w, "auto") == chosen[0]
    assert bench.macs(w) == round(float(y.sum(dtype=np.float64)))  # all ones: product counts
