"""The MkDocs plugin turns a page into a notebook (plain Markdown, shown figures) and
serves it beside the page, behind a button under its title."""

import base64
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from jinja2 import Environment
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import PluginCollection
from mkdocs.structure.files import File, Files, get_files
from mkdocs.structure.pages import Page as MkDocsPage

from pagecheck import markdown, wheel
from pagecheck.config import Settings
from pagecheck.containers import markdown_lines
from pagecheck.downloads import NotebookCache, verified, with_set_up
from pagecheck.environment import Environment as ExtraEnvironment
from pagecheck.markdown import page_to_notebook, read_page
from pagecheck.page import Block, Figure, Page
from pagecheck.wheel import build_wheel, cached_wheel, wheel_sources_hash


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
    other = ExtraEnvironment(python="3.12", requirements=["torch==2.14.1", "pandas==3"])
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

    monkeypatch.setattr(wheel, "build_wheel", counted)
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
    with zipfile.ZipFile(second) as built:
        assert built.read("tiny/__init__.py") == b"ANSWER = 43\n"
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
    monkeypatch.setattr(markdown, "read_page", None)
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


def test_a_notebook_found_in_the_cache_needs_neither_nbformat_nor_markdown_it(
    tmp_path,
):
    shutil.copytree(PAGES, tmp_path / "pages")
    page = tmp_path / "pages" / "sample.md"
    NotebookCache(tmp_path / "cache").notebook(page, "%pip install x", str, URL)
    again = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pagecheck.downloads import NotebookCache\n"
        f"cache = NotebookCache(Path({str(tmp_path / 'cache')!r}))\n"
        f"cache.notebook(Path({str(page)!r}), '%pip install x', str, {URL!r})\n"
        "print(sorted({'nbformat', 'markdown_it'} & set(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", again], capture_output=True, text=True)
    assert done.stdout == "[]\n", done.stderr


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


def site(tmp_path: Path, **options) -> tuple[PluginCollection, MkDocsConfig, Files]:
    """The sample page and notebook in a site, after the plugins' on_files."""
    docs = tmp_path / "docs"
    shutil.copytree(PAGES / "figures", docs / "figures")
    title = "# A sample page for the tests of pagecheck\n"
    (docs / "sample.md").write_text(
        (PAGES / "sample.md")
        .read_text()
        .replace(title, title + "\nSee [the other page](other.md).\n")
    )
    (docs / "nb").mkdir()
    shutil.copy(PAGES / "sample.ipynb", docs / "nb" / "walk.ipynb")
    (docs / "other.md").write_text("# Other\n")
    config = configured(tmp_path, pages=["sample.md", "nb/*"], **options)
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    return config.plugins, config, files


def configured(tmp_path: Path, site_url: str | None = URL, **options) -> MkDocsConfig:
    """A site's settings, with the plugin's `options`."""
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text("site_name: Sample\n")
    return load_config(
        str(tmp_path / "mkdocs.yml"),
        site_url=site_url,
        plugins=[{"pagecheck": options}],
    )


def test_the_plugin_needs_a_site_url_and_a_wheel_for_its_install_cell(tmp_path):
    config = configured(tmp_path, site_url=None)
    with pytest.raises(PluginError, match="set site_url"):
        config.plugins.on_config(config)
    config = configured(tmp_path, install="%pip install {wheel}")
    with pytest.raises(PluginError, match="set wheel"):
        config.plugins.on_config(config)


def served(files: Files, uri: str) -> File:
    """The file that the site serves at `uri`."""
    file = files.get_file_from_path(uri)
    assert file is not None
    return file


def content(files: Files, uri: str) -> nbformat.NotebookNode:
    """The notebook that the site serves at `uri`."""
    return nbformat.reads(served(files, uri).content_string, as_version=4)


def test_each_chosen_page_gets_a_notebook_and_a_button_under_its_title(tmp_path):
    plugins, config, files = site(tmp_path, colab="https://colab.example/")
    uris = {file.src_uri for file in files if file.src_uri.endswith(".ipynb")}
    assert uris == {"sample.ipynb", "nb/walk.ipynb"}

    def shown(markdown: str, uri: str) -> str:
        page = MkDocsPage(None, served(files, uri), config)
        return plugins.on_page_markdown(markdown, page=page, config=config, files=files)

    assert shown("# Sample\n\nText", "sample.md") == (
        "# Sample\n\n"
        '<a class="md-button" href="../sample.ipynb" download="sample.ipynb">'
        "Download as notebook</a> "
        '<a class="md-button" href="https://colab.example/sample.ipynb">'
        "Open in Colab</a>\n\nText"
    )
    assert shown("# Other\n", "other.md") == "# Other\n"
    with pytest.raises(PluginError, match="sample.md has no '# ' title"):
        shown("Text", "sample.md")


def test_the_notebooks_are_written_once_the_pages_are_known(tmp_path):
    plugins, config, files = site(tmp_path, install="# verified: {verified}")
    stale = tmp_path / ".cache" / "pagecheck" / "notebooks" / "stale.ipynb"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")
    env = Environment()
    assert plugins.on_env(env, config=config, files=files) is env
    head, install, *cells = content(files, "sample.ipynb").cells
    assert head.source.startswith("This notebook is the page [A sample page for ")
    assert install.source == "# verified: {'Python': ['3.11.7'], 'pytest': ['9.2.0']}"
    assert f"[the other page]({URL}other/)" in cells[0].source
    walk = content(files, "nb/walk.ipynb").cells
    assert [cell.id for cell in walk[:2]] == ["source-page", "set-up"]
    assert walk[2:] == nbformat.read(PAGES / "sample.ipynb", as_version=4).cells
    plugins.on_post_build(config=config)
    assert not stale.exists() and len(list(stale.parent.glob("*.ipynb"))) == 2
