"""GitHub workflows, Binder and pre-commit: the settings that silently rot when nobody looks."""

from __future__ import annotations

import pathlib
import re

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))

# Current major versions (looked up November 2026). Older majors run on Node 20, which GitHub
# removed from its runners; raise these, never lower them.
CURRENT = {
    "actions/checkout": 7,
    "actions/setup-python": 7,
    "actions/setup-node": 7,
    "actions/upload-artifact": 7,
    "actions/download-artifact": 8,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
}


def _load(path):
    data = yaml.safe_load(path.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def _steps(workflow):
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_workflow_limits_its_token_and_runs(path):
    workflow = _load(path)
    assert workflow["permissions"]["contents"] == "read"
    assert {"group", "cancel-in-progress"} <= set(workflow["concurrency"])
    for job in workflow["jobs"].values():
        assert "timeout-minutes" in job


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_at_its_current_major_version(path):
    for step in _steps(_load(path)):
        if "uses" not in step:
            continue
        action, _, ref = step["uses"].partition("@")
        if action in CURRENT:
            assert re.fullmatch(r"v\d+", ref), step["uses"]
            assert int(ref[1:]) >= CURRENT[action], step["uses"]
        else:
            assert action == "pypa/gh-action-pypi-publish" and ref == "release/v1", action


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_python_setup_caches_pip(path):
    for step in _steps(_load(path)):
        if step.get("uses", "").startswith("actions/setup-python"):
            assert step["with"]["cache"] == "pip"
            assert step["with"]["python-version"] == "3.11"  # runtime.txt's, Binder's


def test_tests_run_ci_with_the_pytorch_oracle_required():
    workflow = _load(ROOT / ".github" / "workflows" / "tests.yml")
    (job,) = workflow["jobs"].values()
    assert job["env"]["CONVNB_REQUIRE_TORCH"] == "1"
    assert any(s.get("run") == "bash .ci/run" for s in job["steps"])


def test_pages_deploys_only_tested_commits_and_never_cancels_a_deploy():
    workflow = _load(ROOT / ".github" / "workflows" / "pages.yml")
    assert workflow["on"]["workflow_run"] == {
        "workflows": ["tests"],
        "types": ["completed"],
        "branches": ["main"],
    }
    assert "push" not in workflow["on"]
    assert workflow["concurrency"]["cancel-in-progress"] is False
    build = workflow["jobs"]["build"]
    assert "workflow_run.conclusion == 'success'" in build["if"]
    assert build["steps"][0]["with"]["ref"].startswith("${{ github.event.workflow_run.head_sha")
    uses = [s.get("uses", "").partition("@")[0] for s in build["steps"]]
    assert "actions/configure-pages" in uses
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_release_checks_the_distributions_and_publishes_without_a_token():
    workflow = _load(ROOT / ".github" / "workflows" / "release.yml")
    assert workflow["on"]["push"]["tags"] == ["v*"]
    runs = "\n".join(s.get("run", "") for s in _steps(workflow))
    assert "python -m build" in runs
    assert "twine check --strict dist/*" in runs
    assert "python -m venv" in runs and "--doctest-modules --pyargs convnb" in runs
    assert 'test "${GITHUB_REF_NAME}" = "v${version}"' in runs
    publish = workflow["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"}  # trusted publishing
    assert publish["environment"]["name"] == "pypi"
    (upload,) = [s for s in publish["steps"] if "pypi-publish" in s.get("uses", "")]
    assert "with" not in upload  # no password or token


def test_binder_installs_dependencies_before_it_copies_the_repository():
    lines = [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    # A local path (-e ., ., file:) makes repo2docker copy the repository first, so any edit
    # to a notebook would rebuild the whole environment.
    assert not [line for line in lines if line.startswith(("-e", ".", "file:", "-r"))]
    post = (ROOT / "postBuild").read_text()
    assert post.startswith("#!/bin/bash") and "pip install --no-cache-dir --no-deps -e ." in post
    assert (ROOT / "postBuild").stat().st_mode & 0o111  # executable
    assert (ROOT / "runtime.txt").read_text().strip() == "python-3.11"


def test_binder_requirements_hold_everything_the_book_extra_needs():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = {
        re.match(r"[\w.-]+", line).group().lower()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    wanted = project["dependencies"] + project["optional-dependencies"]["book"]
    names = {re.match(r"[\w.-]+", r).group().lower() for r in wanted}
    assert names <= pinned  # postBuild installs with --no-deps


def test_pre_commit_runs_the_ruff_version_that_ci_pins():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    (repo,) = config["repos"]
    assert repo["repo"] == "https://github.com/astral-sh/ruff-pre-commit"
    assert {h["id"] for h in repo["hooks"]} == {"ruff-check", "ruff-format"}
    pinned = re.search(r"^ruff==(\S+)$", (ROOT / "requirements-test.txt").read_text(), re.M)
    assert repo["rev"] == f"v{pinned.group(1)}"
