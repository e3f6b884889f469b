"""Each question's "Download as notebook" file holds its page's blocks and shown
outputs after a set-up cell, and one question and the walkthrough run end to end
where lessoncode is not installed, on the second environment's Python and PyTorch.

Running every notebook again would only repeat the page check: that check runs the
same blocks in order in one fresh interpreter, in an empty folder, with a notebook's
semantics (one namespace; a block may not end in an expression a notebook would
show). So a notebook whose code cells are the page's blocks and whose outputs are the
page's shown outputs needs no second run; one real run checks what the page check
cannot: the set-up cell's install from the site, and a Jupyter kernel.
"""

import base64
import json
import os
import re
import socket
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import DOCS, ROOT
from pagecheck import (
    diff,
    find_python,
    load_settings,
    outputs_match,
    python_for,
    read_notebook,
    read_page,
)

QUESTIONS = sorted((DOCS / "questions").glob("*.md"))
PAGES = [*QUESTIONS, DOCS / "questionnaire.md"]  # each offered as a notebook
SITE_URL = "https://lessoncode.github.io/lessoncode/"
# A quick question page that draws a figure, and the walkthrough.
END_TO_END = [
    DOCS / "questions" / "negative-predictions.md",
    DOCS / "walkthrough.ipynb",
]
SET_UP = re.compile(
    rf'^pip_install\("{SITE_URL}downloads/lessoncode-\S+\.whl"\)$', re.M
)


def code_cells(path: Path) -> list:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def shown_figures(block) -> list[Path]:
    """The figure files a reader sees in light mode under a block."""
    files = [f.path.partition("#") for f in block.figures]
    return [Path(name) for name, _, fragment in files if fragment != "only-dark"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_the_downloaded_notebook_holds_the_page_and_its_outputs(site, page):
    install, *cells = code_cells(site / page.relative_to(DOCS).with_suffix(".ipynb"))
    assert SET_UP.search(install.source), install.source
    blocks = read_page(page).blocks
    assert [cell.source for cell in cells] == [b.source.rstrip("\n") for b in blocks]
    for cell, block in zip(cells, blocks, strict=True):
        streams = [o for o in cell.outputs if o.output_type == "stream"]
        assert "".join(o.text for o in streams) == (block.output or "")
        figures = [o.data for o in cell.outputs if o.output_type == "display_data"]
        assert len(figures) + len(streams) == len(cell.outputs)
        shown = shown_figures(block)
        assert len(figures) == len(shown), f"{page.name}:{block.line}"
        for data, name in zip(figures, shown, strict=True):
            raw = (page.parent / name).read_bytes()
            if name.suffix == ".svg":
                assert data["image/svg+xml"] == raw.decode(), name
            else:
                assert data["image/png"] == base64.b64encode(raw).decode(), name


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_the_downloaded_notebook_prose_is_plain_markdown(site, page):
    path = site / page.relative_to(DOCS).with_suffix(".ipynb")
    notebook = nbformat.read(path, as_version=4)
    prose = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert not re.search(r"^\s*(!!!|\?\?\?|===)", prose, flags=re.MULTILINE)
    assert ("> **The question**" in prose) == (page in QUESTIONS)
    assert not re.search(r"\]\[[\w.]*\]", prose), "an API reference left unresolved"
    references = re.findall(r"\]\[(lessoncode\.[\w.]+)\]", page.read_text())
    api = (site / "api" / "index.html").read_text()
    linked = re.findall(rf"\]\({SITE_URL}api/#(lessoncode\.[\w.]+)\)", prose)
    assert linked == references
    assert all(f'id="{name}"' in api for name in linked)


def fresh_venv(folder: Path) -> Path:
    """A venv of the second environment's Python, without lessoncode, that sees the
    packages of that environment's venv (its PyTorch, ipykernel, pip), offline."""
    (environment,) = [env for env in load_settings(ROOT).environments if env.python]
    assert environment.python is not None
    base = find_python(environment.python)
    if base is None and not os.environ.get("CI"):
        pytest.skip(f"no python{environment.python} here (in CI this fails)")
    assert base, f"python{environment.python} is needed"
    made = Path(python_for(environment))  # its venv in the cache, made if need be
    subprocess.run([base, "-m", "venv", "--without-pip", folder], check=True)
    python = folder / "bin" / "python"
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    site_packages = [
        subprocess.run(
            [p, "-c", where], capture_output=True, text=True, check=True
        ).stdout.strip()
        for p in (python, made)
    ]
    (Path(site_packages[0]) / "shared.pth").write_text(f"{site_packages[1]}\n")
    kernel = folder / "share" / "jupyter" / "kernels" / "fresh"
    kernel.mkdir(parents=True)
    spec = {
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "fresh venv",
        "language": "python",
        # offline, nothing extra, figures shown inline whatever the caller set
        "env": {
            "PIP_NO_INDEX": "1",
            "PYTHONPATH": "",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        },
    }
    (kernel / "kernel.json").write_text(json.dumps(spec))
    return python


# `mkdocs build --strict`, with the site's address given: sys.argv[1].
BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config

build(load_config("mkdocs.yml", site_url=sys.argv[1], site_dir=sys.argv[2]))
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The site built for, and served at, a local address; yields that address."""
    tmp_path = tmp_path_factory.mktemp("served")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    out = tmp_path / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run(
        [sys.executable, "-c", BUILD, url, str(out)],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), partial(Quiet, directory=out))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url, out
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("page", END_TO_END, ids=lambda p: p.name)
def test_a_downloaded_notebook_runs_where_lessoncode_is_not_installed(
    served, tmp_path, monkeypatch, page
):
    url, out = served
    python = fresh_venv(tmp_path / "venv")
    missing = "import importlib.util as u; print(u.find_spec('lessoncode'))"
    found = subprocess.run(
        [python, "-c", missing], check=False, capture_output=True, text=True
    )
    assert found.stdout.strip() == "None", found
    name = page.relative_to(DOCS).with_suffix(".ipynb")
    notebook = nbformat.read(out / name, 4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    folder = tmp_path / "empty"
    folder.mkdir()
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "venv" / "share" / "jupyter"))
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="fresh",
        resources={"metadata": {"path": str(folder)}},
    ).execute()
    install, *cells = [c for c in notebook.cells if c.cell_type == "code"]
    assert f'pip_install("{url}downloads/' in install.source
    versions = "".join(o.get("text", "") for o in install.outputs)
    assert re.search(r"^torch +2\.14\.\d\S* +2\.13\.0\S* and 2\.14", versions, re.M), (
        versions
    )
    where = "import lessoncode; print(lessoncode.__file__)"
    done = subprocess.run(
        [python, "-c", where], check=False, capture_output=True, text=True
    )
    assert done.stdout.startswith(str(tmp_path / "venv" / "lib")), done
    blocks = (read_notebook if page.suffix == ".ipynb" else read_page)(page).blocks
    assert len(cells) == len(blocks)
    for cell, block in zip(cells, blocks, strict=True):
        streams = [o for o in cell.outputs if o.output_type == "stream"]
        assert [o.name for o in streams if o.name != "stdout"] == [], block.line
        printed = "".join(o.text for o in streams)
        place = f"{page.name}:{block.cell or block.line}"
        assert outputs_match(block.output, printed), diff(block.output, printed, place)
        images = [o for o in cell.outputs if o.output_type == "display_data"]
        assert len(images) == len(
            block.figures if page.suffix == ".ipynb" else shown_figures(block)
        ), place
        assert len(cell.outputs) == len(streams) + len(images), cell.outputs
