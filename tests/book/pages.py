"""What the book consists of, read from its configuration (shared by the book tests)."""

from __future__ import annotations

import pathlib

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]


def toc_pages():
    """Document names in reading order, from _toc.yml (root first)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [chapter["file"] for chapter in part["chapters"]]
    return pages


def chapters():
    """The pages that are notebooks (the ones readers can launch)."""
    return [page for page in toc_pages() if (ROOT / f"{page}.ipynb").is_file()]
