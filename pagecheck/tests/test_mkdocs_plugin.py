"""The MkDocs plugin turns a page into a notebook: plain Markdown, shown figures."""

import base64

import nbformat

from pagecheck.config import Settings
from pagecheck.environment import Environment
from pagecheck.mkdocs_plugin import (
    markdown_lines,
    page_to_notebook,
    verified,
    with_set_up,
)
from pagecheck.page import Block, Figure, Page


def test_boxes_become_quotes_and_tabs_bold_titles():
    page = [
        '!!! note "A note"',
        "",
        "    Inside.",
        "",
        '    ??? tip "Nested"',
        "",
        "        Deeper.",
        "",
        "After.",
        '=== "A tab"',
        "",
        "    In the tab.",
        "!!! warning",
        "    Untitled.",
    ]
    assert markdown_lines(page) == [
        "> **A note**",
        ">",
        "> Inside.",
        ">",
        "> > **Nested**",
        ">>",
        "> > Deeper.",
        "",
        "After.",
        "**A tab**",
        "",
        "In the tab.",
        "> **Warning**",
        "> Untitled.",
    ]


def test_figures_are_embedded_light_only_with_their_type(tmp_path):
    (tmp_path / "figures").mkdir()
    svg = '<svg xmlns="http://www.w3.org/2000/svg"/>'
    (tmp_path / "figures" / "p-1.svg").write_text(svg)
    (tmp_path / "figures" / "p-1-dark.svg").write_text(svg.replace("/>", " id='d'/>"))
    (tmp_path / "figures" / "p-2.png").write_bytes(b"\x89PNG")
    figures = [
        Figure("one", "figures/p-1.svg#only-light", None),
        Figure("one", "figures/p-1-dark.svg#only-dark", None),
        Figure("two", "figures/p-2.png", None),
    ]
    block = Block(
        0, 3, "", "plt.show()\n", output="hi\n", figures=figures, region_end=3
    )
    page = Page(
        tmp_path / "p.md", ["```python", "plt.show()", "```"], [block], None, None
    )
    notebook = page_to_notebook(page)
    (cell,) = notebook.cells
    stream, light, png = cell.outputs
    assert stream.text == "hi\n"
    assert light.data == {"image/svg+xml": svg, "text/plain": "one"}
    assert png.data == {
        "image/png": base64.b64encode(b"\x89PNG").decode(),
        "text/plain": "two",
    }


def test_the_download_first_names_its_page_then_sets_up(tmp_path):
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# A title\n\nText")]
    )
    made = with_set_up(notebook, "https://example.org/p/", "%pip install x")
    head, install, first = made.cells
    assert head.source.startswith(
        "This notebook is the page [A title](https://example.org/p/)"
    )
    assert install.source == "%pip install x" and first.source.startswith("# A title")
    assert made.metadata["pagecheck"] == {"page": "https://example.org/p/"}


def test_the_verified_versions_come_from_the_provenance_and_the_environments(tmp_path):
    lines = [
        '??? info "Provenance"',
        "    Every output was written with",
        "    Python 3.11.7, torch 2.13.0+cpu, numpy 2.4.6, lessoncode 0.1.0.",
        "    The code ran in 1.0 s.",
    ]
    page = Page(tmp_path / "p.md", lines, [], 0, "\n".join(lines))
    other = Environment(python="3.12", requirements=["torch==2.14.1", "pandas==3"])
    assert verified(page, Settings(environments=[other])) == {
        "Python": ["3.11.7", "3.12"],
        "torch": ["2.13.0+cpu", "2.14.1"],
        "numpy": ["2.4.6"],
        "lessoncode": ["0.1.0"],
    }
