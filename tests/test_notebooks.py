"""Each question's "Download as notebook" file, run in a fresh kernel, prints what its
page shows."""

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import DOCS
from pagecheck.compare import diff, outputs_match
from pagecheck.page import DARK, read_page

QUESTIONS = sorted((DOCS / "questions").glob("*.md"))


def executed(notebook_path, folder):
    notebook = nbformat.read(notebook_path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("page", QUESTIONS, ids=lambda p: p.stem)
def test_the_downloaded_notebook_reproduces_its_page(site, page, tmp_path):
    download = site / "questions" / f"{page.stem}.ipynb"
    cells = executed(download, tmp_path)
    blocks = read_page(page).blocks
    assert len(cells) == len(blocks)
    for cell, block in zip(cells, blocks):
        streams = [o for o in cell.outputs if o.output_type == "stream"]
        assert [o.name for o in streams if o.name != "stdout"] == [], block.line
        printed = "".join(o.text for o in streams)
        assert outputs_match(block.output, printed), diff(
            block.output, printed, f"{page.name}:{block.line}")
        images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        shown = [f for f in block.figures if not f.path.endswith(DARK)]
        assert len(images) == len(shown), f"{page.name}:{block.line}"
        assert len(cell.outputs) == len(streams) + len(images), cell.outputs
