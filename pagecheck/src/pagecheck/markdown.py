"""Markdown pages: read their Python blocks with the outputs and figures shown under
them, write those from a fresh run, and make a notebook of a page."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from pathlib import Path

import nbformat
from markdown_it import MarkdownIt
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from pagecheck.canonical import read_description
from pagecheck.compare import normalise, outputs_match
from pagecheck.config import Settings
from pagecheck.containers import flatten_containers, markdown_lines
from pagecheck.dark import dark_path
from pagecheck.fence import PYTHON, SKIPPED, FenceInfo, python_block
from pagecheck.notebook import METADATA, outputs
from pagecheck.page import DARK, FIGURE_DIR, IMAGE, Block, Figure, Page, output_info
from pagecheck.provenance import PROVENANCE_HEAD, is_current, provenance
from pagecheck.result import BlockResult

OUTPUT_TITLE = re.compile(r'text title="Output(?: \(each number ±[^")]+\))?"')
# A figure image, shown in light or dark mode only (Material's URL fragments).
MIME = {".png": "image/png", ".svg": "image/svg+xml"}


def read_page(path: Path, describe: bool = True) -> Page:
    """Parse a page into its Python blocks with their shown outputs and figures.

    Without `describe`, the figures' descriptions (for comparing them) are not read.
    """
    text = path.read_text(encoding="utf8")
    flat, openers = flatten_containers(text)  # so that boxed fences parse as fences
    lines = text.split("\n")
    tokens = MarkdownIt("commonmark").parse(flat)
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
            current = python_block(path, start, end, lines, token)
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


def _region(page: Page, block: Block, result: BlockResult) -> list[str]:
    pad = block.indent
    lines = []
    text = normalise(result.stdout)
    if text:
        body = [pad + line if line else "" for line in text.split("\n")]
        lines += ["", pad + "```" + output_info(block.tolerance), *body, pad + "```"]
    for figure in result.figures:
        light, dark = page.figure_names(figure)
        lines += ["", f"{pad}![{figure.alt}]({light})", f"{pad}![{figure.alt}]({dark})"]
    return lines


def _write_figures(page: Page, results: list[BlockResult]) -> None:
    folder = page.path.parent / FIGURE_DIR
    folder.mkdir(exist_ok=True)
    wanted = set()
    for result in results:
        for figure in result.figures:
            light, dark = folder / figure.name, dark_path(folder / figure.name)
            wanted |= {light.name, dark.name}
            if not outputs_match(read_description(light), figure.description):
                light.write_text(figure.light, encoding="utf8")
                dark.write_text(figure.dark, encoding="utf8")
    own = re.compile(re.escape(page.path.stem) + r"-\d+(-dark)?\.(png|svg)")
    for old in folder.iterdir():
        if own.fullmatch(old.name) and old.name not in wanted:
            old.unlink()


def update_page(
    page: Page, results: list[BlockResult], settings: Settings, root: Path
) -> bool:
    """Rewrite the page from a fresh run if it differs; return whether it did."""
    if is_current(page, results, settings, root):
        return False
    _write_figures(page, results)
    lines, position = [], 0
    for block, result in zip(page.blocks, results, strict=True):
        lines += page.lines[position : block.end] + _region(page, block, result)
        position = block.region_end
    lines += page.lines[position : page.provenance_start]
    while lines and not lines[-1].strip():
        lines.pop()
    lines += ["", *provenance(page, results, settings, root), ""]
    page.path.write_text("\n".join(lines), encoding="utf8")
    return True


def _prose(lines: list[str], links: Callable[[str], str]) -> str:
    """One Markdown cell's text, with dark-mode-only images left out."""
    kept = [line for line in lines if "#only-dark)" not in line]
    return links("\n".join(kept).strip("\n"))


def _figure(path: Path, alt: str) -> nbformat.NotebookNode:
    """A figure as a cell output, with the MIME type of its file."""
    mime = MIME.get(path.suffix)
    if mime is None:
        raise ValueError(f"a figure must be one of {sorted(MIME)}, not {path.name}")
    data = path.read_bytes()
    text = data.decode() if mime == MIME[".svg"] else base64.b64encode(data).decode()
    return nbformat.v4.new_output("display_data", data={mime: text, "text/plain": alt})


def page_to_notebook(
    page: Page, links: Callable[[str], str] = str
) -> nbformat.NotebookNode:
    """A notebook of a page's prose and code, with the outputs the page shows."""
    lines = markdown_lines(page.lines)
    cells = []
    position = 0
    for block in page.blocks:
        prose = _prose(lines[position : block.start], links)
        if prose:
            cells.append(new_markdown_cell(prose))
        shown = outputs(block.output, [])
        for figure in block.figures:
            if figure.path is None:
                raise ValueError(
                    f"{page.where(figure.line or block.line)}: a figure on a page "
                    f"needs its image's path, got none for {figure.alt!r}"
                )
            file, _, fragment = figure.path.partition("#")
            if fragment != "only-dark":
                shown.append(_figure(page.path.parent / file, figure.alt))
        cells.append(new_code_cell(block.source.rstrip("\n"), outputs=shown))
        position = block.region_end
    end = page.provenance_start or len(lines)
    prose = _prose(lines[position:end], links)
    if prose:
        cells.append(new_markdown_cell(prose))
    for number, cell in enumerate(cells, start=1):
        cell.id = f"cell-{number}"  # stable ids: the same page gives the same file
    notebook = new_notebook(cells=cells)
    notebook.metadata = nbformat.from_dict(METADATA)
    return notebook
