"""The README's quick start is what CI runs."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[1]


def quick_start() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the Quick start section has no sh block"
    return block[1].strip().split("\n")


def test_ci_runs_the_readme_set_up_and_test_commands():
    browser, setup, test, serve = quick_start()
    ci = [
        line
        for line in (ROOT / ".ci/run").read_text().split("\n")
        if line and not line.startswith(("#", "set ", "cd "))
    ]
    assert ci == [browser, setup, test]
    assert "mkdocs serve" in serve


def test_the_workflow_runs_the_readme_set_up_and_test_commands():
    _, setup, test, _ = quick_start()
    workflow = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
    runs = [step.get("run") for step in workflow["jobs"]["test"]["steps"]]
    assert setup in runs and test in runs
    assert runs.index(setup) < runs.index(test)
