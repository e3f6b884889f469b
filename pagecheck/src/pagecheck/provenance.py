"""A page's provenance: how, when and from what its outputs were written.

It closes a Markdown page as an admonition (`PROVENANCE_HEAD`) and a notebook as a
Markdown cell (`PROVENANCE_MARK`), and holds a hash of the page's code and of the
configured inputs, which must still be current.
"""

from __future__ import annotations

import hashlib
import platform
import re
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from pagecheck.check import differences
from pagecheck.config import Settings
from pagecheck.page import Page
from pagecheck.result import BlockResult

PROVENANCE_HEAD = '??? info "Provenance"'
PROVENANCE_MARK = "**Provenance.**"
HASH_LABEL = "inputs hash"


def versions(settings: Settings) -> str:
    """The versions that make a page's outputs what they are."""
    listed = "".join(f", {name} {version(name)}" for name in settings.packages)
    return f"Python {platform.python_version()}{listed}"


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    found = sorted(p for p in path.rglob("*") if p.is_file())
    return [p for p in found if "__pycache__" not in p.parts]


def inputs_hash(page: Page, settings: Settings, root: Path) -> str:
    """A hash of what makes the page's outputs: its code and the configured inputs."""
    digest = hashlib.sha256()
    for block in page.blocks:
        digest.update(block.source.encode() + b"\0")
    for name in settings.inputs:
        for file in _files(root / name):
            digest.update(file.relative_to(root).as_posix().encode() + b"\0")
            digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def stale_provenance(page: Page, settings: Settings, root: Path) -> str | None:
    """Why the page's provenance does not vouch for its outputs, or None if it does."""
    end = page.where_end()
    if page.provenance is None:
        return f"{end}: the page has no provenance"
    current = inputs_hash(page, settings, root)
    if f"{HASH_LABEL} {current}" not in " ".join(page.provenance.split()):
        inputs = ", ".join(["the page's code", *settings.inputs])
        return (
            f"{end}: the provenance's {HASH_LABEL} is not {current}, the hash of "
            f"what makes the outputs now ({inputs}), so the outputs may be stale"
        )
    return None


def _essence(provenance: str) -> str:
    """A provenance's words but for its head, the date and the time the run took."""
    head = f"^({re.escape(PROVENANCE_HEAD)}|{re.escape(PROVENANCE_MARK)})"
    text = " ".join(re.sub(head, "", provenance.strip()).split())
    text = re.sub(r"\d{4}-\d\d-\d\d", "DATE", text)
    return re.sub(r"ran in [\d.]+ s", "ran in SECONDS", text)


def is_current(
    page: Page, results: list[BlockResult], settings: Settings, root: Path
) -> bool:
    """Whether the page shows what the run printed and drew, and says how, from what."""
    if any(differences(page, i, r, settings) for i, r in enumerate(results)):
        return False
    fresh = "\n".join(provenance(page, results, settings, root))
    return _essence(page.provenance or "") == _essence(fresh)


def provenance(
    page: Page, results: list[BlockResult], settings: Settings, root: Path
) -> list[str]:
    """The provenance admonition that closes every page with code."""
    seconds = sum(result.seconds for result in results)
    inputs = [f"`{name}`" for name in settings.inputs]
    covered = ", ".join(["the page's code", *inputs[:-1]])
    covered += f" and {inputs[-1]}" if inputs else ""
    day = datetime.now(UTC).date().isoformat()
    return [
        PROVENANCE_HEAD,
        f"    Every output and figure on this page was written on {day} by",
        f"    `{settings.update_command}` from one run of the page's code",
        "    in a fresh Python, in an empty folder, with",
        f"    {versions(settings)}.",
        f"    The code ran in {seconds:.1f} s on {platform.machine()}.",
        f"    The {HASH_LABEL} {inputs_hash(page, settings, root)} covers {covered}.",
        "    The tests run the code again on every change and fail when an",
        "    output or figure differs, or when that hash is no longer current.",
    ]
