"""A figure as comparable text, and the lines that differ between two of them.

A figure is compared through its canonical text: one SVG element per line, attributes
sorted, numbers with two decimals, path data split into short lines, then the same
for its dark variant. That text holds everything a reader sees (data, limits, ticks,
colours, line styles, legend, texts, size); an embedded raster image is left out,
and the description of its array in the SVG's metadata stands for it (see
`pagecheck.render`). Two figures match when their texts match by
`pagecheck.compare`'s rule; pixels are never compared.
"""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from pagecheck.compare import NUMBER, outputs_match
from pagecheck.dark import dark_path
from pagecheck.svg import ATTRIBUTE_NUMBER, FONT_FALLBACKS, XLINK

DARK_HEAD = "dark variant:"
COMMANDS_PER_LINE = 6
MOST_DIFF_LINES = 40


def _split_path(d: str) -> list[str]:
    commands = re.findall(r"[A-Za-z][^A-Za-z]*", d)
    step = COMMANDS_PER_LINE
    return [
        " ".join(c.strip() for c in commands[i : i + step])
        for i in range(0, len(commands), step)
    ]


def _fixed(text: str) -> str:
    text = FONT_FALLBACKS.sub(r"\1", text)  # the font used, not its fallbacks
    return ATTRIBUTE_NUMBER.sub(lambda m: f"{float(m[0]):.2f}", text)


def canonical(svg: str) -> str:
    """An SVG as comparable text: one element per line, attributes sorted."""
    lines: list[str] = []

    def walk(element: ET.Element, depth: int) -> None:
        pad = "  " * depth
        tag = element.tag.rpartition("}")[2]
        attributes = []
        # Sorted, with the long style last so that a diff shows positions first.
        for key, value in sorted(
            element.attrib.items(), key=lambda a: (a[0] == "style", a)
        ):
            name = key.rpartition("}")[2]
            if name == "d":
                continue
            if key == XLINK and value.startswith("data:"):
                value = "(raster data: see the image description)"
            elif name != "id" and "RDF" not in element.tag:
                value = _fixed(value)
            attributes.append(f"{name}={value}")
        lines.append(" ".join([pad + tag, *attributes]))
        lines.extend(
            f"{pad}  d {part}"
            for part in _split_path(_fixed(element.attrib.get("d", "")))
        )
        for text_line in (element.text or "").strip().split("\n"):
            if text_line.strip():
                lines.append(f"{pad}  | {text_line.strip()}")
        for child in element:
            walk(child, depth + 1)

    walk(ET.fromstring(svg), 0)
    return "\n".join(lines)


def describe(light: str, dark: str | None) -> str:
    """Everything a reader sees of a figure, light and dark, as comparable text."""
    dark_text = canonical(dark) if dark is not None else "(no dark variant file)"
    return f"{canonical(light)}\n{DARK_HEAD}\n{dark_text}"


def read_description(path: Path) -> str | None:
    """The comparable text of a stored figure and its dark variant, None if absent."""
    try:
        dark = dark_path(path)
        dark_text = dark.read_text(encoding="utf8") if dark.exists() else None
        return describe(path.read_text(encoding="utf8"), dark_text)
    except (OSError, ValueError, ET.ParseError):
        return None


def _light_part(lines: list[str]) -> list[str]:
    return lines[: lines.index(DARK_HEAD)] if DARK_HEAD in lines else lines


def diff(shown: str | None, fresh: str, where: str) -> str:
    """The lines of two figure texts that differ beyond the tolerance, at most 40."""
    old_all, new_all = (shown or "").split("\n"), fresh.split("\n")
    old, new = _light_part(old_all), _light_part(new_all)
    if all(map(outputs_match, old, new)) and len(old) == len(new):
        old, new = old_all, new_all  # only the dark variant differs: show it
    skeleton = difflib.SequenceMatcher(
        None,
        [NUMBER.sub("#", s) for s in old],
        [NUMBER.sub("#", s) for s in new],
        autojunk=False,
    )
    hunks = []  # (rank, lines): changed texts first, then changed values, then the rest
    for tag, i1, i2, j1, j2 in skeleton.get_opcodes():
        if tag == "equal":
            pairs = zip(old[i1:i2], new[j1:j2], strict=True)
            for number, (a, b) in enumerate(pairs):
                if not outputs_match(a, b):
                    rank = 0 if a.lstrip().startswith("| ") else 1
                    hunks.append(
                        (rank, [f"@@ line {i1 + number + 1} @@", f"-{a}", f"+{b}"])
                    )
        else:
            lines = [f"-{a}" for a in old[i1:i2]] + [f"+{b}" for b in new[j1:j2]]
            hunks.append((2, [f"@@ line {i1 + 1} @@", *lines]))
    hunks.sort(key=lambda hunk: hunk[0])
    out = [line for _, hunk in hunks for line in hunk]
    if len(out) > MOST_DIFF_LINES:
        out = out[:MOST_DIFF_LINES] + [f"... and {len(out) - MOST_DIFF_LINES} more"]
    head = [f"--- shown at {where}", "+++ fresh run"]
    return "\n".join(line[:300] for line in head + out)
