"""The MkDocs plugin turns a page into a notebook: plain Markdown, shown figures."""

import base64
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat

from pagecheck import mkdocs_plugin
from pagecheck.config import Settings
from pagecheck.environment import Environment
from pagecheck.mkdocs_plugin import (
    NotebookCache,
    build_wheel,
    cached_wheel,
    markdown_lines,
    page_to_notebook,
    verified,
    wheel_sources_hash,
    with_set_up,
)
from pagecheck.page import Block, Figure, Page, read_page


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
    other = Environment(python="3.12", requirements=["torch==2.14.1", "pandas==3"])
    found = verified("\n".join(lines), "p.md", Settings(environments=[other]))
    assert found == {
        "Python": ["3.11.7", "3.12"],
        "torch": ["2.13.0+cpu", "2.14.1"],
        "numpy": ["2.4.6"],
        "lessoncode": ["0.1.0"],
    }


PAGES = Path(__file__).parent / "pages"
URL = "https://example.org/sample/"


def test_a_wheel_is_built_again_only_when_its_sources_change(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "src" / "tiny").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[project]\nname = "tiny"\nversion = "1.0"\n'
    )
    module = project / "src" / "tiny" / "__init__.py"
    module.write_text("ANSWER = 42\n")
    builds: list[Path] = []

    def counted(source: Path, out: Path) -> Path:
        builds.append(source)
        return build_wheel(source, out)

    monkeypatch.setattr(mkdocs_plugin, "build_wheel", counted)
    cache = tmp_path / "cache"
    first = cached_wheel(project, cache)
    assert first.name == "tiny-1.0-py3-none-any.whl" and len(builds) == 1
    # What a build or an import leaves in the sources changes nothing.
    (project / "src" / "tiny" / "__pycache__").mkdir()
    (project / "src" / "tiny" / "__pycache__" / "x.pyc").write_bytes(b"0")
    assert cached_wheel(project, cache) == first and len(builds) == 1
    module.write_text("ANSWER = 43\n")
    second = cached_wheel(project, cache)
    assert len(builds) == 2 and second != first
    with zipfile.ZipFile(second) as wheel:
        assert wheel.read("tiny/__init__.py") == b"ANSWER = 43\n"
    assert [p.name for p in cache.iterdir()] == [second.parent.name]  # old one gone


def test_a_project_outside_the_src_layout_gets_a_fresh_wheel_each_time(tmp_path):
    assert wheel_sources_hash(tmp_path) is None


def linked(markdown: str) -> str:
    """Stands for the links' resolution: a change to the prose."""
    return markdown.replace("A sample page", "A linked page")


def test_a_notebook_is_made_again_only_when_what_it_is_made_of_changes(
    tmp_path, monkeypatch
):
    shutil.copytree(PAGES, tmp_path / "pages")
    page = tmp_path / "pages" / "sample.md"
    expected = nbformat.writes(
        with_set_up(page_to_notebook(read_page(page), linked), URL, "%pip install x")
    )
    made = NotebookCache(tmp_path / "cache")
    assert made.notebook(page, "%pip install x", linked, URL) == expected
    # A new build finds it without reading the page.
    monkeypatch.setattr(mkdocs_plugin, "read_page", None)
    again = NotebookCache(tmp_path / "cache")
    assert again.notebook(page, "%pip install x", linked, URL) == expected
    monkeypatch.undo()
    changes = [
        lambda: made.notebook(page, "%pip install y", linked, URL),
        lambda: made.notebook(page, "%pip install x", str, URL),
    ]
    for change in changes:
        assert change() != expected
    figure = tmp_path / "pages" / "figures" / "sample-1.svg"
    figure.write_text(figure.read_text().replace("<svg ", "<svg id='new' ", 1))
    assert made.notebook(page, "%pip install x", linked, URL) != expected


def test_a_build_forgets_the_notebooks_it_did_not_make(tmp_path):
    shutil.copytree(PAGES, tmp_path / "pages")
    page = tmp_path / "pages" / "sample.md"
    NotebookCache(tmp_path / "cache").notebook(page, "%pip install x", str, URL)
    later = NotebookCache(tmp_path / "cache")
    later.notebook(page, "%pip install y", str, URL)
    assert len(list((tmp_path / "cache").glob("*.ipynb"))) == 2
    later.evict()
    assert len(list((tmp_path / "cache").glob("*.ipynb"))) == 1


def test_a_page_read_for_its_notebook_leaves_the_figures_undescribed():
    described = read_page(PAGES / "sample.md")
    plain = read_page(PAGES / "sample.md", describe=False)
    figures = [f for block in described.blocks for f in block.figures]
    unread = [f for block in plain.blocks for f in block.figures]
    assert [(f.alt, f.path) for f in unread] == [(f.alt, f.path) for f in figures]
    assert any(f.description for f in figures)
    assert all(f.description is None for f in unread)


def test_the_site_build_does_not_load_matplotlib_or_numpy():
    """They take a second to import, and the build draws nothing."""
    code = "import json, sys, pagecheck.mkdocs_plugin\n"
    code += "print(json.dumps(list(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = {name.partition(".")[0] for name in json.loads(done.stdout)}
    assert loaded.isdisjoint({"matplotlib", "PIL", "numpy"})
