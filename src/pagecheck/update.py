"""Write a page's outputs, figures and provenance from a fresh run."""

from __future__ import annotations

import platform
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path

from pagecheck.check import differences, fresh_figure_paths
from pagecheck.compare import normalise, outputs_match
from pagecheck.figures import dark_path, read_description
from pagecheck.page import FIGURE_DIR, OUTPUT_INFO, PROVENANCE_HEAD, Block, Page

UPDATE_COMMAND = "pytest docs --update-outputs"


def versions() -> str:
    """The versions that make a page's outputs what they are."""
    names = ["torch", "numpy", "matplotlib", "lessoncode"]
    listed = ", ".join(f"{name} {version(name)}" for name in names)
    return f"Python {platform.python_version()}, {listed}"


def _commit(folder: Path) -> str:
    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, check=False
        )
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD")
    if not head:
        return "no git commit"
    changed = git("status", "--porcelain", "--", "src", "docs", "pyproject.toml")
    return f"commit {head}" + (" with uncommitted changes" if changed else "")


def is_current(page: Page, results: list[dict]) -> bool:
    """Whether the page shows what the run printed and drew, with these versions."""
    if any(differences(page, i, result) for i, result in enumerate(results)):
        return False
    return versions() in (page.provenance or "")


def provenance(results: list[dict], folder: Path) -> list[str]:
    """The provenance admonition that closes every page with code."""
    seconds = sum(result["seconds"] for result in results)
    return [
        PROVENANCE_HEAD,
        f"    Every output and figure on this page was written by `{UPDATE_COMMAND}`",
        "    from one run of the page's code in a fresh Python, in an empty folder:",
        f"    {versions()};",
        f"    {_commit(folder)}; the code ran in {seconds:.1f} s on {platform.machine()}.",
        "    The test suite runs the code again on every change and fails when an",
        "    output or figure differs from what the page shows.",
    ]


def _region(block: Block, result: dict) -> list[str]:
    pad = block.indent
    lines = []
    text = normalise(result["stdout"])
    if text:
        body = [pad + line if line else "" for line in text.split("\n")]
        lines += ["", pad + "```" + OUTPUT_INFO, *body, pad + "```"]
    images = iter(fresh_figure_paths(result))
    for figure in result["figures"]:
        light, dark = next(images), next(images)
        lines += ["", f"{pad}![{figure['alt']}]({light})"]
        lines += [f"{pad}![{figure['alt']}]({dark})"]
    return lines


def _write_figures(page: Page, results: list[dict]) -> None:
    folder = page.path.parent / FIGURE_DIR
    folder.mkdir(exist_ok=True)
    wanted = set()
    for result in results:
        for figure in result["figures"]:
            fresh = Path(figure["path"])
            target = folder / fresh.name
            wanted |= {target.name, dark_path(target).name}
            if not outputs_match(read_description(target), figure["description"]):
                shutil.copyfile(fresh, target)
                shutil.copyfile(dark_path(fresh), dark_path(target))
    for old in [*folder.glob(f"{page.path.stem}-*.png"),
                *folder.glob(f"{page.path.stem}-*.svg")]:
        if old.name not in wanted and old.stem.removesuffix("-dark")[
            len(page.path.stem) + 1 :
        ].isdigit():
            old.unlink()


def update_page(page: Page, results: list[dict], folder: Path) -> bool:
    """Rewrite the page from a fresh run if it differs; return whether it did."""
    if is_current(page, results):
        return False
    _write_figures(page, results)
    lines, position = [], 0
    for block, result in zip(page.blocks, results):
        lines += page.lines[position : block.end] + _region(block, result)
        position = block.region_end
    end = page.provenance_start if page.provenance_start is not None else None
    lines += page.lines[position:end]
    while lines and not lines[-1].strip():
        lines.pop()
    lines += ["", *provenance(results, folder), ""]
    page.path.write_text("\n".join(lines), encoding="utf8")
    return True
