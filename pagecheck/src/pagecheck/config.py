"""pagecheck's settings, from `[tool.pagecheck]` in the project's pyproject.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path


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

    environments: list[dict[str, str]] = field(default_factory=list)
    """Extra environment variables, one dict per extra run: each page's code runs
    once more under each, as separate tests, and must show the same outputs."""


def load(root: Path) -> Settings:
    """The settings in `root/pyproject.toml`, or the defaults if it has none."""
    path = root / "pyproject.toml"
    table = {}
    if path.exists():
        with path.open("rb") as file:
            table = tomllib.load(file).get("tool", {}).get("pagecheck", {})
    known = {
        key: f.name
        for f in fields(Settings)
        for key in (f.name, f.name.replace("_", "-"))
    }
    unknown = sorted(set(table) - set(known))
    if unknown:
        names = sorted({f.name for f in fields(Settings)})
        raise ValueError(
            f"{path}: unknown [tool.pagecheck] keys {unknown}; known: {names}"
        )
    settings = Settings(**{known[key]: value for key, value in table.items()})
    for environment in settings.environments:
        if not all(isinstance(v, str) for v in environment.values()):
            raise ValueError(
                f"{path}: environment values must be strings: {environment}"
            )
    return settings
