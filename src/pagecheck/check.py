"""What a page shows under a block that a fresh run of the block does not."""

from __future__ import annotations

from pathlib import Path

from pagecheck import figures
from pagecheck.compare import diff, outputs_match
from pagecheck.page import DARK, FIGURE_DIR, LIGHT, Page


def fresh_figure_paths(result: dict) -> list[str]:
    """The images the page should show for the figures a block drew, light and dark."""
    paths = []
    for figure in result["figures"]:
        light = Path(figure["path"])
        paths += [
            f"{FIGURE_DIR}/{light.name}{LIGHT}",
            f"{FIGURE_DIR}/{figures.dark_path(light).name}{DARK}",
        ]
    return paths


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
        return problems
    lights = [figure for figure in block.figures if not figure.path.endswith(DARK)]
    for figure, fresh in zip(lights, result["figures"]):
        if figure.alt != fresh["alt"]:
            problems.append(
                f"{page.where(figure.line or block.end)}: the figure's alt text is "
                f"stale\n-{figure.alt}\n+{fresh['alt']}"
            )
        if not outputs_match(figure.description, fresh["description"]):
            where = page.where(figure.line or block.end)
            what = "is missing" if figure.description is None else "is stale"
            problems.append(
                f"{where}: the figure {figure.file} {what}\n"
                + figures.diff(figure.description, fresh["description"], where)
            )
    return problems
