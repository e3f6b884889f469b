"""MkDocs hook of the lessoncode site's printed text: an Output box whose lines are
columns is marked, so that it keeps them and scrolls sideways; other text wraps."""

from __future__ import annotations

import re
from typing import Any

from markdown import Markdown
from mkdocs.exceptions import PluginError
from pymdownx.superfences import highlight_validator

SUPERFENCES = "pymdownx.superfences"
COLUMNS = "lc-columns"  # the class of a box whose lines are columns
GAP = re.compile(r" {2}(?=\S)")  # two spaces before a value: padding that aligns
VALIDATOR = highlight_validator  # SuperFences' own: title= and the other options


def has_columns(text: str) -> bool:
    """Whether text is a table: a line padded with spaces to align with others."""
    return any(GAP.search(line) for line in text.splitlines())


def _format(
    src: str, language: str, class_name: str, options: dict, md: Markdown, **kwargs: Any
) -> str:
    """A block highlighted as SuperFences does, marked with COLUMNS if it is printed
    text (`text`, or no language) whose lines are columns."""
    printed = language in ("text", "", None)
    classes = list(kwargs["classes"]) + [COLUMNS] * (printed and has_columns(src))
    fences = md.preprocessors["fenced_code_block"]
    return fences.highlight(  # type: ignore[attr-defined]
        src=src,
        language=language,
        options=options,
        md=md,
        classes=classes,
        id_value=kwargs["id_value"],
        attrs=kwargs["attrs"],
    )


def on_config(config):
    """Have SuperFences format every block through _format: the custom fence `*`
    replaces its default one, validated as that one is."""
    if SUPERFENCES not in config.markdown_extensions:
        raise PluginError(f"hooks/outputs.py formats code blocks through {SUPERFENCES}")
    fences = config.mdx_configs.setdefault(SUPERFENCES, {})
    fences.setdefault("custom_fences", []).append(
        {"name": "*", "class": "", "format": _format, "validator": VALIDATOR}
    )
    return config
