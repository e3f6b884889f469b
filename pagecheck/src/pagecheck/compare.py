"""Compare a shown output with a fresh one: text exactly, decimals within noise.

A decimal such as 0.9731 may differ by one unit in its last shown digit (1e-4 here)
plus 1e-5 of its size. CPUs differ by about 1e-5 relative in float results, and such
noise can move a value across a rounding boundary, which changes the last shown digit
by one and no more. Two units, any integer, and any non-numeric text must match.

A block whose result is chaotic by nature may state a wider tolerance for its own
output, absolute ("0.02") or relative ("5%"); every number of that output, integers
too, may then also differ by that much. The page says so in the Output box's title.
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


def parse_tolerance(text: str) -> tuple[float, float]:
    """A stated tolerance as (absolute, relative): "0.02" or "5%"."""
    try:
        if text.endswith("%"):
            value = (0.0, float(text[:-1]) / 100)
        else:
            value = (float(text), 0.0)
    except ValueError:
        value = (-1.0, -1.0)
    if min(value) < 0:
        raise ValueError(f"a tolerance is a number or a percentage, not {text!r}")
    return value


def numbers_match(
    shown: str, fresh: str, relative: float = RELATIVE, tolerance: str | None = None
) -> bool:
    """Whether two numbers from the same place in an output agree within noise."""
    if shown == fresh:
        return True
    a, b = float(shown), float(fresh)
    if tolerance is not None:
        absolute, part = parse_tolerance(tolerance)
        if abs(a - b) <= absolute * (1 + 1e-9) + part * max(abs(a), abs(b)):
            return True
    decimal = re.compile(r"[.eE]")
    if not (decimal.search(shown) and decimal.search(fresh)):
        return False
    unit = min(last_digit(shown), last_digit(fresh))
    return abs(a - b) <= unit * (1 + 1e-9) + relative * max(abs(a), abs(b))


def outputs_match(
    shown: str | None,
    fresh: str | None,
    relative: float = RELATIVE,
    tolerance: str | None = None,
) -> bool:
    """Whether a fresh output reproduces a shown one (see the module docstring)."""
    shown, fresh = normalise(shown), normalise(fresh)
    if NUMBER.split(shown) != NUMBER.split(fresh):
        return False
    pairs = zip(NUMBER.findall(shown), NUMBER.findall(fresh), strict=True)
    return all(numbers_match(a, b, relative, tolerance) for a, b in pairs)


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
