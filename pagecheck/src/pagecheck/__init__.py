"""Run the Python on the site's pages and keep the outputs they show true.

The names below are pagecheck's API for a site's hooks and tests. Each is imported
from its module when first used: every page's interpreter imports this package to
run pagecheck's worker, which needs none of them (nor their dependencies).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pagecheck.compare import diff, outputs_match
    from pagecheck.config import load_settings
    from pagecheck.environment import find_python, python_for
    from pagecheck.markdown import read_page
    from pagecheck.notebook import read_notebook
    from pagecheck.page import DARK_KEY, IMAGE
    from pagecheck.provenance import PROVENANCE_HEAD, PROVENANCE_MARK

__all__ = [
    "DARK_KEY",
    "IMAGE",
    "PROVENANCE_HEAD",
    "PROVENANCE_MARK",
    "diff",
    "find_python",
    "load_settings",
    "outputs_match",
    "python_for",
    "read_notebook",
    "read_page",
]
_MODULES = {
    "compare": ["diff", "outputs_match"],
    "config": ["load_settings"],
    "environment": ["find_python", "python_for"],
    "markdown": ["read_page"],
    "notebook": ["read_notebook"],
    "page": ["DARK_KEY", "IMAGE"],
    "provenance": ["PROVENANCE_HEAD", "PROVENANCE_MARK"],
}


def __getattr__(name: str) -> Any:
    """One of the names in `__all__`, from its module."""
    for module, names in _MODULES.items():
        if name in names:
            return getattr(importlib.import_module(f"pagecheck.{module}"), name)
    raise AttributeError(f"module 'pagecheck' has no attribute {name!r}")
