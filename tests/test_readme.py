"""The README's commands are the truth: CI runs them verbatim, and its examples run."""

from __future__ import annotations

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _shell_lines():
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line.startswith("python3")]


def test_readme_has_a_build_line_and_a_test_line():
    lines = _shell_lines()
    assert any("jupyter-book build . -W -n --keep-going" in line for line in lines)
    assert any("pytest --nbval" in line for line in lines)


def test_ci_runs_the_readme_commands_verbatim_and_stops_when_one_fails():
    ci = (ROOT / ".ci" / "run").read_text()
    for line in _shell_lines():
        # `a && b && c` alone would not stop a `set -e` script when a or b fails.
        assert f"\n{line} \\\n    || fail " in ci, f"README command not run, or unchecked: {line}"
    assert "set -euo pipefail" in ci


def test_ci_lints_with_ruff():
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert ".venv/bin/ruff check ." in ci and ".venv/bin/ruff format --check ." in ci
    assert ".venv/bin/ruff check . && .venv/bin/ruff format --check ." in README


def test_readme_says_how_to_install_today_and_after_the_first_release():
    import yaml

    import convnb

    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    assert f'pip install "convnb @ git+{url}@v{convnb.__version__}"' in README
    assert "pip install convnb\n" in README
    assert 'pip install "convnb[gpu]"' in README


def test_readme_and_ci_get_pytorch_from_its_cpu_wheel_index():
    index = "--index-url https://download.pytorch.org/whl/cpu"
    assert index in README
    assert index in (ROOT / ".ci" / "run").read_text()


def test_readme_python_example_runs():
    first = re.search(r"```python\n(.*?)```", README, flags=re.S).group(1)
    namespace: dict = {}
    exec(compile(first, "README.md", "exec"), namespace)
    assert namespace["y"].shape == (8, 128, 28, 28)


def test_github_workflows_run_the_same_commands():
    build = next(line for line in _shell_lines() if "jupyter-book build" in line)
    workflows = ROOT / ".github" / "workflows"
    assert build in (workflows / "pages.yml").read_text()
    assert "bash .ci/run" in (workflows / "tests.yml").read_text()
