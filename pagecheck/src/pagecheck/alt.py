"""A figure's alt text, made from what it draws, for readers who cannot see it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _axes_alt(ax: Axes) -> str:
    import numpy as np
    from matplotlib.patches import Rectangle

    kinds: list[str] = []
    lines = [line for line in ax.get_lines() if np.size(line.get_xdata()) > 2]
    if lines:
        kinds.append("lines")
    if any(isinstance(p, Rectangle) for p in ax.patches):
        kinds.append("bars")
    if ax.collections:
        kinds.append("points")
    if ax.images:
        kinds.append("an image")
    what = " and ".join(kinds) or "an empty plot"
    parts = [f"{ax.get_title() or 'a panel'}: {what}"]
    if ax.get_ylabel() or ax.get_xlabel():
        parts.append(
            f"of {ax.get_ylabel() or 'values'} against {ax.get_xlabel() or 'x'}"
        )
    if not ax.images and ax.axison:
        scale = " (log scale)" if ax.get_yscale() == "log" else ""
        lo, hi = ax.get_ylim()
        parts.append(f"y from {lo:.3g} to {hi:.3g}{scale}")
    labels = [
        line.get_label()
        for line in ax.get_lines() + ax.containers + ax.collections
        if not str(line.get_label()).startswith("_")
    ]
    labels += [
        p.get_label() for p in ax.patches if not str(p.get_label()).startswith("_")
    ]
    if labels:
        parts.append("legend: " + ", ".join(dict.fromkeys(labels)))
    return ", ".join(parts)


def alt_text(fig: Figure) -> str:
    """A description of the figure for readers who cannot see it."""
    axes = [ax for ax in fig.axes if ax.get_visible()]
    suptitle = fig.get_suptitle()
    head = f"{suptitle}. " if suptitle else ""
    if len(axes) > 1 and all(ax.images and not ax.get_lines() for ax in axes):
        spec = axes[0].get_subplotspec()
        rows, cols = spec.get_gridspec().get_geometry() if spec else (1, len(axes))
        titles = [repr(ax.get_title()) for ax in axes if ax.get_title()]
        if len(titles) > 4:
            titles = [f"{titles[0]} to {titles[-1]}"]
        named = f", titled {', '.join(titles)}" if titles else ""
        grid = f"{rows} row{'s' if rows > 1 else ''} of {cols}"
        text = f"{head}A grid of {len(axes)} images, {grid}{named}"
    else:
        count = {1: "", 2: "Two panels. "}.get(len(axes), f"{len(axes)} panels. ")
        text = head + count + "; ".join(_axes_alt(ax) for ax in axes)
    text = text.replace("[", "(").replace("]", ")").replace("\n", " ")
    return text[:1].upper() + text[1:]
