"""MkDocs hooks: every question page gets a notebook made from it, and a link to it."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from mkdocs.structure.files import File

from pagecheck.notebook import page_to_notebook
from pagecheck.page import read_page

SECTION = "questions/"


def on_files(files, config):
    """Add `questions/NAME.ipynb` beside each question page, made from the page."""
    for file in list(files.documentation_pages()):
        if file.src_uri.startswith(SECTION) and file.src_uri.endswith(".md"):
            notebook = page_to_notebook(read_page(Path(file.abs_src_path)))
            uri = file.src_uri.removesuffix(".md") + ".ipynb"
            files.append(File.generated(config, uri, content=nbformat.writes(notebook)))
    return files


def on_page_markdown(markdown, page, config, files):
    """Put a "Download as notebook" button under the page's title."""
    if not page.file.src_uri.startswith(SECTION):
        return markdown
    name = Path(page.file.src_uri).stem + ".ipynb"
    button = f"[Download as notebook]({name}){{ .md-button }}"
    return re.sub(r"^(# .*)$", rf"\1\n\n{button}", markdown, count=1, flags=re.M)
