"""MkDocs hooks of the lessoncode site: the walkthrough notebook rendered as a page
like the questions, and templates kept compiled between builds."""

from __future__ import annotations

import base64
import json
import re
import textwrap
from pathlib import Path, PurePosixPath

import nbformat
from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from pagecheck.notebook import DARK_KEY

NOTEBOOK_PAGES = ("walkthrough.ipynb",)
PROVENANCE = "**Provenance.**"
IMAGE_TYPES = {"image/svg+xml": "svg", "image/png": "png"}


def _fence(text: str, opening: str) -> str:
    """A fenced block around `text`, its fence longer than any backtick run in it."""
    ticks = "`" * max([3] + [len(run) + 1 for run in re.findall("`+", text)])
    return f"{ticks}{opening}\n{text.rstrip(chr(10))}\n{ticks}"


def notebook_to_markdown(
    notebook: nbformat.NotebookNode, stem: str
) -> tuple[str, dict[str, bytes]]:
    """A notebook as a page in the questions' Markdown, and the figures it shows."""
    parts, figures = [], {}
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.startswith(PROVENANCE):
            body = cell.source.removeprefix(PROVENANCE).strip()
            parts.append('??? info "Provenance"\n' + textwrap.indent(body, "    "))
        elif cell.cell_type == "markdown":
            parts.append(cell.source)
        elif cell.cell_type == "code":
            parts.append(_fence(cell.source, "python"))
            parts.extend(_outputs(cell.get("outputs", []), stem, figures))
    return "\n\n".join(parts) + "\n", figures


def _outputs(outputs: list, stem: str, figures: dict[str, bytes]) -> list[str]:
    """Markdown for a code cell's outputs: printed text in one box, then figures.

    A figure with a dark variant (pagecheck keeps it in the output's metadata) shows
    as two images, one for each colour scheme, as on the question pages.
    """
    shown = []
    text = "".join(o.text for o in outputs if o.output_type == "stream")
    if text.strip():
        shown.append(_fence(text, ' title="Output"'))
    for output in outputs:
        data = output.get("data", {})
        kind = next((k for k in IMAGE_TYPES if k in data), None)
        if kind is None:
            continue
        number = sum(not name.endswith("-dark.svg") for name in figures) + 1
        name = f"figures/{stem}-{number}.{IMAGE_TYPES[kind]}"
        content = data[kind]
        figures[name] = (
            content.encode() if kind == "image/svg+xml" else base64.b64decode(content)
        )
        alt = data.get("text/plain", "").replace("\n", " ").replace("]", ")")
        dark = output.get("metadata", {}).get(DARK_KEY)
        if dark is None:
            shown.append(f"![{alt}]({name})")
            continue
        dark_name = name.removesuffix(".svg") + "-dark.svg"
        figures[dark_name] = dark.encode()
        shown.append(f"![{alt}]({name}#only-light)\n![{alt}]({dark_name}#only-dark)")
    return shown


def read_notebook(path: str) -> nbformat.NotebookNode:
    """A notebook in format 4, read without validating it against the schema.

    Validation builds a validator, which took a tenth of a build; the tests read the
    same notebook with validation.
    """
    with open(path, encoding="utf8") as file:
        data = json.load(file)
    if data.get("nbformat") != 4:
        raise PluginError(f"{path}: expected a notebook in format 4")
    return nbformat.v4.to_notebook(data)


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
