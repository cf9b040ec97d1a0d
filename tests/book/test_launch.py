"""Every chapter can be launched: Binder and Colab links in its page point at its notebook."""

from __future__ import annotations

import html
import re

import pytest

from .pages import ROOT, chapters, toc_pages

CHAPTERS = chapters()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_launch_links_point_at_the_notebook(built_book, config, chapter):
    repo = config["repository"]["url"].removeprefix("https://github.com/").rstrip("/")
    branch = config["repository"]["branch"]
    notebook = f"{chapter}.ipynb"
    assert (ROOT / notebook).is_file()
    page = html.unescape((built_book / f"{chapter}.html").read_text())
    links = set(re.findall(r'href="(https://[^"]+)"', page))
    buttons = config["launch_buttons"]
    binder = f"{buttons['binderhub_url']}/v2/gh/{repo}/{branch}?urlpath=tree/{notebook}"
    colab = f"{buttons['colab_url']}/github/{repo}/blob/{branch}/{notebook}"
    assert binder in links, sorted(links)
    assert colab in links, sorted(links)


def test_every_toc_page_was_built(built_book):
    for page in toc_pages():
        assert (built_book / f"{page}.html").is_file(), page
