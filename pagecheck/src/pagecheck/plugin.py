"""pytest plugin: run each page's Python blocks once, in order; check what they show.

Each Markdown page (`.md`) and notebook (`.ipynb`) under the paths pytest collects is
one file of tests, one test per Python block or code cell, read by `pagecheck.page`
(fences inside admonitions and content tabs included; pytest-markdown-docs' fence
options are honoured) or `pagecheck.notebook`. A test sends its block to the page's
one fresh interpreter (`pagecheck.interpreter`). pytest owns that interpreter: it
starts when the page's first block runs and stops when pytest tears the page down,
so tests may run in any order. Every page runs once more in each extra environment
of `[tool.pagecheck]`. With `--update-outputs`, the pages and
notebooks that ran are rewritten from the run instead of failing on a difference.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pagecheck.check import differences
from pagecheck.config import Settings, load
from pagecheck.environment import Environment, Unavailable, interpreter, variables
from pagecheck.interpreter import Interpreter
from pagecheck.notebook import read_notebook, update_notebook
from pagecheck.page import Page, read_page
from pagecheck.result import BlockResult
from pagecheck.update import stale_provenance, update_page

SETTINGS = pytest.StashKey[Settings]()
STATE = pytest.StashKey["PageState"]()
MESSAGES = pytest.StashKey[list[str]]()  # what the update did, not yet reported


@dataclass(frozen=True)
class Format:
    """How to read a kind of page's blocks and shown outputs, and write new ones."""

    read: Callable[[Path], Page]
    write: Callable[[Page, list[BlockResult], Settings, Path], bool]


FORMATS = {
    ".md": Format(read_page, update_page),
    ".ipynb": Format(read_notebook, update_notebook),
}


class PageFailure(Exception):
    """A block that raised, or a page that no longer shows what its code prints."""


class PageState:
    """A page's blocks under one environment, their results, and their interpreter."""

    def __init__(self, path: Path, environment: Environment | None, cfg: pytest.Config):
        self.format = FORMATS[path.suffix]
        self.page = self.format.read(path)
        self.environment = environment
        self.config = cfg
        self.settings = cfg.stash[SETTINGS]
        self.folder = Path(tempfile.mkdtemp(prefix="pagecheck-"))
        cfg.add_cleanup(lambda: shutil.rmtree(self.folder, ignore_errors=True))
        self.results: list[BlockResult] = []
        self.interpreter: Interpreter | None = None
        self.written = False

    def _request(self, index: int) -> dict[str, Any]:
        filename, source = self.page.code(self.page.blocks[index])
        earlier = sum(len(result.figures) for result in self.results[:index])
        return {
            "source": source,
            "filename": filename,
            "stem": self.page.path.stem,
            "first_figure": 1 + earlier,
            "save_figures": _updating(self.config),
        }

    def _run(self, index: int) -> BlockResult:
        assert self.interpreter is not None
        timeout = self.page.blocks[index].timeout or self.settings.timeout
        return self.interpreter.run(self._request(index), timeout)

    def _start(self) -> Interpreter:
        if self.environment is None:
            return Interpreter(self.folder, sys.executable, {})
        try:
            python = interpreter(self.environment)
        except Unavailable as error:
            if os.environ.get("CI"):
                raise PageFailure(str(error)) from None
            pytest.skip(f"{error} (in CI this fails)")
        env = variables(self.environment, self.config.rootpath, self.folder)
        return Interpreter(self.folder, python, env)

    def result(self, index: int, owner: pytest.Collector) -> BlockResult:
        """Block `index`'s result, running it and any blocks before it not yet run."""
        for earlier, result in enumerate(self.results[:index]):
            if result.error:
                where = self.page.where_block(self.page.blocks[earlier])
                pytest.skip(f"an earlier block failed at {where}")
        if index < len(self.results):
            return self.results[index]
        if self.interpreter is None:
            self.interpreter = self._start()
            owner.addfinalizer(self.stop)
        while self.interpreter.ran < len(self.results):  # restarted: restore state
            replay = self._run(self.interpreter.ran)
            if replay.error:
                where = self.page.where_block(self.page.blocks[self.interpreter.ran])
                raise PageFailure(
                    f"{where}: this block fails when run again\n{replay.error}"
                )
        while len(self.results) <= index:
            self.results.append(self._run(len(self.results)))
            if self.results[-1].error:
                break
        if len(self.results) <= index:
            where = self.page.where_block(self.page.blocks[len(self.results) - 1])
            pytest.skip(f"an earlier block failed at {where}")
        return self.results[index]

    def check(self, index: int, owner: pytest.Collector) -> None:
        """Run block `index` if need be and fail if it fails or its page is stale."""
        result = self.result(index, owner)
        page, settings = self.page, self.settings
        if result.error:
            where = page.where_block(page.blocks[index])
            label = _label(self.environment)
            raise PageFailure(f"{where}: this block fails{label}\n{result.error}")
        problems = differences(page, index, result, settings)
        if problems and not (_updating(self.config) and not self.environment):
            if self.environment:
                problems.insert(0, f"Under{_label(self.environment)}:")
            else:
                problems.append(
                    f"To rewrite it from a fresh run: {settings.update_command}"
                )
            raise PageFailure("\n\n".join(problems))

    def stop(self) -> None:
        """Stop the interpreter; when updating, rewrite the page once it all ran."""
        if self.interpreter is not None:
            self.interpreter.stop()
            self.interpreter = None
        complete = len(self.results) == len(self.page.blocks)
        if not _updating(self.config) or self.environment or self.written:
            return
        name = os.path.relpath(self.page.path)
        if complete and not any(result.error for result in self.results):
            self.written = True
            if self.format.write(
                self.page, self.results, self.settings, self.config.rootpath
            ):
                _say(self.config, f"rewrote {name}")
        elif any(result.error for result in self.results):
            _say(self.config, f"not rewritten, a block failed: {name}")


