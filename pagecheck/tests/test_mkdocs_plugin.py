"""The MkDocs plugin turns a page into a notebook: plain Markdown, shown figures."""

import base64

from pagecheck.mkdocs_plugin import markdown_lines, page_to_notebook
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
    notebook = page_to_notebook(page, "%pip install x")
    install, cell = notebook.cells
    assert install.source == "%pip install x"
    stream, light, png = cell.outputs
    assert stream.text == "hi\n"
    assert light.data == {"image/svg+xml": svg, "text/plain": "one"}
    assert png.data == {
        "image/png": base64.b64encode(b"\x89PNG").decode(),
        "text/plain": "two",
    }
