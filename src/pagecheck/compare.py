"""Compare a shown output with a fresh one: text exactly, decimals within rounding noise.

A decimal such as 0.9731 may differ by one unit in its last shown digit (1e-4 here)
plus 1e-5 of its size. CPUs differ by about 1e-5 relative in float results, and such
noise can move a value across a rounding boundary, which changes the last shown digit
by one and no more. Two units, any integer, and any non-numeric text must match.
"""

from __future__ import annotations

import difflib
import re

NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
RELATIVE = 1e-5


def normalise(text: str | None) -> str:
    """Text as a page can hold it: no trailing spaces, no trailing blank lines."""
    return "\n".join(line.rstrip() for line in (text or "").split("\n")).strip("\n")


def last_digit(number: str) -> float:
    """The value of one unit in the last shown digit of a decimal number."""
    mantissa, _, exponent = number.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 10.0 ** (int(exponent or 0) - decimals)


def numbers_match(shown: str, fresh: str) -> bool:
    """Whether two numbers from the same place in an output agree within noise."""
    if shown == fresh:
        return True
    decimal = re.compile(r"[.eE]")
    if not (decimal.search(shown) and decimal.search(fresh)):
        return False
    a, b = float(shown), float(fresh)
    unit = min(last_digit(shown), last_digit(fresh))
    return abs(a - b) <= unit * (1 + 1e-9) + RELATIVE * max(abs(a), abs(b))


def outputs_match(shown: str | None, fresh: str | None) -> bool:
    """Whether a fresh output reproduces a shown one (see the module docstring)."""
    shown, fresh = normalise(shown), normalise(fresh)
    if NUMBER.split(shown) != NUMBER.split(fresh):
        return False
    return all(map(numbers_match, NUMBER.findall(shown), NUMBER.findall(fresh)))


def diff(shown: str | None, fresh: str | None, where: str) -> str:
    """A unified diff from the shown output to the fresh one."""
    lines = difflib.unified_diff(
        normalise(shown).split("\n") if shown is not None else [],
        normalise(fresh).split("\n") if fresh else [],
        fromfile=f"shown at {where}",
        tofile="fresh run",
        lineterm="",
    )
    return "\n".join(lines)
