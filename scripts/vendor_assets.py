"""Fetch the book's browser assets from the npm registry, for an offline build.

The published book loads MathJax 3, require.js and the Jupyter widget manager
(@jupyter-widgets/html-manager) from public CDNs. For a copy that works without the
internet (the browser tests, or a reader's offline copy), fetch them once:

    python scripts/vendor_assets.py          # needs npm; writes _vendor/ (git-ignored)
    CONVNB_OFFLINE_ASSETS=1 jupyter-book build . -W -n --keep-going --all

and the build serves them from ``_build/html/_static/vendor/`` instead (``_ext/`` holds
the small Sphinx extension that switches the paths). Nothing here is committed: the
packages are about 14 MB, and npm pins them by version and checksum.
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys
import tarfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
VENDOR = ROOT / "_vendor"
STATIC = VENDOR / "static" / "vendor"
PACKAGES = {
    "mathjax": "mathjax@3.2.2",
    "requirejs": "requirejs@2.3.6",
    "html-manager": "@jupyter-widgets/html-manager@1.0.6",
}


def _unpack(spec: str, into: pathlib.Path) -> pathlib.Path:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("vendor_assets: npm is not installed (it comes with Node.js)")
    into.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(
        [npm, "pack", "--silent", spec], cwd=into, check=True, capture_output=True, text=True
    )
    tarball = into / out.stdout.strip().splitlines()[-1]
    target = into / tarball.name.removesuffix(".tgz")
    shutil.rmtree(target, ignore_errors=True)
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    return target / "package"


def main() -> int:
    downloads = VENDOR / "npm"
    shutil.rmtree(STATIC, ignore_errors=True)
    STATIC.mkdir(parents=True)
    mathjax = _unpack(PACKAGES["mathjax"], downloads)
    shutil.copytree(mathjax / "es5", STATIC / "mathjax")
    requirejs = _unpack(PACKAGES["requirejs"], downloads)
    shutil.copy(requirejs / "require.js", STATIC / "require.js")
    manager = _unpack(PACKAGES["html-manager"], downloads)
    # the CDN's layout: the manager resolves its fonts and chunks relative to the module
    # paths of @jupyter-widgets/html-manager/dist and of @jupyter-widgets/<module>
    widgets = STATIC / "npm" / "@jupyter-widgets"
    shutil.copytree(
        manager / "dist",
        widgets / "html-manager" / "dist",
        ignore=shutil.ignore_patterns("*.map", "embed.js", "libembed-amd.js"),
    )
    for font in (manager / "dist").iterdir():
        if font.suffix in (".woff", ".woff2", ".ttf", ".eot", ".svg"):
            shutil.copy(font, widgets / font.name)
    size = sum(f.stat().st_size for f in STATIC.rglob("*") if f.is_file())
    print(
        f"vendor_assets: {', '.join(PACKAGES.values())} -> {STATIC.relative_to(ROOT)} "
        f"({size / 2**20:.1f} MiB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
