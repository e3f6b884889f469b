"""A figure's alt text, made from what it draws, for readers who cannot see it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.container import Container
    from matplotlib.figure import Figure


def _kind(artist: Artist) -> str | None:
    """What a reader sees of one drawn artist, or None if it draws nothing."""
    import numpy as np
    from matplotlib.collections import (
        LineCollection,
        PathCollection,
        PolyCollection,
        QuadMesh,
    )
    from matplotlib.contour import ContourSet
    from matplotlib.lines import Line2D

    if isinstance(artist, Line2D):
        n = np.size(artist.get_xdata())
        marked = artist.get_marker() not in ("None", "", " ", None)
        if marked and n:
            return "lines" if artist.get_linestyle() not in ("None", "") else "points"
        return "lines" if n > 2 else None  # two points: a reference line
    if isinstance(artist, ContourSet):
        return "filled regions" if artist.filled else "contour lines"
    if isinstance(artist, QuadMesh):
        return "a colour map"
    if isinstance(artist, PathCollection):
        return "points" if np.size(artist.get_offsets()) else None
    if isinstance(artist, LineCollection):
        return "lines" if artist.get_segments() else None
    if isinstance(artist, PolyCollection):
        return "shaded areas" if artist.get_paths() else None
    return "shapes"


def _colour_bar(ax: Axes) -> str | None:
    """What the colour bar of the panel's image or colours says, if it has one."""
    for mappable in [*ax.images, *ax.collections]:
        bar = getattr(mappable, "colorbar", None)
        if bar is not None:
            label = bar.ax.get_ylabel() or bar.ax.get_xlabel()
            lo, hi = mappable.norm.vmin, mappable.norm.vmax
            named = f" of {label}" if label else ""
            return f"a colour bar{named} from {lo:.3g} to {hi:.3g}"
    return None


def _axes_alt(ax: Axes, name: str) -> str:
    from matplotlib.patches import Rectangle

    drawn = [*ax.get_lines(), *ax.collections]
    kinds = [kind for kind in map(_kind, drawn) if kind]
    if any(isinstance(p, Rectangle) for p in ax.patches):
        kinds.append("bars")
    if ax.images:
        kinds.append("an image")
    keyed: list[Artist | Container] = [*ax.get_lines(), *ax.containers, *ax.collections]
    labels = [
        str(artist.get_label())
        for artist in [*keyed, *ax.patches]
        if not str(artist.get_label()).startswith("_")
    ]
    legend = "legend: " + ", ".join(dict.fromkeys(labels)) if labels else ""
    if not kinds and not ax.axison and legend:
        return f"the key, {legend}"
    what = " and ".join(dict.fromkeys(kinds)) or "nothing drawn"
    parts = [f"{ax.get_title() or name}: {what}"]
    if ax.get_ylabel():
        x = f" against {ax.get_xlabel()}" if ax.get_xlabel() else ""
        parts.append(f"of {ax.get_ylabel()}{x}")
    elif ax.get_xlabel():
        parts.append(f"along {ax.get_xlabel()}")
    if not ax.images and ax.axison:
        scale = " (log scale)" if ax.get_yscale() == "log" else ""
        lo, hi = ax.get_ylim()
        parts.append(f"y from {lo:.3g} to {hi:.3g}{scale}")
    parts += [text for text in (_colour_bar(ax), legend) if text]
    return ", ".join(parts)


def alt_text(fig: Figure) -> str:
    """A description of the figure for readers who cannot see it."""
    mappables = [m for ax in fig.axes for m in [*ax.images, *ax.collections]]
    bars = {bar.ax for m in mappables if (bar := getattr(m, "colorbar", None))}
    axes = [ax for ax in fig.axes if ax.get_visible() and ax not in bars]
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
        described = [
            _axes_alt(ax, f"panel {n}" if len(axes) > 1 else "the plot")
            for n, ax in enumerate(axes, 1)
        ]
        text = head + count + "; ".join(described)
    text = text.replace("[", "(").replace("]", ")").replace("\n", " ")
    return text[:1].upper() + text[1:]
