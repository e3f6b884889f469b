"""pagecheck's settings, from `[tool.pagecheck]` in the project's pyproject.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from pagecheck.environment import Environment


@dataclass(frozen=True)
class Settings:
    """How pages are run, checked and described; every field has a default."""

    packages: list[str] = field(default_factory=list)
    """Packages whose versions the provenance records, besides Python's."""

    inputs: list[str] = field(default_factory=list)
    """Files and folders, relative to the root, whose content the provenance hashes
    along with each page's code (the library the pages use, the lock file...)."""

    update_command: str = "pytest --update-outputs"
    """The command that rewrites outputs, as the provenance and failures name it."""

    timeout: float = 300.0
    """Seconds a block may run; a fence's `data-timeout="N"` raises it for one block."""

    relative_tolerance: float = 1e-5
    """How far, relative to its size, a decimal may differ beyond its last digit."""

    environments: list[Environment] = field(default_factory=list)
    """Extra runs: each page's code runs once more in each, as separate tests, and
    must show the same outputs (see `pagecheck.environment.Environment`)."""


# What each setting must be, as TOML gives it: a type, or a list of a type.
KINDS: dict[str, Any] = {
    "packages": [str],
    "inputs": [str],
    "update_command": str,
    "timeout": (int, float),
    "relative_tolerance": (int, float),
    "environments": [dict],
    "variables": dict,
    "python": str,
    "requirements": [str],
    "pythonpath": [str],
}


def _kind_name(kind: Any) -> str:
    if isinstance(kind, list):
        return f"a list of {_kind_name(kind[0])}"
    if isinstance(kind, tuple):
        return "a number"
    return {str: "a string", dict: "a table"}[kind]


def _fits(value: Any, kind: Any) -> bool:
    if isinstance(kind, list):
        return isinstance(value, list) and all(_fits(v, kind[0]) for v in value)
    if kind == (int, float) and isinstance(value, bool):
        return False
    return isinstance(value, kind)


def _checked(table: dict[str, Any], known: list[str], where: str) -> dict[str, Any]:
    """The table with `-` in keys read as `_`, every key known and of its kind."""
    values = {key.replace("-", "_"): value for key, value in table.items()}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValueError(f"{where}: unknown keys {unknown}; known: {sorted(known)}")
    for key, value in values.items():
        if not _fits(value, KINDS[key]):
            raise ValueError(
                f"{where}: {key} must be {_kind_name(KINDS[key])}, not {value!r}"
            )
    return values


def _environment(table: dict[str, Any], where: str) -> Environment:
    values = _checked(table, [f.name for f in fields(Environment)], where)
    variables = values.get("variables", {})
    if not all(isinstance(v, str) for v in variables.values()):
        raise ValueError(f"{where}: variables' values must be strings: {variables}")
    return Environment(**values)


def load(root: Path) -> Settings:
    """The settings in `root/pyproject.toml`, or the defaults if it has none."""
    path = root / "pyproject.toml"
    table = {}
    if path.exists():
        with path.open("rb") as file:
            table = tomllib.load(file).get("tool", {}).get("pagecheck", {})
    where = f"{path} [tool.pagecheck]"
    values = _checked(table, [f.name for f in fields(Settings)], where)
    values["environments"] = [
        _environment(env, f"{where} environments[{n}]")
        for n, env in enumerate(values.get("environments", []))
    ]
    return Settings(**values)
