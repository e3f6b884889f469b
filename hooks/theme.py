"""MkDocs hook of the lessoncode site's template: the name of Material's own script,
which overrides/main.html loads deferred, as base.html loads it but for `defer`."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

BUNDLE = "assets/javascripts/bundle.*.min.js"  # hashed by each Material release


def on_env(env, config, files):
    """Give the templates Material's script as `material_bundle`."""
    found = sorted(
        path.relative_to(folder).as_posix()
        for folder in map(Path, config.theme.dirs)
        for path in folder.glob(BUNDLE)
    )
    if len(found) != 1:
        raise PluginError(f"expected one {BUNDLE} in the theme, found {found}")
    env.globals["material_bundle"] = found[0]
    return env
