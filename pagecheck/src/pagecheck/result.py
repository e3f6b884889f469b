"""What one block's run gives, as sent from the worker to the plugin: a JSON line."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import cached_property

from pagecheck.canonical import describe


@dataclass
class RenderedFigure:
    """A figure a block showed, drawn as the page shows it."""

    name: str
    """The light SVG's file name, `PAGE-N.svg`, N counting the page's figures."""

    alt: str
    """The alt text, made from the figure."""

    light: str
    """The figure as SVG, for a light background."""

    dark: str
    """The same drawing with its greys recoloured for a dark background."""

    @cached_property
    def description(self) -> str:
        """Everything a reader sees of it, light and dark, as comparable text."""
        return describe(self.light, self.dark)


@dataclass
class BlockResult:
    """What a reader sees when a block runs: its printout, figures, or error."""

    stdout: str
    """Everything the block printed, as a reader's terminal would show it."""

    error: str | None
    """Why the block fails (a traceback, a timeout, a warning...), or None."""

    seconds: float
    """How long the block ran, in seconds."""

    figures: list[RenderedFigure] = field(default_factory=list)
    """The figures the block showed, in order."""

    def to_json(self) -> str:
        """The result as one line of JSON."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, line: str) -> BlockResult:
        """The result that `to_json` wrote."""
        fields = json.loads(line)
        figures = [RenderedFigure(**figure) for figure in fields.pop("figures")]
        return cls(**fields, figures=figures)
