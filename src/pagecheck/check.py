"""What a page shows under a block that a fresh run of the block does not."""

from __future__ import annotations

from pathlib import Path

from pagecheck.compare import diff, outputs_match
from pagecheck.page import FIGURE_DIR, Page


def fresh_figure_paths(result: dict) -> list[str]:
    """Where the page should show the figures a block drew."""
    return [f"{FIGURE_DIR}/{Path(f['path']).name}" for f in result["figures"]]


def differences(page: Page, index: int, result: dict) -> list[str]:
    """Each way the shown output and figures of block `index` differ from `result`."""
    block = page.blocks[index]
    problems = []
    if not outputs_match(block.output, result["stdout"]):
        where = page.where(block.output_line or block.end)
        what = "differs from" if block.output is not None else "is missing from"
        problems.append(
            f"{where}: this block's output {what} the page\n"
            + diff(block.output, result["stdout"], where)
        )
    shown = [figure.path for figure in block.figures]
    if shown != fresh_figure_paths(result):
        problems.append(
            f"{page.where(block.end)}: the page shows figures {shown}, "
            f"a fresh run draws {fresh_figure_paths(result)}"
        )
    for figure, fresh in zip(block.figures, result["figures"]):
        if not outputs_match(figure.description, fresh["description"]):
            problems.append(
                f"{page.where(block.end)}: the figure {figure.path} is stale\n"
                + diff(figure.description, fresh["description"], figure.path)
            )
    return problems
