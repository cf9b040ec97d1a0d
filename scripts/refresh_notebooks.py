"""Re-execute the book's notebooks in place, so their saved outputs are what the code prints now.

nbval compares each cell's fresh output with the output saved in the notebook, so after a
change to convnb or to a chapter, run this and review the diff before committing:

    python scripts/refresh_notebooks.py            # every notebook under book/
    python scripts/refresh_notebooks.py book/01_convolution_vs_correlation.ipynb

Each notebook runs in its own folder with a fresh kernel (the one of this Python), exactly as
the book build and nbval run it: nbclient, the executor behind `jupyter execute --inplace`,
told not to record per-cell timings, which would fill every diff.
"""

from __future__ import annotations

import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[1]


def refresh(path: pathlib.Path) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        record_timing=False,  # no per-cell timestamps: they would fill every diff
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    elapsed = time.perf_counter() - start
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str]) -> int:
    paths = [pathlib.Path(a) for a in argv] or sorted((ROOT / "book").glob("**/*.ipynb"))
    for path in paths:
        if ".ipynb_checkpoints" in path.parts:
            continue
        print(
            f"{path.relative_to(ROOT) if path.is_absolute() else path}: {refresh(path):.1f} s",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
