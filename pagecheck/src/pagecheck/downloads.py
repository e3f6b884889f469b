"""The notebook downloads: made from a page, headed by a set-up cell, and kept in a
cache by a hash of all they are made of."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from pagecheck.page import IMAGE

if TYPE_CHECKING:
    import nbformat

    from pagecheck.config import Settings

# nbformat and the Markdown parser are imported only where a notebook is made: a
# build that finds every notebook in the cache needs neither (nbformat alone took a
# tenth of such a build).

H1 = re.compile(r"^# (.*)$", re.MULTILINE)
VERSION = re.compile(r"(?:^|, )(?P<name>[\w.-]+) (?P<version>\d[\w.+]*)")


@cache
def _maker_hash() -> str:
    """A hash of the code that makes a notebook: this package's, and nbformat's."""
    digest = hashlib.sha256(version("nbformat").encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()


class NotebookCache:
    """Notebooks made from pages, kept in a folder by a hash of all they are made of:
    the page, its figures' files, the first cell, the links, and the code."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[Path] = set()

    def notebook(
        self,
        path: Path,
        install: str | None,
        links: Callable[[str], str],
        url: str,
    ) -> str:
        """The notebook of the page (or notebook) at `path`, as `nbformat.writes`
        gives it, with `with_set_up`'s first cells."""
        text = path.read_text(encoding="utf8")
        digest = hashlib.sha256()
        for part in (_maker_hash(), install or "", url, text, links(text)):
            digest.update(hashlib.sha256(part.encode()).digest())
        for match in IMAGE.finditer(text):
            figure = path.parent / match[2]
            digest.update(figure.read_bytes() if figure.is_file() else b"")
        entry = self.folder / f"{digest.hexdigest()}.ipynb"
        self.used.add(entry)
        try:
            return entry.read_text(encoding="utf8")
        except FileNotFoundError:
            pass
        import nbformat

        from pagecheck.markdown import page_to_notebook, read_page

        if path.suffix == ".ipynb":
            notebook = nbformat.read(path, as_version=4)
        else:
            notebook = page_to_notebook(read_page(path, describe=False), links)
        made = nbformat.writes(with_set_up(notebook, url, install))
        self.folder.mkdir(parents=True, exist_ok=True)
        written = entry.with_name(f".{entry.name}.{os.getpid()}")
        written.write_text(made, encoding="utf8")
        written.replace(entry)  # whole or not at all, for another build reading it
        return made

    def evict(self) -> None:
        """Delete the notebooks not asked for since this cache was made."""
        for entry in self.folder.glob("*.ipynb"):
            if entry not in self.used:
                entry.unlink(missing_ok=True)


def provenance_text(path: Path) -> str:
    """The prose of a page or notebook, where its provenance says what it ran with."""
    if path.suffix != ".ipynb":
        return path.read_text(encoding="utf8")
    cells = json.loads(path.read_text(encoding="utf8"))["cells"]
    sources = [c["source"] for c in cells if c["cell_type"] == "markdown"]
    return "\n".join(s if isinstance(s, str) else "".join(s) for s in sources)


def verified(text: str, where: str, settings: Settings) -> dict[str, list[str]]:
    """The versions a page was verified with: its provenance's (the last "with
    Python X, name Y, ..." in `text`), then each extra environment's Python and
    pinned packages."""
    found: dict[str, list[str]] = {}
    prose = " ".join(text.split())
    lines = re.findall(r"with (Python \S+(?:, [\w.-]+ \S+)*)\.(?:\s|$)", prose)
    if not lines:
        raise PluginError(f"pagecheck: {where}: no versions in its provenance")
    for match in VERSION.finditer(lines[-1]):
        found[match["name"]] = [match["version"]]
    for environment in settings.environments:
        pins = [r.partition("==")[::2] for r in environment.requirements]
        for name, pinned in [("Python", environment.python or ""), *pins]:
            if name in found and pinned and pinned not in found[name]:
                found[name].append(pinned)
    return found


def with_set_up(
    notebook: nbformat.NotebookNode, url: str, install: str | None
) -> nbformat.NotebookNode:
    """The notebook, first naming the page it came from, then its set-up cell."""
    from nbformat.v4 import new_code_cell, new_markdown_cell

    title = next(
        (m[1] for c in notebook.cells if (m := H1.search(c.source))), "this page"
    )
    head = new_markdown_cell(
        f"This notebook is the page [{title}]({url}), with the outputs shown there. "
        + ("Run the set-up cell first, then the others in order." if install else "")
    )
    head.id = "source-page"
    cells = [head]
    if install:
        cells.append(new_code_cell(install))
        cells[-1].id = "set-up"
    notebook.cells = cells + notebook.cells
    notebook.metadata["pagecheck"] = {"page": url}
    return notebook
