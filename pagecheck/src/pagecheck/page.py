"""Read a Markdown page: its Python blocks, their shown outputs, its provenance."""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from pagecheck.compare import parse_tolerance
from pagecheck.figures import dark_path, read_description

OUTPUT_INFO = 'text title="Output"'
OUTPUT_TITLE = re.compile(r'text title="Output(?: \(each number ±[^")]+\))?"')
PROVENANCE_HEAD = '??? info "Provenance"'
FIGURE_DIR = "figures"
PYTHON = ("py", "python", "python3")
# pytest-markdown-docs' fence options that change how blocks run; pagecheck runs all
# of a page's blocks in one interpreter, so `continuation` holds for every block.
SKIPPED, CONTINUED, REFUSED = (
    "notest",
    "continuation",
    ("fixture:", "runner:", "retry:"),
)
# Admonitions (!!!, ???, ???+) and content tabs (===, ===+, ===!) of pymdown/Material.
CONTAINER = re.compile(r"(!!!|\?\?\?\+?|===[+!]?)\s")
# A figure image, shown in light or dark mode only (Material's URL fragments).
IMAGE = re.compile(
    r"!\[([^\]]*)\]\((" + FIGURE_DIR + r"/[^)\s#]+\.(?:svg|png))"
    r"(#only-(?:light|dark))?\)"
)
LIGHT, DARK = "#only-light", "#only-dark"


def flatten_containers(text: str, titles: bool = False) -> tuple[str, set[int]]:
    """Dedent admonition and tab bodies so the fences in them parse as fences.

    Returns the text, with the same line numbers, and the numbers of the opener
    lines, which become blank, or with `titles` their titles in bold.
    """
    out: list[str] = []
    openers: set[int] = set()
    bodies: list[int] = []
    for number, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" ")
        if stripped:
            while bodies and len(line) - len(stripped) < bodies[-1]:
                bodies.pop()
        base = bodies[-1] if bodies else 0
        if stripped and len(line) - len(stripped) == base and CONTAINER.match(stripped):
            openers.add(number)
            bodies.append(base + 4)
            title = stripped.partition(" ")[2].strip().strip('"')
            out.append(f"**{title}**" if titles and title else "")
        else:
            out.append(line[base:] if stripped else "")
    return "\n".join(out), openers


class PageParser(MarkdownIt):
    """CommonMark that also sees the fences inside admonitions and content tabs."""

    def __init__(self) -> None:
        super().__init__("commonmark")

    def parse(
        self, src: str, env: MutableMapping[str, Any] | None = None
    ) -> list[Token]:
        return super().parse(flatten_containers(src)[0], env)


@dataclass
class FenceInfo:
    """A fence's language and options, in the plain or the `{.lang ...}` form."""

    language: str
    options: dict[str, str]

    @classmethod
    def parse(cls, info: str) -> FenceInfo:
        """Read `python notest` or `{.python notest data-timeout="900"}`."""
        info = info.strip()
        try:
            words = shlex.split(info.strip("{}"))
        except ValueError:  # unbalanced quotes: not ours to judge
            words = info.strip("{}").split()
        language = next((w for w in words if w.startswith(".")), None) or (
            words[0] if words else ""
        )
        options = {}
        for word in words:
            if word != language:
                key, _, value = word.partition("=")
                options[key] = value
        return cls(language.removeprefix("."), options)


@dataclass
class Figure:
    """A figure image shown under a block: its alt text, target and stored text.

    A figure shows as two images, `NAME.svg#only-light` and `NAME-dark.svg#only-dark`;
    the light one's description covers both files (see `pagecheck.figures`).
    """

    alt: str
    path: str | None  # None where the figure is embedded, as in a notebook
    description: str | None
    line: int | None = None  # 1-based line of the image on the page

    @property
    def file(self) -> str:
        """The image's file, relative to the page's folder."""
        return (self.path or "").partition("#")[0]


@dataclass
class Block:
    """One Python block of a page and the output region under it."""

    start: int  # line index of the opening fence
    end: int  # line index after the closing fence
    indent: str
    source: str
    timeout: float | None = None  # seconds, from the fence's data-timeout
    tolerance: str | None = None  # a wider one for its output, from data-tolerance
    output: str | None = None
    output_info: str | None = None  # the Output fence's info string
    output_line: int | None = None
    figures: list[Figure] = field(default_factory=list)
    region_end: int = 0
    cell: int | None = None  # the cell's number, in a notebook

    @property
    def line(self) -> int:
        """The 1-based line of the opening fence, as an editor shows it."""
        return self.start + 1


