"""Notebooks: read a notebook's code cells as blocks, write their outputs, and turn a
Markdown page into a notebook for download."""

from __future__ import annotations

import base64
import html
import os
import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from pagecheck.compare import normalise
from pagecheck.figures import dark_path, describe_svg
from pagecheck.page import (
    DARK,
    FIGURE_DIR,
    LIGHT,
    Block,
    Figure,
    Page,
    flatten_containers,
)
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


# A figure output: its light and dark SVG as <img> tags, shown by the site's theme.
SVG_IMAGE = re.compile(
    r'<img src="data:image/svg\+xml;base64,([^"#]*)'
    r'(#only-(?:light|dark))" alt="([^"]*)"'
)


def _figure_html(light: str, dark: str, alt: str) -> str:
    """HTML that shows the light SVG in light mode and the dark one in dark mode."""
    tags = []
    for svg, fragment in [(light, LIGHT), (dark, DARK)]:
        data = base64.b64encode(svg.encode()).decode()
        src = f"data:image/svg+xml;base64,{data}{fragment}"
        tags.append(f'<img src="{src}" alt="{html.escape(alt)}">')
    return "\n".join(tags)


def _html_figures(text: str, name: str) -> list[Figure]:
    """The figure images in an output's HTML, the light one described with both."""
    found = {m[2]: m for m in SVG_IMAGE.finditer(text)}
    light, dark = found.get(LIGHT), found.get(DARK)
    if light is None:
        return []
    svgs = [base64.b64decode(m[1]).decode() if m else None for m in (light, dark)]
    alt = html.unescape(light[3])
    figures = [Figure(alt, f"{name}{LIGHT}", describe_svg(svgs[0], svgs[1]))]
    if dark is not None:
        dark_name = dark_path(Path(name)).as_posix()
        figures.append(Figure(alt, f"{dark_name}{DARK}", None))
    return figures


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
            data = output.get("data", {})
            if "text/html" in data and SVG_IMAGE.search(data["text/html"]):
                figure_count += 1
                name = f"{FIGURE_DIR}/{path.stem}-{figure_count}.svg"
                block.figures += _html_figures(data["text/html"], name)
        blocks.append(block)
    return NotebookPage(path, [], blocks, None, mark)


def _outputs(stdout: str | None, figures: list[tuple[Path, str]]) -> list:
    """A code cell's outputs: what it printed, then each figure (light SVG, alt)."""
    outputs = []
    if normalise(stdout):
        outputs.append(new_output("stream", name="stdout", text=stdout))
    for light, alt in figures:
        svgs = [path.read_text(encoding="utf8") for path in (light, dark_path(light))]
        data = {"text/html": _figure_html(*svgs, alt), "text/plain": alt}
        outputs.append(new_output("display_data", data=data))
    return outputs


def update_notebook(page: NotebookPage, results: list[dict], folder: Path) -> bool:
    """Rewrite the notebook's outputs from a fresh run if they differ."""
    if is_current(page, results):
        return False
    notebook = nbformat.read(page.path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for count, (cell, result) in enumerate(zip(code, results), start=1):
        figures = [(Path(f["path"]), f["alt"]) for f in result["figures"]]
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


def _prose(lines: list[str]) -> str:
    """Markdown for a notebook: admonition and tab titles in bold, bodies dedented."""
    return flatten_containers("\n".join(lines), titles=True)[0].strip("\n")


def page_to_notebook(page: Page) -> nbformat.NotebookNode:
    """A notebook of a page's prose and code, with the outputs the page shows."""
    cells, position = [], 0
    end = page.provenance_start or len(page.lines)
    for block in page.blocks:
        prose = _prose(page.lines[position : block.start])
        if prose:
            cells.append(new_markdown_cell(prose))
        figures = [(page.path.parent / f.file, f.alt)
                   for f in block.figures if not f.path.endswith(DARK)]
        outputs = _outputs(block.output, figures)
        cells.append(new_code_cell(block.source.rstrip("\n"), outputs=outputs))
        position = block.region_end
    prose = _prose(page.lines[position:end])
    if prose:
        cells.append(new_markdown_cell(prose))
    for number, cell in enumerate(cells, start=1):
        cell.id = f"cell-{number}"  # stable ids: the same page gives the same file
    notebook = new_notebook(cells=cells)
    notebook.metadata = nbformat.from_dict(METADATA)
    return notebook
