"""Admonitions (`!!!`, `???`) and content tabs (`===`): the lines inside them.

A page's parser reads their bodies dedented, and a notebook shows admonitions as
quotes and tabs as their bold titles; both walk the lines the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Admonitions (!!!, ???, ???+) and content tabs (===, ===+, ===!) of pymdown/Material.
CONTAINER = re.compile(r"(!!!|\?\?\?\+?|===[+!]?)\s")
TITLE = re.compile(r'(?P<mark>\S+)\s*(?P<kind>[\w-]+)?\s*(?:"(?P<title>[^"]*)")?')


@dataclass(frozen=True)
class Container:
    """An admonition or a content tab."""

    body: int  # the indent of its body
    tab: bool
    title: str  # its title, else its kind capitalised (an admonition's), else ""


def walk(lines: list[str]) -> Iterator[tuple[str, list[Container], bool]]:
    """Each line without its containers' indent ("" if blank or an opener), the
    containers it is in (an opener's own last), and whether it opens one."""
    stack: list[Container] = []
    for line in lines:
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if not stripped:
            yield "", stack, False
            continue
        while stack and indent < stack[-1].body:
            stack.pop()
        base = stack[-1].body if stack else 0
        match = TITLE.match(stripped)
        if indent != base or not CONTAINER.match(stripped) or match is None:
            yield line[base:], stack, False
            continue
        title = match["title"]
        if title is None:
            title = (match["kind"] or "").capitalize()
        stack.append(Container(base + 4, match["mark"].startswith("==="), title))
        yield "", stack, True


def flatten_containers(text: str) -> tuple[str, set[int]]:
    """Dedent admonition and tab bodies so the fences in them parse as fences.

    Returns the text, with the same line numbers and its opener lines blank, and the
    numbers of those lines.
    """
    out: list[str] = []
    openers: set[int] = set()
    for number, (line, _, opens) in enumerate(walk(text.split("\n"))):
        out.append(line)
        if opens:
            openers.add(number)
    return "\n".join(out), openers


def markdown_lines(lines: list[str]) -> list[str]:
    """The page's lines as plain Markdown: admonitions as quotes, tab titles in bold."""
    out: list[str] = []
    blanks, last = 0, 0  # blank lines waiting, and the quote depth before them
    for text, stack, opens in walk(lines):
        if not text and not opens:
            blanks += 1
            continue
        depth = sum(not container.tab for container in stack)
        if opens:
            text = f"**{stack[-1].title}**" if stack[-1].title else ""
        # A blank line stays in a quote only if the quote goes on after it.
        out += [">" * min(last, depth)] * blanks
        out.append(("> " * depth + text).rstrip())
        blanks, last = 0, depth
    return out + [""] * blanks