@dataclass
class Page:
    """A page's lines, Python blocks and provenance."""

    path: Path
    lines: list[str]
    blocks: list[Block]
    provenance_start: int | None
    provenance: str | None

    def where(self, line: int) -> str:
        """A place on the page as `path:line`, relative to the working folder."""
        return f"{os.path.relpath(self.path)}:{line}"

    def where_block(self, block: Block) -> str:
        """Where a block starts."""
        return self.where(block.line)

    def where_output(self, block: Block) -> str:
        """Where a block's output is shown, or would be."""
        return self.where(block.output_line or block.end)

    def where_figures(self, block: Block) -> str:
        """Where a block's figures are shown, or would be."""
        return self.where(block.end)

    def where_end(self) -> str:
        """Where the provenance is, or would be."""
        start = self.provenance_start
        return self.where(len(self.lines) if start is None else start + 1)

    def figure_names(self, figure: dict[str, str]) -> list[str | None]:
        """How the page shows a figure a fresh run drew: a light and a dark image."""
        light = Path(figure["path"])
        return [
            f"{FIGURE_DIR}/{light.name}{LIGHT}",
            f"{FIGURE_DIR}/{dark_path(light).name}{DARK}",
        ]

    def code(self, block: Block) -> tuple[str, str]:
        """A block's file name and source, padded so tracebacks give page lines."""
        return str(self.path), "\n" * (block.start + 1) + block.source


def output_info(tolerance: str | None) -> str:
    """The info string of the Output box, stating a block's wider tolerance if any."""
    return (
        OUTPUT_INFO
        if tolerance is None
        else f'text title="Output (each number ±{tolerance})"'
    )


def _python_block(
    path: Path, start: int, end: int, lines: list[str], token: Token
) -> Block:
    """A Python block to run, its options read and checked."""
    fence = FenceInfo.parse(token.info)
    where = f"{os.path.relpath(path)}:{start + 1}"
    for option in fence.options:
        if option.startswith(REFUSED):
            raise ValueError(
                f"{where}: pagecheck does not support the fence option {option!r}: "
                "all of a page's blocks run in order in one fresh interpreter"
            )
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip(" "))]
    block = Block(start, end, indent, token.content, region_end=end)
    if "data-timeout" in fence.options:
        try:
            block.timeout = float(fence.options["data-timeout"])
        except ValueError:
            message = f'{where}: data-timeout must be seconds, as in "900"'
            raise ValueError(message) from None
    if "data-tolerance" in fence.options:
        block.tolerance = fence.options["data-tolerance"]
        try:
            parse_tolerance(block.tolerance)
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None
    return block


def read_page(path: Path, describe: bool = True) -> Page:
    """Parse a page into its Python blocks with their shown outputs and figures.

    Without `describe`, the figures' descriptions (for comparing them) are not read.
    """
    text = path.read_text(encoding="utf8")
    openers = flatten_containers(text)[1]
    lines = text.split("\n")
    tokens = PageParser().parse(text)
    provenance = next(
        (n for n, line in enumerate(lines) if line.startswith(PROVENANCE_HEAD)), None
    )
    blocks: list[Block] = []
    current: Block | None = None
    for token in tokens:
        if token.map is None or token.type.endswith("_close"):
            continue
        start, end = token.map
        info = token.info.strip()
        if token.type == "fence" and FenceInfo.parse(info).language in PYTHON:
            if SKIPPED in FenceInfo.parse(info).options:
                current = None  # not run, so what follows it is left as it is
                continue
            current = _python_block(path, start, end, lines, token)
            blocks.append(current)
            continue
        if current is not None and _continues_region(current, start, lines, openers):
            output = OUTPUT_TITLE.fullmatch(info)
            if token.type == "fence" and output and current.output is None:
                current.output, current.output_line = token.content, start + 1
                current.output_info = info
                current.region_end = end
                continue
            if token.type == "paragraph_open":
                folder = path.parent if describe else None
                images = _figure_lines(lines[start:end], start, folder)
                if images is not None:
                    current.figures += images
                    current.region_end = end
                    continue
        current = None
    shown = "\n".join(lines[provenance:]) if provenance is not None else None
    return Page(path, lines, blocks, provenance, shown)


def _continues_region(
    block: Block, start: int, lines: list[str], openers: set[int]
) -> bool:
    between = range(block.region_end, start)
    return (
        lines[start].startswith(block.indent)
        and not lines[start][len(block.indent) :].startswith(" ")
        and all(not lines[n].strip() and n not in openers for n in between)
    )


def _figure_lines(
    lines: list[str], start: int, folder: Path | None
) -> list[Figure] | None:
    """The figure images if every line is one, else None; described if the folder
    of their files is given."""
    found = []
    for number, line in enumerate(lines, start=start + 1):
        match = IMAGE.fullmatch(line.strip())
        if match is None:
            return None
        dark = match[3] == DARK
        description = (
            None if dark or folder is None else read_description(folder / match[2])
        )
        target = match[2] + (match[3] or "")
        found.append(Figure(match[1], target, description, number))
    return found
