"""MkDocs plugin: chosen pages get a "Download as notebook" file made from them.

A Markdown page becomes a notebook of its prose, code and shown outputs; a notebook
page is served as it is. Either way the download starts with a cell that names the
page it came from and, if `install` is set, a set-up cell; an "Open in Colab" link
sits beside the button if `colab` is set.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils import get_relative_url

from pagecheck.config import load_settings
from pagecheck.downloads import H1, NotebookCache, provenance_text, verified
from pagecheck.links import Links
from pagecheck.wheel import cached_wheel


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
        settings = load_settings(Path(config.config_file_path).parent)
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
