"""The wheel of the project that the site serves, built again only when its sources
change."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError

# What a wheel of a project in the src layout is built from.
WHEEL_SOURCES = (
    *("pyproject.toml", "setup.cfg", "setup.py", "MANIFEST.in"),
    *("README*", "LICENSE*", "src"),
)


def build_wheel(project: Path, out: Path) -> Path:
    """Build the project's wheel offline, into the folder `out`."""
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps"]
    command += ["--no-build-isolation", "--no-index", "-q", "-w", str(out)]
    done = subprocess.run(
        command + [str(project)], check=False, capture_output=True, text=True
    )
    wheels = list(out.glob("*.whl"))
    if done.returncode or len(wheels) != 1:
        raise PluginError(f"pagecheck: building the wheel failed:\n{done.stderr}")
    return wheels[0]


def wheel_sources_hash(project: Path) -> str | None:
    """A hash of the names and bytes of the files the project's wheel is built from,
    None unless the project is in the src layout (the sources then are known)."""
    if not (project / "src").is_dir():
        return None
    digest = hashlib.sha256()
    for pattern in WHEEL_SOURCES:
        for top in sorted(project.glob(pattern)):
            for path in sorted([top, *top.rglob("*")] if top.is_dir() else [top]):
                parts = path.relative_to(project).parts
                if (
                    not path.is_file()
                    or path.suffix == ".pyc"
                    or any(
                        part == "__pycache__" or part.endswith(".egg-info")
                        for part in parts  # written by builds and imports, not sources
                    )
                ):
                    continue
                digest.update("/".join(parts).encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cached_wheel(project: Path, cache: Path) -> Path:
    """The project's wheel, built again only when the files it is built from change.

    The cache keeps the wheel of the latest sources only, in `cache/HASH/`.
    """
    key = wheel_sources_hash(project)
    if key is None:  # nothing to key on: build it every time
        return build_wheel(project, Path(tempfile.mkdtemp()))
    folder = cache / key
    found = list(folder.glob("*.whl"))
    if len(found) == 1:
        return found[0]
    folder.mkdir(parents=True, exist_ok=True)
    # Built beside the cache, then renamed into it: another build never sees a
    # wheel half written.
    building = Path(tempfile.mkdtemp(dir=cache, prefix=".building-"))
    try:
        built = build_wheel(project, building)
        wheel = built.replace(folder / built.name)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    for old in cache.iterdir():
        if old != folder and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return wheel
