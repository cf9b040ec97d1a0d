"""Write the hidden first cell of every chapter: the install step for Colab and fresh kernels.

The release the chapters install is one value, ``convnb_install`` in ``_config.yml`` (a pip
requirement naming this repository at a release tag, with the book's extras). This script
stamps it into the first cell of every notebook in ``_toc.yml``; tests/test_notebooks.py
fails when a chapter disagrees with it. After a release (see CONTRIBUTING.md):

    python scripts/stamp_install_cell.py           # rewrite the first cells that differ
    python scripts/stamp_install_cell.py --check   # exit 1, naming the chapters that differ

Only the first cell's source changes; its outputs stay empty (it prints nothing where convnb
is installed), so nbval still compares it. A chapter whose first cell is not an install cell
gets one inserted (execute the chapter again afterwards).
"""

from __future__ import annotations

import pathlib
import sys

import nbformat
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]

TEMPLATE = '''\
# Colab, Binder or any fresh kernel: install the convnb release this book was written for,
# with the book's extras, when it is missing or older. Stamped from `convnb_install` in
# _config.yml by scripts/stamp_install_cell.py: change it there, not here.
import importlib
import importlib.metadata as metadata
import importlib.util
import re
import subprocess
import sys

REQUIREMENT = "{requirement}"
NEEDS = REQUIREMENT.rpartition("@v")[2]  # the release tag's version


def _numbers(version):
    return tuple(int(n) for n in re.findall(r"\\d+", version)[:3])


def _missing():
    """Why convnb must be installed, or None if this kernel already has what the book needs."""
    try:
        have = metadata.version("convnb")  # an installed distribution, not a folder
    except metadata.PackageNotFoundError:
        spec = importlib.util.find_spec("convnb")
        # A source checkout on the import path is a regular package (a bare folder isn't).
        return None if spec is not None and spec.origin else "convnb is not installed"
    if _numbers(have) < _numbers(NEEDS):
        return f"convnb {{have}} is older than {{NEEDS}}"
    for requirement in metadata.requires("convnb") or []:
        name = re.match(r"[\\w.-]+", requirement).group()
        if 'extra == "book"' in requirement and importlib.util.find_spec(name) is None:
            return f"{{name}} (for the book's pictures) is not installed"
    return None


if reason := _missing():
    print(f"{{reason}}: installing {{REQUIREMENT}}", flush=True)
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", REQUIREMENT],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if pip.returncode != 0:
        said = [s.strip() for s in pip.stdout.splitlines() if re.search("error|fatal", s, re.I)]
        raise RuntimeError(
            f"Installing convnb failed (pip exit status {{pip.returncode}}), so this chapter "
            "cannot run. pip said:\\n    "
            + "\\n    ".join(list(dict.fromkeys(said))[:3] or pip.stdout.splitlines()[-3:])
            + "\\nCheck that this kernel can reach github.com and pypi.org, then run this cell "
            f'again; or install it yourself with  pip install "{{REQUIREMENT}}"  and restart '
            "the kernel."
        )
    importlib.invalidate_caches()'''


def requirement() -> str:
    """The one configuration value: ``convnb_install`` in _config.yml."""
    return yaml.safe_load((ROOT / "_config.yml").read_text())["convnb_install"]


def install_cell(requirement: str) -> str:
    """The first cell's source for this requirement."""
    return TEMPLATE.format(requirement=requirement)


def chapters() -> list[pathlib.Path]:
    """Every notebook the table of contents lists."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [p for f in files if (p := ROOT / f"{f}.ipynb").is_file()]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    source = install_cell(requirement())
    stale = []
    for path in chapters():
        nb = nbformat.read(path, as_version=4)
        first = nb.cells[0]
        if first.cell_type == "code" and first.source == source:
            continue
        stale.append(path.relative_to(ROOT))
        if not check:
            if (
                first.cell_type != "code"
                or "convnb" not in first.source
                or ("install" not in first.source)
            ):
                # A new chapter without the install cell: give it one (re-execute it after).
                first = nbformat.v4.new_code_cell()
                nb.cells.insert(0, first)
            first.source = source
            first.outputs = []
            first.metadata["tags"] = ["remove-cell"]  # hidden on the web page only
            nbformat.write(nb, path)
    for path in stale:
        print(f"{path}: {'differs from _config.yml' if check else 'stamped'}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
