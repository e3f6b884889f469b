"""Read a Markdown page: its Python blocks, the outputs shown under them, its provenance."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt

from pagecheck.figures import read_description

OUTPUT_INFO = 'text title="Output"'
PROVENANCE_HEAD = '??? info "Provenance"'
FIGURE_DIR = "figures"
PYTHON = ("py", "python", "python3")
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
    out, openers, bodies = [], set(), []
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

    def parse(self, src, env=None):
        return super().parse(flatten_containers(src)[0], env)


@dataclass
class Figure:
    """A figure image shown under a block: its alt text, target and stored text.

    A figure shows as two images, `NAME.svg#only-light` and `NAME-dark.svg#only-dark`;
    the light one's description covers both files (see `pagecheck.figures`).
    """

    alt: str
    path: str
    description: str | None
    line: int | None = None  # 1-based line of the image on the page

    @property
    def file(self) -> str:
        """The image's file, relative to the page's folder."""
        return self.path.partition("#")[0]


@dataclass
class Block:
    """One Python block of a page and the output region under it."""

    start: int  # line index of the opening fence
    end: int  # line index after the closing fence
    indent: str
    source: str
    output: str | None = None
    output_line: int | None = None
    figures: list[Figure] = field(default_factory=list)
    region_end: int = 0

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
        """A place on the page as `path:line`, the path relative to the working folder."""
        return f"{os.path.relpath(self.path)}:{line}"

    def code(self, block: Block) -> tuple[str, str]:
        """A block's file name and source, padded so tracebacks give page lines."""
        return str(self.path), "\n" * (block.start + 1) + block.source


def read_page(path: Path) -> Page:
    """Parse a page into its Python blocks with their shown outputs and figures."""
    text = path.read_text(encoding="utf8")
    flat, openers = flatten_containers(text)
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
        if token.type == "fence" and info.split(" ")[0].strip("{.}") in PYTHON:
            indent = lines[start][: len(lines[start]) - len(lines[start].lstrip(" "))]
            current = Block(start, end, indent, token.content, region_end=end)
            blocks.append(current)
            continue
        if current is not None and _continues_region(current, start, lines, openers):
            if token.type == "fence" and info == OUTPUT_INFO and current.output is None:
                current.output, current.output_line = token.content, start + 1
                current.region_end = end
                continue
            if token.type == "paragraph_open":
                images = _figure_lines(lines[start:end], start, path.parent)
                if images is not None:
                    current.figures += images
                    current.region_end = end
                    continue
        current = None
    text = "\n".join(lines[provenance:]) if provenance is not None else None
    return Page(path, lines, blocks, provenance, text)


def _continues_region(block: Block, start: int, lines: list[str], openers) -> bool:
    between = range(block.region_end, start)
    return (
        lines[start].startswith(block.indent)
        and not lines[start][len(block.indent) :].startswith(" ")
        and all(not lines[n].strip() and n not in openers for n in between)
    )


def _figure_lines(lines: list[str], start: int, folder: Path) -> list[Figure] | None:
    """The figure images if every line is one, else None."""
    found = []
    for number, line in enumerate(lines, start=start + 1):
        match = IMAGE.fullmatch(line.strip())
        if match is None:
            return None
        dark = match[3] == DARK
        description = None if dark else read_description(folder / match[2])
        target = match[2] + (match[3] or "")
        found.append(Figure(match[1], target, description, number))
    return found
