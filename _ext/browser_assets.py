"""Sphinx extension: what the book's pages need in a browser beyond the defaults.

Always:

* ``mathjax2-hub-shim.js``, so that the widget manager's MathJax 2 call works with the
  MathJax 3 the book loads (without it, every page with a widget logs a JavaScript error);
* each page's scripts are de-duplicated (sphinx-thebe adds its inline configuration twice
  under Jupyter Book 1.x, which is a "redeclared identifier" error in the browser).

With the environment variable ``CONVNB_OFFLINE_ASSETS`` set (to anything but ``""`` or
``0``), MathJax, require.js and the widget manager are served from the build instead of
public CDNs; ``python scripts/vendor_assets.py`` must have run first.
"""

from __future__ import annotations

import os
import pathlib
import shutil

HERE = pathlib.Path(__file__).resolve().parent
VENDOR = HERE.parent / "_vendor" / "static"


def _configure(app, config):
    config.html_static_path = [*config.html_static_path, str(HERE / "static")]
    if os.environ.get("CONVNB_OFFLINE_ASSETS", "") in ("", "0"):
        return
    if not (VENDOR / "vendor" / "mathjax" / "tex-chtml.js").is_file():
        raise RuntimeError(
            "CONVNB_OFFLINE_ASSETS is set but the assets are missing: "
            "run `python scripts/vendor_assets.py` first"
        )
    shutil.copy(HERE / "static" / "widgets-paths.js", VENDOR / "vendor")
    config.html_static_path = [*config.html_static_path, str(VENDOR)]
    config.mathjax_path = "vendor/mathjax/tex-chtml.js"  # relative to _static/
    config.nb_ipywidgets_js = {
        "vendor/require.js": {},
        "vendor/widgets-paths.js": {},
        "vendor/npm/@jupyter-widgets/html-manager/dist/embed-amd.js": {
            "data-jupyter-widgets-cdn-only": ""
        },
    }


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
    app.add_js_file("mathjax2-hub-shim.js", priority=400)  # before MathJax (priority 500)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
