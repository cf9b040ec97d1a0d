"""The distributions: what `python -m build` makes from this tree is what users install.

Decision: the sdist carries the package and its metadata, not the tests. The tests read the
whole repository (notebooks, README, CI files), so they run from a clone at the release tag;
the release workflow runs the doctests against the installed wheel. Built once per session,
without build isolation (about 4 s): the test environment pins setuptools>=77.
"""

from __future__ import annotations

import email.parser
import pathlib
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _version() -> str:
    text = (ROOT / "convnb" / "_version.py").read_text()
    return re.search(r'^__version__ = "([^"]+)"$', text, flags=re.M).group(1)


def _package_files() -> set[str]:
    """Every file under convnb/ a clean clone has (tracked, or new and not ignored)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "convnb"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return {f for f in out if (ROOT / f).is_file()}


@pytest.fixture(scope="module")
def dists(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return sdist, wheel, done.stdout + done.stderr


def test_build_requires_a_setuptools_that_reads_the_licence_expression():
    # PEP 639's `license = "MIT"` string needs setuptools 77; older ones fail to build.
    assert PYPROJECT["build-system"]["requires"] == ["setuptools>=77"]
    assert PYPROJECT["project"]["license"] == "MIT"


def test_the_build_warns_about_no_package(dists):
    # setuptools said "Package 'convnb.data' is absent from the `packages` configuration".
    assert "absent from the" not in dists[2]
    assert "would be ignored" not in dists[2]


def test_wheel_ships_every_file_of_the_package_and_nothing_else(dists):
    wheel = dists[1]
    with zipfile.ZipFile(wheel) as z:
        names = {n for n in z.namelist() if not n.split("/")[0].endswith(".dist-info")}
    assert names == _package_files()
    assert {"convnb/py.typed", "convnb/_version.py"} <= names
    assert any(n.startswith("convnb/data/") and n.endswith(".json") for n in names)


def test_sdist_ships_the_package_and_its_metadata_but_no_tests(dists):
    sdist = dists[0]
    top = sdist.name.removesuffix(".tar.gz")
    with tarfile.open(sdist) as t:
        names = {m.name.removeprefix(f"{top}/") for m in t.getmembers() if m.isfile()}
    assert _package_files() <= names
    assert {"pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "CITATION.cff"} <= names
    assert not [n for n in names if n.startswith("tests/") or n.startswith("book/")]


def test_metadata_has_version_urls_classifiers_and_the_extras(dists):
    with zipfile.ZipFile(dists[1]) as z:
        (meta,) = [n for n in z.namelist() if n.endswith(".dist-info/METADATA")]
        msg = email.parser.Parser().parsestr(z.read(meta).decode())
    assert msg["Version"] == _version()
    assert msg["License-Expression"] == "MIT"
    urls = dict(u.split(", ", 1) for u in msg.get_all("Project-URL"))
    assert {"Homepage", "Source", "Issues", "Changelog", "Documentation"} <= set(urls)
    assert msg["Keywords"]
    extras = set(msg.get_all("Provides-Extra"))
    assert {"plot", "book", "gpu"} <= extras
    classifiers = msg.get_all("Classifier")
    assert "Typing :: Typed" in classifiers
    trove = pytest.importorskip("trove_classifiers")
    assert not [c for c in classifiers if c not in trove.classifiers]  # PyPI refuses others


def test_twine_accepts_both_distributions(dists):
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(dists[0]), str(dists[1])],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_version_is_written_once_and_everything_else_agrees():
    import convnb

    version = _version()
    assert convnb.__version__ == version
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "convnb._version.__version__"
    }
    assert yaml.safe_load((ROOT / "CITATION.cff").read_text())["version"] == version
    assert f"## [{version}]" in (ROOT / "CHANGELOG.md").read_text()


def test_citation_file_has_what_github_needs():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    assert {"message", "title", "authors", "version", "license"} <= set(cff)
