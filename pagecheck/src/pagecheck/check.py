"""What a page shows under a block that a fresh run of the block does not."""

from __future__ import annotations

from pagecheck import canonical
from pagecheck.compare import diff, outputs_match
from pagecheck.config import Settings
from pagecheck.page import DARK, Page, output_info
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
    fresh = [name for new in result.figures for name in page.figure_names(new)]
    if shown != fresh:
        problems.append(
            f"{page.where_figures(block)}: the page shows {len(shown)} images "
            f"{[name for name in shown if name]}, a fresh run draws {len(fresh)} "
            f"{[name for name in fresh if name]}"
        )
        return problems
    lights = [f for f in block.figures if not (f.path or "").endswith(DARK)]
    for number, (figure, new) in enumerate(
        zip(lights, result.figures, strict=True), start=1
    ):
        where = page.where(figure.line) if figure.line else page.where_figures(block)
        name = figure.file if figure.path else f"figure {number}"
        if figure.alt != new.alt:
            problems.append(
                f"{where}: the alt text of {name} is stale\n-{figure.alt}\n+{new.alt}"
            )
        if not outputs_match(figure.description, new.description):
            what = "is missing" if figure.description is None else "is stale"
            problems.append(
                f"{where}: the figure {name} {what}\n"
                + canonical.diff(figure.description, new.description, where)
            )
    return problems
