"""What one block's run gives, as sent from the worker to the plugin."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class BlockResult:
    """What a reader sees when a block runs: its printout, figures, or error."""

    stdout: str
    """Everything the block printed, as a reader's terminal would show it."""

    error: str | None
    """Why the block fails (a traceback, a timeout, a warning...), or None."""

    seconds: float
    """How long the block ran, in seconds."""

    figures: list[dict[str, str]] = field(default_factory=list)
    """The figures the block showed, in order, each with keys alt, description, path."""
