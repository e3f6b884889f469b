"""MkDocs hooks of the lessoncode site: the walkthrough notebook rendered as a page
like the questions, and templates kept compiled between builds."""

from __future__ import annotations

import base64
import json
import re
import textwrap
from pathlib import Path, PurePosixPath

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from pagecheck import DARK_KEY, PROVENANCE_HEAD, PROVENANCE_MARK

NOTEBOOK_PAGES = ("walkthrough.ipynb",)
IMAGE_TYPES = {"image/svg+xml": "svg", "image/png": "png"}


def _fence(text: str, opening: str) -> str:
    """A fenced block around `text`, its fence longer than any backtick run in it."""
    ticks = "`" * max([3] + [len(run) + 1 for run in re.findall("`+", text)])
    return f"{ticks}{opening}\n{text.rstrip(chr(10))}\n{ticks}"


def notebook_to_markdown(notebook: dict, stem: str) -> tuple[str, dict[str, bytes]]:
    """A notebook as a page in the questions' Markdown, and the figures it shows."""
    parts, figures = [], {}
    for cell in notebook["cells"]:
        kind, source = cell["cell_type"], _text(cell["source"])
        if kind == "markdown" and source.startswith(PROVENANCE_MARK):
            body = source.removeprefix(PROVENANCE_MARK).strip()
            parts.append(f"{PROVENANCE_HEAD}\n" + textwrap.indent(body, "    "))
        elif kind == "markdown":
            parts.append(source)
        elif kind == "code":
            parts.append(_fence(source, "python"))
            parts.extend(_outputs(cell.get("outputs", []), stem, figures))
    return "\n\n".join(parts) + "\n", figures


def _outputs(outputs: list, stem: str, figures: dict[str, bytes]) -> list[str]:
    """Markdown for a code cell's outputs: printed text in one box, then figures.

    A figure with a dark variant (pagecheck keeps it in the output's metadata) shows
    as two images, one for each colour scheme, as on the question pages.
    """
    shown = []
    text = "".join(_text(o["text"]) for o in outputs if o["output_type"] == "stream")
    if text.strip():
        shown.append(_fence(text, ' title="Output"'))
    for output in outputs:
        data = output.get("data", {})
        kind = next((k for k in IMAGE_TYPES if k in data), None)
        if kind is None:
            continue
        number = sum(not name.endswith("-dark.svg") for name in figures) + 1
        name = f"figures/{stem}-{number}.{IMAGE_TYPES[kind]}"
        content = _text(data[kind])
        figures[name] = (
            content.encode() if kind == "image/svg+xml" else base64.b64decode(content)
        )
        alt = _text(data.get("text/plain", "")).replace("\n", " ").replace("]", ")")
        dark = output.get("metadata", {}).get(DARK_KEY)
        if dark is None:
            shown.append(f"![{alt}]({name})")
            continue
        dark_name = name.removesuffix(".svg") + "-dark.svg"
        figures[dark_name] = _text(dark).encode()
        shown.append(f"![{alt}]({name}#only-light)\n![{alt}]({dark_name}#only-dark)")
    return shown


def _text(value: str | list[str]) -> str:
    """A notebook's multiline string, which its JSON may hold as a list of lines."""
    return value if isinstance(value, str) else "".join(value)


def read_notebook(path: str) -> dict:
    """A notebook in format 4 as its JSON, without nbformat.

    nbformat imports its schema validator (jsonschema), a tenth of a build; the
    tests read the same notebook with nbformat, validating it.
    """
    with open(path, encoding="utf8") as file:
        data = json.load(file)
    if data.get("nbformat") != 4:
        raise PluginError(f"{path}: expected a notebook in format 4")
    return data


def on_files(files: Files, config) -> Files:
    """Add each notebook page as generated Markdown, with its figures beside it."""
    for uri in NOTEBOOK_PAGES:
        # Read from docs_dir: pagecheck serves the file itself with a set-up cell.
        source = Path(config.docs_dir) / uri
        if not source.exists():
            continue
        notebook = read_notebook(str(source))
        stem = PurePosixPath(uri).stem
        markdown, figures = notebook_to_markdown(notebook, stem)
        files.append(File.generated(config, f"{stem}.md", content=markdown))
        for name, content in figures.items():
            files.append(File.generated(config, name, content=content))
    return files


def _template_cache(config) -> FileSystemBytecodeCache:
    """Where compiled templates are kept between builds: `.cache/jinja/`.

    Jinja compiles every template anew on each build otherwise. The cache is checked
    against each template's source, so an edited template is compiled again.
    """
    folder = Path(config.config_file_path).parent / ".cache" / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


def on_pre_build(config) -> None:
    """Keep mkdocstrings' templates compiled between builds (its Python handler's)."""
    handler = config.plugins["mkdocstrings"].handlers.get_handler("python")
    handler.env.bytecode_cache = _template_cache(config)


def on_env(env: Environment, config, files: Files) -> Environment:
    """Keep the theme's templates compiled between builds."""
    env.bytecode_cache = _template_cache(config)
    return env
