"""The verified-output mechanism fails, naming file:line, on each kind of stale page."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PAGES = Path(__file__).parent / "pages"
PROVENANCE = '??? info "Provenance"'


@pytest.fixture
def sample(pytester):
    """A copy of the sample page and its figure, and a way to run pytest on it."""
    shutil.copytree(PAGES, pytester.path, dirs_exist_ok=True)
    page = pytester.path / "sample.md"

    def run(*args):
        return pytester.runpytest("sample.md", *args)

    return page, run


def edit(page: Path, old: str, new: str) -> int:
    """Replace text on the page once; return the 1-based line where it was."""
    text = page.read_text()
    assert text.count(old) == 1, old
    page.write_text(text.replace(old, new))
    return text[: text.index(old)].count("\n") + 1


def line_of(page: Path, text: str) -> int:
    return page.read_text().split("\n").index(text) + 1


def test_the_sample_page_passes(sample):
    _, run = sample
    run().assert_outcomes(passed=5)


def test_a_changed_number_fails(sample):
    page, run = sample
    where = line_of(page, '```text title="Output"')
    edit(page, "9.4248", "9.4348")
    result = run()
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(
        [f"sample.md:{where}: this block's output differs*", "-9.4348", "+9.4248"]
    )


def test_a_change_within_the_last_digit_passes(sample):
    page, run = sample
    edit(page, "9.4248", "9.4249")
    run().assert_outcomes(passed=5)


def test_a_deleted_output_block_fails(sample):
    page, run = sample
    edit(page, '```text title="Output"\n9.4248\n```\n\n', "")
    result = run()
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(
        ["sample.md:*: this block's output is missing*", "+9.4248"]
    )


def test_an_extra_print_fails(sample):
    page, run = sample
    edit(page, "print(y)\n", 'print(y)\n    print("extra")\n')
    result = run()
    result.assert_outcomes(passed=3, failed=2)  # the block, and the provenance
    result.stdout.fnmatch_lines(["sample.md:*: this block's output differs*", "+extra"])


def test_a_block_that_raises_fails_at_its_line(sample):
    page, run = sample
    where = edit(page, "x = 3\n", 'x = 3\nraise ValueError("boom")\n')
    result = run()
    result.assert_outcomes(failed=2, skipped=3)
    result.stdout.fnmatch_lines(
        [
            f"sample.md:{line_of(page, '```python')}: this block fails",
            f'*File "*sample.md", line {where + 1}, in <module>',
            "ValueError: boom",
        ]
    )


def test_a_failing_block_in_a_tab_fails(sample):
    page, run = sample
    where = edit(page, '    print("tab two", y)\n', "    assert y == 5, y\n")
    result = run()
    result.assert_outcomes(passed=3, failed=2)  # the block, and the provenance
    result.stdout.fnmatch_lines(
        [f'*File "*sample.md", line {where}, in <module>', "AssertionError: 4"]
    )


def image_line(page: Path, fragment: str = "#only-light") -> int:
    """The line of the page's figure image for light (or dark) mode."""
    lines = page.read_text().split("\n")
    return next(n for n, line in enumerate(lines, 1) if line.endswith(fragment + ")"))


def test_a_stale_figure_fails(sample):
    page, run = sample
    edit(page, "3 * y]", "4 * y]")
    result = run()
    result.assert_outcomes(passed=3, failed=2)  # the block, and the provenance
    result.stdout.fnmatch_lines(
        [f"sample.md:{image_line(page)}: the figure figures/sample-1.svg is stale"]
    )


