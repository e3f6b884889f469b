"""The repository passes its linters, its formatter's check, mypy and actionlint."""

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BIN = Path(sys.executable).parent  # the tools come with the dev extra, beside python

CHECKS = {
    "ruff check": ["ruff", "check", "--no-cache", "."],
    "ruff format": ["ruff", "format", "--check", "--no-cache", "."],
    "mypy": ["mypy"],
    "actionlint": ["actionlint"],
}


@pytest.mark.parametrize("command", CHECKS.values(), ids=CHECKS.keys())
def test_tool_passes(command: list[str]) -> None:
    tool = BIN / command[0]
    assert tool.is_file(), f"{tool} is missing: install the dev extra"
    done = subprocess.run(
        [tool, *command[1:]], cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.fail(f"{' '.join(command)}\n{done.stdout}{done.stderr}", pytrace=False)
