"""Extra environments a page runs in: other variables, and another Python of its own.

An environment with `python` set runs the pages in a virtual environment of that
Python version holding `requirements`, made once and kept in the user's cache
(`$XDG_CACHE_HOME/pagecheck`, else `~/.cache/pagecheck`) under a name made from its
version and requirements, so that a later run, or another clone, reuses it.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock
from packaging.requirements import Requirement

import pagecheck

# What the worker itself imports, for an environment that does not name them.
WORKER_NEEDS = ("numpy", "matplotlib", "pillow")
READY = "pagecheck-ready"  # written last, once the venv is complete


class Unavailable(Exception):
    """An environment that cannot be made here; the message says what is missing."""


@dataclass(frozen=True)
class Environment:
    """One extra run of every page: variables set, and maybe another Python."""

    variables: dict[str, str] = field(default_factory=dict)
    """Environment variables set for the run (e.g. no SIMD, one thread)."""

    python: str | None = None
    """A Python version such as "3.12" to run in, or None for the one running pytest."""

    requirements: list[str] = field(default_factory=list)
    """What pip installs into that Python's virtual environment."""

    pythonpath: list[str] = field(default_factory=list)
    """Folders, relative to the root, put on PYTHONPATH (the project's own code)."""

    @property
    def name(self) -> str:
        """The environment as a test id: its Python and torch, then its variables."""
        parts = [f"python{self.python}"] if self.python else []
        parts += [r for r in self.requirements if Requirement(r).name == "torch"]
        parts += [f"{key}={value}" for key, value in self.variables.items()]
        return ",".join(parts)

    def key(self) -> str:
        """The name of its virtual environment in the cache."""
        wanted = [self.python, sorted(self.requirements), list(WORKER_NEEDS)]
        digest = hashlib.sha256(json.dumps(wanted).encode()).hexdigest()[:12]
        return f"python{self.python}-{digest}"


def cache_dir() -> Path:
    """Where pagecheck keeps the virtual environments it makes."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "pagecheck"


def find_python(version: str) -> str | None:
    """A `pythonX.Y` executable of that version: on PATH, or one that pyenv holds."""
    pyenv = os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv"
    candidates = [shutil.which(f"python{version}")]
    candidates += sorted(glob.glob(f"{pyenv}/versions/{version}.*/bin/python{version}"))
    for candidate in candidates:
        if candidate and _version_of(candidate) == version:
            return candidate
    return None


def _version_of(python: str) -> str | None:
    command = [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else None


def interpreter(environment: Environment) -> str:
    """The Python that runs the pages in this environment, made if need be."""
    if environment.python is None:
        return sys.executable
    folder = cache_dir() / environment.key()
    python = folder / "bin" / "python"
    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{folder}.lock"):
        if not (folder / READY).exists():
            _make(environment, folder)
    return str(python)


def _make(environment: Environment, folder: Path) -> None:
    assert environment.python is not None
    base = find_python(environment.python)
    if base is None:
        raise Unavailable(
            f"pagecheck: the environment {environment.name} needs Python "
            f"{environment.python}, and no python{environment.python} was found on "
            "PATH or in pyenv; install it (e.g. `pyenv install "
            f"{environment.python}`) and run again"
        )
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([base, "-m", "venv", str(folder)], check=True)
    named = {Requirement(r).name.lower() for r in environment.requirements}
    extra = [need for need in WORKER_NEEDS if need not in named]
    command = [str(folder / "bin" / "python"), "-m", "pip", "install", "-q"]
    done = subprocess.run(
        command + environment.requirements + extra,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise Unavailable(
            f"pagecheck: installing {environment.name} into {folder} failed:\n"
            f"{done.stderr[-3000:]}"
        )
    (folder / READY).write_text("\n".join(environment.requirements + extra) + "\n")


def variables(environment: Environment, root: Path, folder: Path) -> dict[str, str]:
    """The variables a page's process gets in this environment; `folder` is its own.

    In another Python, the worker is this very pagecheck, reached through a link in
    `folder` (not its parent folder, which may be this Python's site-packages).
    """
    found = dict(environment.variables)
    if environment.python is not None:
        link = folder / "path" / "pagecheck"
        link.parent.mkdir(exist_ok=True)
        if not link.exists():
            link.symlink_to(Path(pagecheck.__file__).parent, target_is_directory=True)
        paths = [str(root / p) for p in environment.pythonpath] + [str(link.parent)]
        found["PYTHONPATH"] = os.pathsep.join(paths)
    return found