@pytest.mark.parametrize(
    "old, new, diff_line",
    [
        (
            'ax.set_title("A line")',
            'ax.set_title("A line"); ax.set_ylim(0, 13)',
            "+*| 0",
        ),
        ('label="line"', 'label="line", color="C1"', "+*stroke: #ff7f0e*"),
        ('label="line"', 'label="line", ls="--"', "+*stroke-dasharray*"),
    ],
    ids=["axis limit", "colour", "line style"],
)
def test_a_visible_change_fails_with_a_short_diff(sample, old, new, diff_line):
    page, run = sample
    edit(page, old, new)
    result = run()
    result.assert_outcomes(passed=3, failed=2)  # the block, and the provenance
    where = f"sample.md:{image_line(page)}"
    result.stdout.fnmatch_lines(
        [f"{where}: the figure figures/sample-1.svg is stale", diff_line]
    )
    lines = result.stdout.lines
    start = next(n for n, line in enumerate(lines) if line.endswith("is stale"))
    report = next(
        (
            n
            for n in range(start + 1, len(lines))
            if not lines[n].startswith((" ", "@", "-", "+", "..."))
        ),
        len(lines),
    )
    assert report - start < 50, lines[start:report]  # a short diff, not the whole SVG


def test_figure_noise_within_the_tolerance_passes(sample):
    page, run = sample
    svg = page.parent / "figures/sample-1.svg"
    text = svg.read_text()
    first = re.search(r'x="(\d+\.\d\d)"', text)
    assert first is not None, f"no x coordinate in {svg}"
    nudged = f'x="{float(first[1]) + 0.01:.2f}"'
    svg.write_text(text.replace(first[0], nudged, 1))
    run().assert_outcomes(passed=5)


def test_a_deleted_figure_file_fails(sample):
    page, run = sample
    (page.parent / "figures/sample-1.svg").unlink()
    result = run()
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(
        [f"sample.md:{image_line(page)}: the figure figures/sample-1.svg is missing"]
    )


def test_a_stale_dark_variant_fails(sample):
    page, run = sample
    dark = page.parent / "figures/sample-1-dark.svg"
    dark.write_text(dark.read_text().replace("#e2e4ea", "#000000"))
    result = run()
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(
        [
            f"sample.md:{image_line(page)}: the figure figures/sample-1.svg is stale",
            "-*#000000*",
            "+*#e2e4ea*",
        ]
    )


def test_a_missing_dark_image_line_fails(sample):
    page, run = sample
    lines = page.read_text().split("\n")
    del lines[image_line(page, "#only-dark") - 1]
    page.write_text("\n".join(lines))
    result = run()
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(["sample.md:*: the page shows 1 images*"])


def test_a_figure_without_show_fails(sample):
    page, run = sample
    edit(page, "    plt.show()\n", "    fig.tight_layout()\n")
    run().stdout.fnmatch_lines(["*never calls plt.show()*"])


def test_a_block_ending_in_a_value_fails(sample):
    page, run = sample
    edit(page, "    print(y)\n", "    y\n")
    run().stdout.fnmatch_lines(["*a notebook would show but a script would not*"])


def test_update_rewrites_a_stale_page_and_then_changes_nothing(sample):
    page, run = sample
    original = page.read_text()
    svg = (page.parent / "figures/sample-1.svg").read_bytes()
    edit(page, "9.4248", "1.0")
    edit(page, "3 * y]", "4 * y]")
    run("--update-outputs").stdout.fnmatch_lines(["rewrote sample.md"])
    run().assert_outcomes(passed=5)
    once = page.read_text()
    assert "9.4248" in once and once != original
    assert (page.parent / "figures/sample-1.svg").read_bytes() != svg
    run("--update-outputs").assert_outcomes(passed=4)
    assert page.read_text() == once


def test_update_leaves_a_current_page_untouched(sample):
    page, run = sample
    before = page.read_text()
    result = run("--update-outputs")
    result.assert_outcomes(passed=4)
    assert "rewrote" not in result.stdout.str()
    assert page.read_text() == before


def test_a_missing_provenance_fails(sample):
    page, run = sample
    text = page.read_text()
    page.write_text(text[: text.index('??? info "Provenance"')])
    run().stdout.fnmatch_lines(["sample.md:*: the page has no provenance*"])


def test_blocks_share_one_fresh_interpreter_in_an_empty_folder(sample):
    page, run = sample
    edit(page, "x = 3\n", 'x = 3\nimport os\nassert os.listdir(".") == []\n')
    edit(
        page,
        '    print("tab two", y)\n',
        '    import sys\n    assert "pytest" not in sys.modules\n'
        '    print("tab two", y)\n',
    )
    run("--deselect", "sample.md::provenance").assert_outcomes(passed=4)


