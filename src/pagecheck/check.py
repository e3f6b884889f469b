"""What a page shows under a block that a fresh run of the block does not."""

from __future__ import annotations

from pagecheck.compare import diff, outputs_match
from pagecheck.config import Settings
from pagecheck.page import Page, output_info
from pagecheck.result import BlockResult


def differences(
    page: Page, index: int, result: BlockResult, settings: Settings
) -> list[str]:
    """Each way the shown output and figures of block `index` differ from `result`."""
    block = page.blocks[index]
    problems = []
    where = page.where_output(block)
    relative = settings.relative_tolerance
    if not outputs_match(block.output, result.stdout, relative, block.tolerance):
        what = "differs from" if block.output is not None else "is missing from"
        problems.append(
            f"{where}: this block's output {what} the page\n"
            + diff(block.output, result.stdout, where)
        )
    elif block.output is not None and block.output_info != output_info(block.tolerance):
        problems.append(
            f"{where}: the Output box should be ```{output_info(block.tolerance)}"
        )
    shown = [figure.path for figure in block.figures]
    fresh = [page.figure_name(figure) for figure in result.figures]
    if shown != fresh:
        problems.append(
            f"{page.where_figures(block)}: the page shows {len(shown)} figures "
            f"{[name for name in shown if name]}, a fresh run draws {len(fresh)} "
            f"{[name for name in fresh if name]}"
        )
    for number, (figure, new) in enumerate(zip(block.figures, result.figures), 1):
        if not outputs_match(figure.description, new["description"]):
            name = figure.path or f"figure {number}"
            problems.append(
                f"{page.where_figures(block)}: the figure {name} is stale\n"
                + diff(figure.description, new["description"], name)
            )
    return problems
