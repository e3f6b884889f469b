"""The site's build keeps what is costly to make between builds, and reads the
walkthrough as the schema-checked read gives it."""

import importlib.util
import json
from typing import Any

import nbformat
import pytest
from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

from conftest import DOCS, ROOT

spec = importlib.util.spec_from_file_location("site_hooks", ROOT / "hooks" / "site.py")
assert spec is not None and spec.loader is not None
hooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hooks)


def test_the_walkthrough_page_is_what_the_validating_read_gives():
    path = DOCS / "walkthrough.ipynb"
    fast = hooks.notebook_to_markdown(hooks.read_notebook(str(path)), "walkthrough")
    valid = hooks.notebook_to_markdown(nbformat.read(path, as_version=4), "walkthrough")
    assert fast == valid
    assert fast[1]  # its figures too


def test_a_notebook_in_another_format_is_refused(tmp_path):
    old = tmp_path / "old.ipynb"
    old.write_text(json.dumps({"nbformat": 3, "nbformat_minor": 0, "worksheets": []}))
    with pytest.raises(PluginError, match="format 4"):
        hooks.read_notebook(str(old))


def test_the_theme_and_api_templates_stay_compiled_between_builds():
    config = load_config(str(ROOT / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    hooks.on_pre_build(config)
    mkdocstrings: Any = config.plugins["mkdocstrings"]
    handler = mkdocstrings.handlers.get_handler("python")
    env = hooks.on_env(Environment(), config, None)
    for cache in (handler.env.bytecode_cache, env.bytecode_cache):
        assert isinstance(cache, FileSystemBytecodeCache)
        assert cache.directory == str(ROOT / ".cache" / "jinja")
