"""pytest plugin: run each page's Python blocks once, in order, and check what they show.

It builds on pytest-markdown-docs, which collects one test per Python fence: it gives
that plugin a parser that also sees fences inside admonitions and content tabs, and a
default runner that sends each block to one fresh interpreter per page
(`pagecheck.worker`) instead of running it alone. Notebooks in the docs, which that
plugin does not read, are collected here and checked cell by cell the same way. With
`--update-outputs`, the pages and notebooks that ran are rewritten from the run
instead of failing on a difference.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from pytest_markdown_docs._runners import _Runner, register_runner

from pagecheck.check import differences
from pagecheck.notebook import read_notebook, update_notebook
from pagecheck.page import Page, PageParser, read_page
from pagecheck.update import UPDATE_COMMAND, update_page

_config: pytest.Config | None = None
_runs: dict[Path, PageRun] = {}


class PageFailure(Exception):
    """A block that raised, or a page that no longer shows what its code prints."""


class PageRun:
    """One page's fresh interpreter and the results of the blocks it has run."""

    def __init__(self, path: Path, save_figures: bool) -> None:
        self.path = path
        notebook = path.suffix == ".ipynb"
        self.page: Page = read_notebook(path) if notebook else read_page(path)
        self.results: list[dict] = []
        self.failed_line: int | None = None
        self.save_figures = save_figures
        self.folder = tempfile.TemporaryDirectory(prefix="pagecheck-")
        empty, figures = Path(self.folder.name, "cwd"), Path(self.folder.name, "fig")
        empty.mkdir(), figures.mkdir()
        env = dict(os.environ, MPLBACKEND="module://pagecheck.backend")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pagecheck.worker", str(figures)],
            cwd=empty, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True,
        )

    def run_next(self) -> dict:
        """Send the next block to the interpreter and wait for what it shows."""
        block = self.page.blocks[len(self.results)]
        filename, source = self.page.code(block)
        request = {
            "source": source,
            "filename": filename,
            "stem": self.page.path.stem,
            "first_figure": 1 + sum(len(r["figures"]) for r in self.results),
            "save_figures": self.save_figures,
        }
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        reply = self.process.stdout.readline()
        result = json.loads(reply) if reply else {"error": "the interpreter died"}
        self.results.append(result)
        if result["error"]:
            self.failed_line = block.line
        return result

    def stop(self) -> None:
        """Stop the interpreter; its folders stay until the session ends."""
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=60)
        self.process.stdout.close()


def _problems(run: PageRun, index: int) -> list[str]:
    page = run.page
    problems = differences(page, index, run.results[index])
    if index == len(page.blocks) - 1 and page.provenance is None:
        problems.append(f"{page.where(len(page.lines))}: no provenance block")
    return problems


def run_block(path: Path, index: int) -> None:
    """Run a page's block `index` (and any before it not yet run) and check it."""
    if path not in _runs:
        for run in _runs.values():
            run.stop()
        _runs[path] = PageRun(path, save_figures=_updating())
    run = _runs[path]
    if index < len(run.results):
        pytest.skip("this block already ran in this session")
    while run.failed_line is None and len(run.results) < index:
        run.run_next()
    if run.failed_line is not None:
        pytest.skip(f"an earlier block failed at {run.page.where(run.failed_line)}")
    result = run.run_next()
    if result["error"]:
        where = run.page.where(run.page.blocks[index].line)
        raise PageFailure(f"{where}: this block fails\n{result['error']}")
    problems = _problems(run, index)
    if problems and not _updating():
        problems.append(f"To rewrite the outputs from a fresh run: {UPDATE_COMMAND}")
        raise PageFailure("\n\n".join(problems))


@register_runner(default=True)
class PageRunner(_Runner):
    """Runs a page's blocks in one interpreter and compares what they show."""

    def runtest(self, test, args, **kwargs) -> None:
        path = Path(test.source_path)
        starts = [block.start + 1 for block in _page_blocks(path)]
        run_block(path, starts.index(test.start_line))

    def repr_failure(self, test, excinfo, style=None) -> str:
        if isinstance(excinfo.value, PageFailure):
            return str(excinfo.value)
        return str(excinfo.getrepr(style=style))


def _page_blocks(path: Path) -> list:
    return _runs[path].page.blocks if path in _runs else read_page(path).blocks


class NotebookCell(pytest.Item):
    """One code cell of a notebook whose outputs are stored in it."""

    def __init__(self, *, index: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.index = index

    def runtest(self) -> None:
        run_block(self.path, self.index)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, PageFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, self.name


class NotebookFile(pytest.File):
    """A notebook in the docs, checked cell by cell like a page."""

    def collect(self):
        for index, block in enumerate(read_notebook(self.path).blocks):
            yield NotebookCell.from_parent(self, name=f"cell {block.line}", index=index)


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix == ".ipynb" and parent.config.getoption("markdowndocs"):
        return NotebookFile.from_parent(parent, path=file_path)
    return None


def _updating() -> bool:
    return bool(_config and _config.getoption("update_outputs"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("pagecheck").addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite the outputs, figures and provenance of the pages that ran",
    )


def pytest_configure(config: pytest.Config) -> None:
    global _config
    _config = config


@pytest.hookimpl(tryfirst=True)
def pytest_markdown_docs_markdown_it() -> PageParser:
    return PageParser()


def pytest_sessionfinish(session: pytest.Session) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")

    def say(message: str) -> None:
        reporter.ensure_newline()
        reporter.write_line(message)

    for path, run in list(_runs.items()):
        run.stop()
        complete = len(run.results) == len(run.page.blocks)
        if _updating() and complete and run.failed_line is None:
            update = update_notebook if run.path.suffix == ".ipynb" else update_page
            if update(run.page, run.results, session.config.rootpath):
                say(f"rewrote {os.path.relpath(path)}")
        elif _updating():
            say(f"not rewritten, a block failed or did not run: {os.path.relpath(path)}")
        run.folder.cleanup()
    _runs.clear()