def run_notebook(pytester, *args):
    return pytester.runpytest("sample.ipynb", *args)


def test_the_sample_notebook_passes(pytester):
    shutil.copytree(PAGES, pytester.path, dirs_exist_ok=True)
    run_notebook(pytester).assert_outcomes(passed=3)


def edit_cell(pytester, number: int, old: str, new: str) -> None:
    import nbformat

    path = pytester.path / "sample.ipynb"
    notebook = nbformat.read(path, as_version=4)
    cell = notebook.cells[number - 1]
    assert old in cell.source
    cell.source = cell.source.replace(old, new)
    nbformat.write(notebook, path)


def test_a_broken_notebook_cell_fails_naming_the_cell(pytester):
    shutil.copytree(PAGES, pytester.path, dirs_exist_ok=True)
    edit_cell(pytester, 2, "x = 3", "x = 3 / undefined")
    result = run_notebook(pytester)
    result.assert_outcomes(failed=2, skipped=1)  # the cell, and the provenance
    result.stdout.fnmatch_lines(
        [
            "sample.ipynb, cell 2: this block fails",
            "NameError: name 'undefined' is not defined",
        ]
    )


def test_a_stale_notebook_output_and_figure_fail(pytester):
    shutil.copytree(PAGES, pytester.path, dirs_exist_ok=True)
    edit_cell(pytester, 2, "x = 3", "x = 4")
    result = run_notebook(pytester)
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines(
        [
            "sample.ipynb, cell 2: this block's output differs*",
            "-x squared is 9",
            "+x squared is 16",
        ]
    )
    result.stdout.fnmatch_lines(["*cell 3: the figure figure 1 is stale"])


def write_page(
    folder: Path, name: str, blocks: list[str], fence: str = "python"
) -> Path:
    """A page of Python blocks, one per string, without outputs yet."""
    body = "".join(f"```{fence}\n{code}\n```\n\n" for code in blocks)
    page = folder / name
    page.write_text(f"# {name}\n\n{body}")
    return page


def set_option(pytester, key: str, value: str) -> None:
    """Set a key of the sample folder's `[tool.pagecheck]`, the last table there."""
    config = pytester.path / "pyproject.toml"
    lines = config.read_text().splitlines()
    kept = [line for line in lines if not line.startswith(f"{key} =")]
    config.write_text("\n".join([*kept, f"{key} = {value}", ""]))


def test_a_hung_block_fails_at_its_line_and_leaves_no_process(sample, pytester):
    set_option(pytester, "timeout", "2")
    slow = '{.python data-timeout="60"}'
    write_page(pytester.path, "hang.md", ["import time\ntime.sleep(2.5)"], fence=slow)
    hang = "import os, subprocess, time\n"
    hang += 'child = subprocess.Popen(["sleep", "600"])\n'
    hang += 'print("pids", os.getpid(), child.pid, flush=True)\ntime.sleep(600)'
    page = pytester.path / "hang.md"
    page.write_text(page.read_text() + f"```python\n{hang}\n```\n")
    result = pytester.runpytest("hang.md", "--deselect", "hang.md::provenance")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            f"hang.md:{line_of(page, hang.split(chr(10))[0]) - 1}: this block fails",
            "the block was stopped after running for 2 s; it printed:",
            "pids *",
        ]
    )
    pids = next(line for line in result.outlines if line.startswith("pids "))
    assert not [pid for pid in map(int, pids.split()[1:]) if running(pid)]


