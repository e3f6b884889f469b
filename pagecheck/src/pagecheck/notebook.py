"""Notebooks: read a notebook's code cells as blocks, and write their outputs.

A figure output holds the light SVG and its alt text, which Jupyter shows; the dark
SVG rides in the output's metadata, for the site to show in dark mode.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_markdown_cell, new_output

from pagecheck.canonical import describe
from pagecheck.compare import normalise
from pagecheck.config import Settings
from pagecheck.page import DARK_KEY, OUTPUT_INFO, Block, Figure, Page
from pagecheck.provenance import PROVENANCE_MARK, is_current, provenance
from pagecheck.result import BlockResult, RenderedFigure

SVG = "image/svg+xml"
METADATA = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
}


class NotebookPage(Page):
    """A notebook read as a page: one block per code cell, places named by cell."""

    def where_block(self, block: Block) -> str:
        """A cell of the notebook as `path, cell N`, counting every cell from 1."""
        return f"{os.path.relpath(self.path)}, cell {block.cell}"

    where_output = where_figures = where_block

    def where_end(self) -> str:
        """The notebook's last cell, where its provenance is."""
        return f"{os.path.relpath(self.path)}, cell {len(self.lines)}"

    def code(self, block: Block) -> tuple[str, str]:
        """A cell's name for tracebacks, and its source."""
        return self.where_block(block), block.source

    def figure_names(self, figure: RenderedFigure) -> list[str | None]:
        """One unnamed figure: a notebook embeds its figures."""
        return [None]


def _figure(output: nbformat.NotebookNode) -> Figure | None:
    """A figure output's alt text and description (of its light and dark SVG)."""
    light = output.get("data", {}).get(SVG)
    if light is None:
        return None
    dark = output.get("metadata", {}).get(DARK_KEY)
    return Figure(output.data.get("text/plain", ""), None, describe(light, dark))


def read_notebook(path: Path) -> NotebookPage:
    """Read a notebook's code cells, with their stream outputs and figures, as blocks.

    The page's `lines` are the cells' sources, one string per cell.
    """
    notebook = nbformat.read(path, as_version=4)
    blocks, mark = [], None
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "markdown" and cell.source.startswith(PROVENANCE_MARK):
            mark = cell.source
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        text = "".join(o.text for o in outputs if o.output_type == "stream")
        block = Block(0, 0, "", cell.source + "\n", output=text or None, cell=number)
        block.output_info = OUTPUT_INFO
        for output in outputs:
            figure = _figure(output)
            if figure is not None:
                block.figures.append(figure)
        blocks.append(block)
    sources = [cell.source for cell in notebook.cells]
    return NotebookPage(path, sources, blocks, None, mark)


def outputs(stdout: str | None, figures: list[RenderedFigure]) -> list[Any]:
    """A code cell's outputs: what it printed, then each figure."""
    outputs = []
    if normalise(stdout):
        outputs.append(new_output("stream", name="stdout", text=stdout))
    for figure in figures:
        data = {SVG: figure.light, "text/plain": figure.alt}
        dark = {DARK_KEY: figure.dark}
        outputs.append(new_output("display_data", data=data, metadata=dark))
    return outputs


def update_notebook(
    page: Page, results: list[BlockResult], settings: Settings, root: Path
) -> bool:
    """Rewrite the notebook's outputs from a fresh run if they differ."""
    if is_current(page, results, settings, root):
        return False
    notebook = nbformat.read(page.path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for count, (cell, result) in enumerate(zip(code, results, strict=True), start=1):
        cell.outputs = outputs(result.stdout, result.figures)
        cell.execution_count = count
    notebook.cells = [
        c for c in notebook.cells if not c.source.startswith(PROVENANCE_MARK)
    ]
    lines = provenance(page, results, settings, root)[1:]
    text = " ".join(line.strip() for line in lines)
    notebook.cells.append(
        new_markdown_cell(f"{PROVENANCE_MARK} {text}", id="provenance")
    )
    notebook.metadata = nbformat.from_dict(METADATA)
    nbformat.write(notebook, page.path)
    return True
