"""Sphinx extension: what the book's pages need in a browser beyond the defaults.

Always:

* the widget loader ``convnb-widgets.js`` (``_ext/static``) on every page with widgets,
  instead of the Jupyter widget manager from a CDN. It renders each explorer from the
  page's saved widget state with the explorer's own ES module (which travels in that
  state), so every control works with no kernel and no server; other ipywidgets are shown
  in their first state;
* ``convnb.css``: headings wrap on a phone instead of scrolling the page sideways;
* each page's scripts are de-duplicated (sphinx-thebe adds its inline configuration twice
  under Jupyter Book 1.x, which is a "redeclared identifier" error in the browser).

MathJax: after ``npm ci`` (``package.json`` and ``package-lock.json`` pin it), the build
serves MathJax from ``_static/vendor/mathjax`` and the pages load nothing from a third
party. Without it the build says so and the pages load MathJax from a public CDN. The
environment variable ``CONVNB_OFFLINE_ASSETS`` forces the choice: ``1`` requires the
vendored copy (an error if ``npm ci`` has not run), ``0`` uses the CDN.
"""

from __future__ import annotations

import os
import pathlib
import shutil

from sphinx.util import logging

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
MATHJAX = ROOT / "node_modules" / "mathjax" / "es5"
VENDOR = ROOT / "_vendor" / "static"  # staging folder copied into _static/ (git-ignored)
# what MathJax's tex-chtml component loads on demand: fonts, TeX extensions, menu, a11y
MATHJAX_PARTS = ("tex-chtml.js", "input", "output", "ui", "a11y", "adaptors", "sre")

logger = logging.getLogger(__name__)


def _vendor_mathjax() -> None:
    target = VENDOR / "vendor" / "mathjax"
    stamp = target / ".source"
    source = str((MATHJAX.parent / "package.json").stat().st_mtime_ns)
    if stamp.is_file() and stamp.read_text() == source:
        return
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for part in MATHJAX_PARTS:
        src = MATHJAX / part
        if src.is_dir():
            shutil.copytree(src, target / part)
        else:
            shutil.copy(src, target / part)
    stamp.write_text(source)


def _configure(app, config):
    config.html_static_path = [*config.html_static_path, str(HERE / "static")]
    config.nb_ipywidgets_js = {"convnb-widgets.js": {}}  # relative to _static/
    choice = os.environ.get("CONVNB_OFFLINE_ASSETS", "")
    have = (MATHJAX / "tex-chtml.js").is_file()
    if choice == "0" or (choice == "" and not have):
        logger.info(
            "browser_assets: MathJax is loaded from a public CDN by the pages "
            + ("(CONVNB_OFFLINE_ASSETS=0)" if choice == "0" else "(run `npm ci` to serve it)"),
            color="yellow",
        )
        return
    if not have:
        raise RuntimeError(
            "CONVNB_OFFLINE_ASSETS is set but MathJax is missing: run `npm ci` first "
            "(it installs package-lock.json into node_modules/)"
        )
    _vendor_mathjax()
    config.html_static_path = [*config.html_static_path, str(VENDOR)]
    config.mathjax_path = "vendor/mathjax/tex-chtml.js"  # relative to _static/
    logger.info("browser_assets: MathJax served from the build (node_modules/mathjax)")


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts, seen = [], set()
    for script in context.get("script_files", []):
        # the same inline script may come once with filename None and once with ""
        key = (
            getattr(script, "filename", script) or "",
            tuple(sorted(getattr(script, "attributes", {}).items())),
        )
        if key not in seen:
            seen.add(key)
            scripts.append(script)
    context["script_files"] = scripts


def setup(app):
    app.connect("config-inited", _configure)
    app.add_css_file("convnb.css")
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
