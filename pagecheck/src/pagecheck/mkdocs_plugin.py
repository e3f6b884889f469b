"""MkDocs plugin: chosen pages get a "Download as notebook" file made from them.

A Markdown page becomes a notebook of its prose, code and shown outputs; a notebook
page is served as it is. Either way the download starts with a cell that names the
page it came from and, if `install` is set, a set-up cell; an "Open in Colab" link
sits beside the button if `colab` is set.
"""

from __future__ import annotations

import base64
import fnmatch
import posixpath
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
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
from pagecheck.notebook import METADATA, _outputs, read_notebook
from pagecheck.page import CONTAINER, Page, read_page

TITLE = re.compile(r'(?P<mark>\S+)\s*(?P<kind>[\w-]+)?\s*(?:"(?P<title>[^"]*)")?')
REFERENCE = re.compile(r"\[(?P<text>[^\]]+)\]\[(?P<id>[\w.]*)\]")
LINK = re.compile(r"(?P<head>!?\[[^\]]*\]\()(?P<target>[^)\s#]+)(?P<tail>[^)]*\))")
MIME = {".png": "image/png", ".svg": "image/svg+xml"}
H1 = re.compile(r"^# (.*)$", re.MULTILINE)
VERSION = re.compile(r"(?:^|, )(?P<name>[\w.-]+) (?P<version>\d[\w.+]*)")


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
        if self.config.wheel:
            wheel = build_wheel(Path(self.config.wheel))
            uri = f"downloads/{wheel.name}"
            files.append(File.generated(config, uri, content=wheel.read_bytes()))
            wheel.unlink()
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
            page = (read_notebook if path.suffix == ".ipynb" else read_page)(path)
            install = self.config.install
            if install is not None:
                install = install.strip().replace("{wheel}", self.wheel_url or "")
                install = install.replace("{verified}", repr(verified(page, settings)))
            url = urljoin(self.base_url, notebook.url.removesuffix(".ipynb") + "/")
            if path.suffix == ".ipynb":
                made = nbformat.read(path, as_version=4)
            else:
                source = files.get_file_from_path(page_uri)
                assert source is not None
                links = Links(self.base_url, source, files, autorefs)
                made = page_to_notebook(page, links.absolute)
            notebook.content_string = nbformat.writes(with_set_up(made, url, install))
        return env


def build_wheel(project: Path) -> Path:
    """Build the project's wheel offline, into a temporary folder."""
    out = Path(tempfile.mkdtemp())
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps"]
    command += ["--no-build-isolation", "--no-index", "-q", "-w", str(out)]
    done = subprocess.run(
        command + [str(project)], check=False, capture_output=True, text=True
    )
    wheels = list(out.glob("*.whl"))
    if done.returncode or len(wheels) != 1:
        raise PluginError(f"pagecheck: building the wheel failed:\n{done.stderr}")
    return wheels[0]


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


def verified(page: Page, settings: Settings) -> dict[str, list[str]]:
    """The versions a page was verified with: its provenance's, then each extra
    environment's Python and pinned packages."""
    found: dict[str, list[str]] = {}
    provenance = " ".join((page.provenance or "").split())
    line = re.search(r"with (Python \S+(?:, [\w.-]+ \S+)*)\.(?:\s|$)", provenance)
    if line is None:
        raise ValueError(f"{page.where_end()}: no versions in the page's provenance")
    for match in VERSION.finditer(line[1]):
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
