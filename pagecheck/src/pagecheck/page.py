"""A page as pagecheck reads it, in any format: its Python blocks, the outputs and
figures shown under them, and its provenance."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pagecheck.dark import dark_path

if TYPE_CHECKING:
    from pagecheck.result import RenderedFigure

OUTPUT_INFO = 'text title="Output"'
FIGURE_DIR = "figures"
DARK_KEY = "pagecheck-dark"  # output metadata: the figure's dark variant, as SVG
# A figure written by the update command, as a page shows it: alt text, file, scheme.
IMAGE = re.compile(
    r"!\[([^\]]*)\]\((" + FIGURE_DIR + r"/[^)\s#]+\.(?:svg|png))"
    r"(#only-(?:light|dark))?\)"
)
LIGHT, DARK = "#only-light", "#only-dark"


@dataclass
class Figure:
    """A figure image shown under a block: its alt text, target and stored text.

    A figure shows as two images, `NAME.svg#only-light` and `NAME-dark.svg#only-dark`;
    the light one's description covers both files (see `pagecheck.canonical`).
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

    def figure_names(self, figure: RenderedFigure) -> list[str | None]:
        """How the page shows a figure a fresh run drew: a light and a dark image."""
        light = Path(figure.name)
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
