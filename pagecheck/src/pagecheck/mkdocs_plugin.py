"""MkDocs plugin: chosen pages get a "Download as notebook" file made from them.

A Markdown page becomes a notebook of its prose, code and shown outputs; a notebook
page is served as it is. Either way the download starts with a cell that names the
page it came from and, if `install` is set, a set-up cell; an "Open in Colab" link
sits beside the button if `colab` is set.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import nbformat
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils import get_relative_url
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from pagecheck.config import Settings, load
from pagecheck.notebook import METADATA, _outputs
from pagecheck.page import CONTAINER, IMAGE, Page, read_page

TITLE = re.compile(r'(?P<mark>\S+)\s*(?P<kind>[\w-]+)?\s*(?:"(?P<title>[^"]*)")?')
REFERENCE = re.compile(r"\[(?P<text>[^\]]+)\]\[(?P<id>[\w.]*)\]")
LINK = re.compile(r"(?P<head>!?\[[^\]]*\]\()(?P<target>[^)\s#]+)(?P<tail>[^)]*\))")
MIME = {".png": "image/png", ".svg": "image/svg+xml"}
H1 = re.compile(r"^# (.*)$", re.MULTILINE)
VERSION = re.compile(r"(?:^|, )(?P<name>[\w.-]+) (?P<version>\d[\w.+]*)")
# What a wheel of a project in the src layout is built from.
WHEEL_SOURCES = (
    *("pyproject.toml", "setup.cfg", "setup.py", "MANIFEST.in"),
    *("README*", "LICENSE*", "src"),
)


class NotebooksConfig(Config):
    """The plugin's settings in `mkdocs.yml`."""

    pages = c.ListOfItems(
        c.Type(str), default=[]
    )  # globs in docs_dir, e.g. questions/*.md
    button = c.Type(str, default="Download as notebook")
    # The set-up cell: `{wheel}` is the wheel's URL, `{verified}` the versions that
    # the page's outputs were verified with (a dict literal: name -> versions).
    install = c.Optional(c.Type(str))
    wheel = c.Optional(c.Dir(exists=True))  # a project whose wheel the site serves
    base_url = c.Optional(c.Type(str))  # where the site is served; site_url if unset
    colab = c.Optional(c.Type(str))  # an address that, + the notebook's path, opens it
    colab_button = c.Type(str, default="Open in Colab")
    cache_dir = c.Type(str, default=".cache/pagecheck")  # beside mkdocs.yml


class NotebooksPlugin(BasePlugin[NotebooksConfig]):
    """Make a notebook of each chosen page and put a button to it under the title."""

    def on_config(self, config: MkDocsConfig) -> None:
        """Check that absolute links can be made, and start with no notebooks."""
        base_url = self.config.base_url or config.site_url
        if not base_url:
            raise PluginError("pagecheck: set site_url (or base_url) for the links")
        self.base_url = base_url.rstrip("/") + "/"
        if "{wheel}" in (self.config.install or "") and not self.config.wheel:
            raise PluginError("pagecheck: the install cell names {wheel}; set wheel")
        self.notebooks: dict[str, File] = {}  # by the page's src_uri
        self.sources: dict[str, Path] = {}  # each notebook's page or notebook file
        self.wheel_url: str | None = None

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add the wheel and an empty `NAME.ipynb` beside each chosen page."""
        cache = Path(config.config_file_path).parent / self.config.cache_dir
        self.made = NotebookCache(cache / "notebooks")
        if self.config.wheel:
            wheel = cached_wheel(Path(self.config.wheel), cache / "wheels")
            uri = f"downloads/{wheel.name}"
            files.append(File.generated(config, uri, abs_src_path=str(wheel)))
            self.wheel_url = urljoin(self.base_url, uri)
        for file in list(files):
            if not any(fnmatch.fnmatch(file.src_uri, g) for g in self.config.pages):
                continue
            if file.src_uri.endswith(".ipynb"):
                files.remove(file)  # served with its set-up cell, made in on_env
            elif not file.is_documentation_page():
                continue
            uri = file.src_uri.removesuffix(".md").removesuffix(".ipynb") + ".ipynb"
            notebook = File.generated(config, uri, content="")
            self.notebooks[uri.removesuffix(".ipynb") + ".md"] = notebook
            self.sources[notebook.src_uri] = Path(str(file.abs_src_path))
            files.append(notebook)
        return files

    def on_page_markdown(
        self, markdown: str, page: MkDocsPage, config: MkDocsConfig, files: Files
    ) -> str:
        """Put the download button under the page's title."""
        notebook = self.notebooks.get(page.file.src_uri)
        if notebook is None:
            return markdown
        href = get_relative_url(notebook.url, page.url)
        name = posixpath.basename(notebook.dest_uri)
        button = (
            f'<a class="md-button" href="{href}" download="{name}">'
            f"{self.config.button}</a>"
        )
        if self.config.colab:
            colab = self.config.colab.rstrip("/") + "/" + notebook.dest_uri
            text = self.config.colab_button
            button += f' <a class="md-button" href="{colab}">{text}</a>'
        if not H1.search(markdown):
            raise PluginError(f"pagecheck: {page.file.src_uri} has no '# ' title")
        return H1.sub(lambda m: f"{m[0]}\n\n{button}", markdown, count=1)

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        """Write the notebooks, now that every page's API anchors are known."""
        autorefs = config.plugins.get("autorefs")
        settings = load(Path(config.config_file_path).parent)
        for page_uri, notebook in self.notebooks.items():
            path = self.sources[notebook.src_uri]
            install = self.config.install
            if install is not None:
                install = install.strip().replace("{wheel}", self.wheel_url or "")
                found = verified(provenance_text(path), str(path), settings)
                install = install.replace("{verified}", repr(found))
            url = urljoin(self.base_url, notebook.url.removesuffix(".ipynb") + "/")
            links: Callable[[str], str] = str
            source = files.get_file_from_path(page_uri)
            if source is not None:
                links = Links(self.base_url, source, files, autorefs).absolute
            notebook.content_string = self.made.notebook(path, install, links, url)
        return env

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Forget the notebooks this build did not make."""
        self.made.evict()


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


@cache
def _maker_hash() -> str:
    """A hash of the code that makes a notebook: this package's, and nbformat's."""
    digest = hashlib.sha256(nbformat.__version__.encode())
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


class Links:
    """Turns a page's relative links and API references into absolute URLs."""

    def __init__(self, base: str, page: File, files: Files, autorefs: Any) -> None:
        self.base, self.page, self.files, self.autorefs = base, page, files, autorefs

    def absolute(self, markdown: str) -> str:
        """The Markdown with links that work outside the site."""
        return LINK.sub(self._link, REFERENCE.sub(self._reference, markdown))

    def _reference(self, match: re.Match[str]) -> str:
        identifier = match["id"] or match["text"].strip("`")
        if self.autorefs is None:
            return match[0]
        try:
            url, _ = self.autorefs.get_item_url(identifier)
        except KeyError:
            return match[0]
        return f"[{match['text']}]({urljoin(self.base, url)})"

    def _link(self, match: re.Match[str]) -> str:
        target = match["target"]
        if re.match(r"[a-z][a-z0-9+.-]*:|/", target):
            return match[0]  # already absolute
        uri = posixpath.normpath(posixpath.join(self.page.src_uri, "..", target))
        file = self.files.get_file_from_path(uri)
        if file is None:
            return match[0]
        return f"{match['head']}{urljoin(self.base, file.url)}{match['tail']}"


