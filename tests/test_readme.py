"""The README's quick start is what CI runs."""

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]


def quick_start() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)[1]
    return block.strip().split("\n")


def test_ci_runs_the_readme_set_up_and_test_commands():
    browser, setup, serve, test = quick_start()
    ci = [line for line in (ROOT / ".ci/run").read_text().split("\n")
          if line and not line.startswith(("#", "set ", "cd "))]
    assert ci == [browser, setup, test]
    assert "mkdocs serve" in serve
