"""Notebooks: read a notebook's code cells as blocks, and write their outputs."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell, new_output
from PIL import Image

from pagecheck.compare import normalise
from pagecheck.figures import KEY
from pagecheck.page import FIGURE_DIR, Block, Figure, Page
from pagecheck.update import is_current, provenance

PROVENANCE_MARK = "**Provenance.**"
METADATA = {
    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
    "language_info": {"name": "python"},
}


class NotebookPage(Page):
    """A notebook read as a page: one block per code cell, places named by cell."""

    def where(self, line: int) -> str:
        """A cell of the notebook as `path, cell N`."""
        return f"{os.path.relpath(self.path)}, cell {line}"

    def code(self, block: Block) -> tuple[str, str]:
        """A cell's name for tracebacks, and its source."""
        return self.where(block.line), block.source


def _png_description(data: str) -> str | None:
    with Image.open(io.BytesIO(base64.b64decode(data))) as image:
        return image.text.get(KEY)


def read_notebook(path: Path) -> NotebookPage:
    """Read a notebook's code cells, with their stream outputs and figures, as blocks."""
    notebook = nbformat.read(path, as_version=4)
    blocks, mark, figure_count = [], None, 0
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "markdown" and cell.source.startswith(PROVENANCE_MARK):
            mark = cell.source
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        text = "".join(o.text for o in outputs if o.output_type == "stream")
        block = Block(number - 1, number, "", cell.source + "\n", text or None)
        for output in outputs:
            if "image/png" in output.get("data", {}):
                figure_count += 1
                name = f"{FIGURE_DIR}/{path.stem}-{figure_count}.png"
                description = _png_description(output.data["image/png"])
                block.figures.append(Figure("", name, description))
        blocks.append(block)
    return NotebookPage(path, [], blocks, None, mark)


def _outputs(stdout: str | None, figures: list[tuple[bytes, str]]) -> list:
    """A code cell's outputs: what it printed, then each figure as (PNG, alt text)."""
    outputs = []
    if normalise(stdout):
        outputs.append(new_output("stream", name="stdout", text=stdout))
    for png, alt in figures:
        data = {"image/png": base64.b64encode(png).decode(), "text/plain": alt}
        outputs.append(new_output("display_data", data=data))
    return outputs


def update_notebook(page: NotebookPage, results: list[dict], folder: Path) -> bool:
    """Rewrite the notebook's outputs from a fresh run if they differ."""
    if is_current(page, results):
        return False
    notebook = nbformat.read(page.path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for count, (cell, result) in enumerate(zip(code, results), start=1):
        figures = [(Path(f["path"]).read_bytes(), f["alt"]) for f in result["figures"]]
        cell.outputs = _outputs(result["stdout"], figures)
        cell.execution_count = count
    notebook.cells = [
        c for c in notebook.cells if not c.source.startswith(PROVENANCE_MARK)
    ]
    text = " ".join(line.strip() for line in provenance(results, folder)[1:])
    notebook.cells.append(new_markdown_cell(f"{PROVENANCE_MARK} {text}", id="provenance"))
    notebook.metadata = nbformat.from_dict(METADATA)
    nbformat.write(notebook, page.path)
    return True