def markdown_lines(lines: list[str]) -> list[str]:
    """The page's lines as plain Markdown: admonitions as quotes, tab titles in bold."""
    out: list[str] = []
    stack: list[tuple[int, bool]] = []  # each open container: body indent, quoted?
    blanks, last = 0, 0  # blank lines waiting, and the quote depth before them
    for line in lines:
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if not stripped:
            blanks += 1
            continue
        while stack and indent < stack[-1][0]:
            stack.pop()
        base = stack[-1][0] if stack else 0
        depth = sum(quoted for _, quoted in stack)
        text = line[base:]
        if indent == base and CONTAINER.match(stripped):
            match = TITLE.match(stripped)
            assert match is not None  # it matches any opener
            tab = match["mark"].startswith("===")
            title = match["title"]
            if title is None:
                title = (match["kind"] or "").capitalize()
            stack.append((base + 4, not tab))
            text = f"**{title}**" if title else ""
            depth += not tab
        # A blank line stays in a quote only if the quote goes on after it.
        out += [">" * min(last, depth)] * blanks
        out.append(("> " * depth + text).rstrip())
        blanks, last = 0, depth
    return out + [""] * blanks


def _prose(lines: list[str], links: Callable[[str], str]) -> str:
    """One Markdown cell's text, with dark-mode-only images left out."""
    kept = [line for line in lines if "#only-dark)" not in line]
    return links("\n".join(kept).strip("\n"))


def _figure(path: Path, alt: str) -> nbformat.NotebookNode:
    """A figure as a cell output, with the MIME type of its file."""
    mime = MIME.get(path.suffix)
    if mime is None:
        raise ValueError(f"a figure must be one of {sorted(MIME)}, not {path.name}")
    data = path.read_bytes()
    text = data.decode() if mime == MIME[".svg"] else base64.b64encode(data).decode()
    return nbformat.v4.new_output("display_data", data={mime: text, "text/plain": alt})


def page_to_notebook(
    page: Page, links: Callable[[str], str] = str
) -> nbformat.NotebookNode:
    """A notebook of a page's prose and code, with the outputs the page shows."""
    lines = markdown_lines(page.lines)
    cells = []
    position = 0
    for block in page.blocks:
        prose = _prose(lines[position : block.start], links)
        if prose:
            cells.append(new_markdown_cell(prose))
        outputs = _outputs(block.output, [])
        for figure in block.figures:
            if figure.path is None:
                raise ValueError(
                    f"{page.where(figure.line or block.line)}: a figure on a page "
                    f"needs its image's path, got none for {figure.alt!r}"
                )
            file, _, fragment = figure.path.partition("#")
            if fragment != "only-dark":
                outputs.append(_figure(page.path.parent / file, figure.alt))
        cells.append(new_code_cell(block.source.rstrip("\n"), outputs=outputs))
        position = block.region_end
    end = page.provenance_start or len(lines)
    prose = _prose(lines[position:end], links)
    if prose:
        cells.append(new_markdown_cell(prose))
    for number, cell in enumerate(cells, start=1):
        cell.id = f"cell-{number}"  # stable ids: the same page gives the same file
    notebook = new_notebook(cells=cells)
    notebook.metadata = nbformat.from_dict(METADATA)
    return notebook


def provenance_text(path: Path) -> str:
    """The prose of a page or notebook, where its provenance says what it ran with."""
    if path.suffix != ".ipynb":
        return path.read_text(encoding="utf8")
    cells = nbformat.read(path, as_version=4).cells
    return "\n".join(cell.source for cell in cells if cell.cell_type == "markdown")


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