def _label(environment: Environment | None) -> str:
    return f" {environment.name}" if environment else ""


def _say(cfg: pytest.Config, message: str) -> None:
    cfg.stash[MESSAGES].append(message)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Carry what the update did in the report, which reaches xdist's controller."""
    report = yield
    if call.when == "teardown":
        report.user_properties += [
            ("pagecheck", m) for m in item.config.stash[MESSAGES]
        ]
        item.config.stash[MESSAGES].clear()
    return report


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for reports in terminalreporter.stats.values():
        for report in reports:
            for key, message in getattr(report, "user_properties", []):
                if key == "pagecheck":
                    terminalreporter.write_line(message)


def _updating(cfg: pytest.Config) -> bool:
    return bool(cfg.getoption("update_outputs"))


def _state(
    owner: pytest.Collector, path: Path, environment: Environment | None
) -> PageState:
    if STATE not in owner.stash:
        owner.stash[STATE] = PageState(path, environment, owner.config)
    return owner.stash[STATE]


class PageItem(pytest.Item):
    """A test of pagecheck's own, which reports a failing page as a plain message."""

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> Any:
        if isinstance(excinfo.value, PageFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, None, str]:
        return self.path, None, self.name


class BlockItem(PageItem):
    """One block of a page or cell of a notebook, run under one environment."""

    def __init__(
        self, *, index: int, environment: Environment | None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.index = index
        self.environment = environment

    def runtest(self) -> None:
        assert self.parent is not None
        _state(self.parent, self.path, self.environment).check(self.index, self.parent)


class Provenance(PageItem):
    """A page's provenance, which must hash what makes the page's outputs now."""

    def runtest(self) -> None:
        settings = self.config.stash[SETTINGS]
        page = FORMATS[self.path.suffix].read(self.path)
        stale = stale_provenance(page, settings, self.config.rootpath)
        if stale:
            command = settings.update_command
            raise PageFailure(
                f"{stale}\n\nTo run the code again and record it: {command}"
            )


def _blocks(
    collector: pytest.Collector, environment: Environment | None
) -> Iterator[BlockItem]:
    page = FORMATS[collector.path.suffix].read(collector.path)
    for index, block in enumerate(page.blocks):
        name = f"cell {block.cell}" if block.cell else f"line {block.line}"
        yield BlockItem.from_parent(
            collector, name=name, index=index, environment=environment
        )


class EnvironmentRun(pytest.Collector):
    """A page's blocks, run once more in an extra environment."""

    def __init__(self, *, environment: Environment, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.environment = environment

    def collect(self) -> Iterator[BlockItem]:
        return _blocks(self, self.environment)


class PageFile(pytest.File):
    """A page's blocks, its provenance, and its runs in the extra environments."""

    def collect(self) -> Iterator[pytest.Item | pytest.Collector]:
        yield from _blocks(self, None)
        if (
            _updating(self.config)
            or not FORMATS[self.path.suffix].read(self.path).blocks
        ):
            return  # the update writes what the plain run shows
        yield Provenance.from_parent(self, name="provenance")
        for environment in self.config.stash[SETTINGS].environments:
            yield EnvironmentRun.from_parent(
                self, name=environment.name, environment=environment
            )


def pytest_collect_file(
    file_path: Path, parent: pytest.Collector
) -> pytest.File | None:
    if file_path.suffix not in FORMATS:
        return None
    return PageFile.from_parent(parent, path=file_path)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("pagecheck").addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite the outputs, figures and provenance of the pages that ran",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[SETTINGS] = load(config.rootpath)
    config.stash[MESSAGES] = []