def running(pid: int) -> bool:
    """Whether a process is still running (a zombie waiting to be reaped is not)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return status.rpartition(")")[2].split()[0] != "Z"


def two_pages(pytester) -> None:
    shutil.copytree(PAGES, pytester.path, dirs_exist_ok=True)
    write_page(pytester.path, "other.md", ["x = 10\nprint(x)", "print(x + 1)"])
    pytester.runpytest("other.md", "--update-outputs").assert_outcomes(passed=2)


ORDERS = {
    "interleaved": "items[:] = [i for pair in zip_longest(a, b) for i in pair if i]",
    "reversed": "items[:] = a[::-1] + b[::-1]",
}


@pytest.mark.parametrize("order", ORDERS)
def test_blocks_of_two_pages_pass_in_any_order(pytester, order):
    two_pages(pytester)
    pytester.makeconftest(
        "from itertools import zip_longest\n\n"
        "def pytest_collection_modifyitems(items):\n"
        '    a = [i for i in items if i.path.name == "sample.md"]\n'
        '    b = [i for i in items if i.path.name == "other.md"]\n'
        f"    {ORDERS[order]}\n"
    )
    result = pytester.runpytest("sample.md", "other.md", "-v")
    result.assert_outcomes(passed=8)


def test_pages_pass_on_two_workers_each_page_on_one(pytester):
    two_pages(pytester)
    result = pytester.runpytest_subprocess(
        "sample.md", "other.md", "sample.ipynb", "-n", "2", "--dist", "loadscope", "-v"
    )
    result.assert_outcomes(passed=11)
    workers: dict[str, set[str]] = {}  # each page: the workers its tests ran on
    for line in result.outlines:
        ran = re.match(r"\[(gw\d)\] .*PASSED (\S+?)::", line)
        if ran:
            workers.setdefault(ran[2], set()).add(ran[1])
    assert sorted(workers) == ["other.md", "sample.ipynb", "sample.md"]
    assert all(len(ran_on) == 1 for ran_on in workers.values()), workers


def test_a_notest_block_is_neither_run_nor_given_an_output(sample, pytester):
    page, run = sample
    for fence in ("{.python notest}", "python notest"):
        block = f"```{fence}\nraise SystemExit('never run')\n```\n"
        page.write_text(page.read_text().replace("# A sample", block + "\n# A sample"))
    run("--update-outputs").assert_outcomes(passed=4)
    assert page.read_text().count("never run") == 2
    assert page.read_text().count('title="Output"') == 3
    run().assert_outcomes(passed=5)


def test_a_fence_option_pagecheck_cannot_honour_is_refused(sample):
    page, run = sample
    where = edit(
        page, "```python\nimport math", "```python fixture:tmp_path\nimport math"
    )
    run().stdout.fnmatch_lines(
        [f"*sample.md:{where}: pagecheck does not support the fence option 'fixture:*"]
    )


def test_a_change_in_the_library_fails_the_pages_that_use_it(
    sample, pytester, monkeypatch
):
    monkeypatch.setenv("PYTHONPATH", str(pytester.path / "library"))
    uses = write_page(
        pytester.path, "uses.md", ["from samplelib import triple\nprint(triple(2))"]
    )
    pytester.runpytest("uses.md", "--update-outputs")
    pytester.runpytest("uses.md").assert_outcomes(passed=2)
    library = pytester.path / "library" / "samplelib.py"
    library.write_text(library.read_text().replace("3 * x", "4 * x"))
    result = pytester.runpytest("uses.md")
    result.assert_outcomes(failed=2)
    where = line_of(uses, '```text title="Output"')
    result.stdout.fnmatch_lines(
        [f"uses.md:{where}: this block's output differs*", "-6", "+8"]
    )
    result.stdout.fnmatch_lines(["uses.md:*: the provenance's inputs hash is not*"])


def test_a_stale_provenance_hash_fails_naming_the_page(sample):
    page, run = sample
    edit(page, "x = 3\n", "x = 3  # the same output, from other code\n")
    result = run()
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(
        [
            f"sample.md:{line_of(page, PROVENANCE)}: the provenance's inputs hash is*",
            "To run the code again and record it: pytest --update-outputs",
        ]
    )


def test_a_stated_tolerance_widens_that_output_only(sample, pytester):
    write_page(
        pytester.path,
        "wide.md",
        ['print(f"{2 / 3:.3f}")'],
        fence='{.python data-tolerance="0.01"}',
    )
    pytester.runpytest("wide.md", "--update-outputs")
    wide = pytester.path / "wide.md"
    assert 'title="Output (each number ±0.01)"' in wide.read_text()
    edit(wide, "0.667", "0.660")
    pytester.runpytest("wide.md").assert_outcomes(passed=2)
    edit(wide, "0.660", "0.650")
    result = pytester.runpytest("wide.md")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["wide.md:*: this block's output differs*"])


def test_each_page_runs_again_in_each_extra_environment(sample, pytester):
    code = 'import os\nprint(os.environ.get("SAMPLE_MODE", "plain"))'
    write_page(pytester.path, "env.md", [code])
    pytester.runpytest("env.md", "--update-outputs")
    option = '[{ variables = { SAMPLE_MODE = "other" } }]'
    set_option(pytester, "environments", option)
    result = pytester.runpytest("env.md", "-v")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*env.md::SAMPLE_MODE=other::line 3 FAILED*",
            "Under SAMPLE_MODE=other:",
            "env.md:*: this block's output differs*",
            "+other",
        ]
    )


def test_an_environment_whose_python_is_missing_is_skipped_but_fails_in_ci(
    sample, pytester, monkeypatch
):
    write_page(pytester.path, "env.md", ['print("hi")'])
    pytester.runpytest("env.md", "--update-outputs")
    set_option(pytester, "environments", '[{ python = "2.99" }]')
    monkeypatch.delenv("CI", raising=False)
    result = pytester.runpytest("env.md", "-rs")
    result.assert_outcomes(passed=2, skipped=1)
    result.stdout.fnmatch_lines(["*needs Python 2.99*(in CI this fails)*"])
    monkeypatch.setenv("CI", "true")
    result = pytester.runpytest("env.md")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*the environment python2.99 needs Python 2.99*"])


SITE = {
    "mkdocs.yml": "site_name: A second site\nmarkdown_extensions:\n"
    "  - pymdownx.superfences\n",
    "pyproject.toml": "[tool.pytest.ini_options]\n"
    'addopts = "-p pagecheck.plugin -p no:cacheprovider"\n'
    "[tool.pagecheck]\n"
    'packages = ["matplotlib"]\n'
    'update-command = "pytest docs --update-outputs"\n',
    "docs/index.md": "# One plot\n\n```python\nimport matplotlib.pyplot as plt\n\n"
    'plt.plot([1, 2, 3], [1, 4, 9])\nplt.title("Squares")\nplt.show()\n'
    'print("drawn")\n```\n',
}


def test_a_second_site_is_checked_with_configuration_only(pytester):
    for name, text in SITE.items():
        (pytester.path / name).parent.mkdir(exist_ok=True)
        (pytester.path / name).write_text(text)
    pytester.runpytest("docs").assert_outcomes(passed=0, failed=2)
    pytester.runpytest("docs", "--update-outputs").stdout.fnmatch_lines(
        ["rewrote docs/index.md"]
    )
    page = (pytester.path / "docs/index.md").read_text()
    assert re.search(r"!\[Squares[^]]*\]\(figures/index-1\.svg#only-light\)", page)
    assert "drawn" in page
    assert "`pytest docs --update-outputs`" in page
    pytester.runpytest("docs").assert_outcomes(passed=2)
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=pytester.path,
        check=False,
        capture_output=True,
        text=True,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )
    assert built.returncode == 0, built.stderr
    assert "figures/index-1.svg" in (pytester.path / "site/index.html").read_text()


def test_an_interpreter_that_dies_fails_its_block_with_what_it_printed(sample):
    page, run = sample
    edit(page, "x = 3\n", 'x = 3\nimport os\nprint("bye", flush=True)\nos._exit(3)\n')
    result = run("--deselect", "sample.md::provenance")
    result.assert_outcomes(failed=1, skipped=3)
    result.stdout.fnmatch_lines(
        [
            f"sample.md:{line_of(page, '```python')}: this block fails",
            "the interpreter died (exit status 3); it printed:",
            "bye",
        ]
    )
