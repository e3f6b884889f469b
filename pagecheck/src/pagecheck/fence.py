"""A Markdown fence's language and options, and the block to run that it opens."""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path

from markdown_it.token import Token

from pagecheck.compare import parse_tolerance
from pagecheck.page import Block

PYTHON = ("py", "python", "python3")
# pytest-markdown-docs' fence options that change how blocks run; pagecheck runs all
# of a page's blocks in one interpreter, so `continuation` holds for every block.
SKIPPED, REFUSED = "notest", ("fixture:", "runner:", "retry:")


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


def python_block(
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
