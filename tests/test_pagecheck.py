"""The verified-output mechanism fails, naming file:line, on each kind of stale page."""

import re
import shutil
from pathlib import Path

import pytest

PAGES = Path(__file__).parent / "pages"


@pytest.fixture
def sample(pytester):
    """A copy of the sample page and its figure, and a way to run pytest on it."""
    shutil.copytree(PAGES, pytester.path, dirs_exist_ok=True)
    page = pytester.path / "sample.md"

    def run(*args):
        return pytester.runpytest_subprocess(
            "-p", "pagecheck.plugin", "--markdown-docs", "-p", "no:cacheprovider",
            "sample.md", *args,
        )

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
    page, run = sample
    run().assert_outcomes(passed=4)


def test_a_changed_number_fails(sample):
    page, run = sample
    where = line_of(page, '```text title="Output"')
    edit(page, "9.4248", "9.4348")
    result = run()
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines([f"sample.md:{where}: this block's output differs*",
                                 "-9.4348", "+9.4248"])


def test_a_change_within_the_last_digit_passes(sample):
    page, run = sample
    edit(page, "9.4248", "9.4249")
    run().assert_outcomes(passed=4)


def test_a_deleted_output_block_fails(sample):
    page, run = sample
    edit(page, '```text title="Output"\n9.4248\n```\n\n', "")
    result = run()
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["sample.md:*: this block's output is missing*",
                                 "+9.4248"])


def test_an_extra_print_fails(sample):
    page, run = sample
    edit(page, "print(y)\n", 'print(y)\n    print("extra")\n')
    result = run()
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["sample.md:*: this block's output differs*",
                                 "+extra"])


def test_a_block_that_raises_fails_at_its_line(sample):
    page, run = sample
    where = edit(page, "x = 3\n", 'x = 3\nraise ValueError("boom")\n')
    result = run()
    result.assert_outcomes(failed=1, skipped=3)
    result.stdout.fnmatch_lines([f"sample.md:{line_of(page, '```python')}: this block fails",
                                 f'*File "*sample.md", line {where + 1}, in <module>',
                                 "ValueError: boom"])


def test_a_failing_block_in_a_tab_fails(sample):
    page, run = sample
    where = edit(page, '    print("tab two", y)\n', '    assert y == 5, y\n')
    result = run()
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines([f'*File "*sample.md", line {where}, in <module>',
                                 "AssertionError: 4"])


def image_line(page: Path, fragment: str = "#only-light") -> int:
    """The line of the page's figure image for light (or dark) mode."""
    lines = page.read_text().split("\n")
    return next(n for n, line in enumerate(lines, 1) if line.endswith(fragment + ")"))


def test_a_stale_figure_fails(sample):
    page, run = sample
    edit(page, "3 * y]", "4 * y]")
    result = run()
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        [f"sample.md:{image_line(page)}: the figure figures/sample-1.svg is stale"]
    )


@pytest.mark.parametrize(
    "old, new, diff_line",
    [
        ('ax.set_title("A line")', 'ax.set_title("A line"); ax.set_ylim(0, 13)',
         "+*| 0"),
        ('label="line"', 'label="line", color="C1"', "+*stroke: #ff7f0e*"),
        ('label="line"', 'label="line", ls="--"', "+*stroke-dasharray*"),
    ],
    ids=["axis limit", "colour", "line style"],
)
def test_a_visible_change_fails_with_a_short_diff(sample, old, new, diff_line):
    page, run = sample
    edit(page, old, new)
    result = run()
    result.assert_outcomes(passed=3, failed=1)
    where = f"sample.md:{image_line(page)}"
    result.stdout.fnmatch_lines([f"{where}: the figure figures/sample-1.svg is stale",
                                 diff_line])
    assert len(result.stdout.lines) < 100


def test_figure_noise_within_the_tolerance_passes(sample):
    page, run = sample
    svg = page.parent / "figures/sample-1.svg"
    text = svg.read_text()
    first = re.search(r'x="(\d+\.\d\d)"', text)
    nudged = f'x="{float(first[1]) + 0.01:.2f}"'
    svg.write_text(text.replace(first[0], nudged, 1))
    run().assert_outcomes(passed=4)


def test_a_deleted_figure_file_fails(sample):
    page, run = sample
    (page.parent / "figures/sample-1.svg").unlink()
    result = run()
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        [f"sample.md:{image_line(page)}: the figure figures/sample-1.svg is missing"]
    )


def test_a_stale_dark_variant_fails(sample):
    page, run = sample
    dark = page.parent / "figures/sample-1-dark.svg"
    dark.write_text(dark.read_text().replace("#e2e4ea", "#000000"))
    result = run()
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        [f"sample.md:{image_line(page)}: the figure figures/sample-1.svg is stale",
         "-*#000000*", "+*#e2e4ea*"]
    )


def test_a_missing_dark_image_line_fails(sample):
    page, run = sample
    lines = page.read_text().split("\n")
    del lines[image_line(page, "#only-dark") - 1]
    page.write_text("\n".join(lines))
    result = run()
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["sample.md:*: the page shows figures*"])


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
    run().assert_outcomes(passed=4)
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
    run().stdout.fnmatch_lines(["sample.md:*: no provenance block*"])


def test_blocks_share_one_fresh_interpreter_in_an_empty_folder(sample):
    page, run = sample
    edit(page, "x = 3\n", 'x = 3\nimport os\nassert os.listdir(".") == []\n')
    edit(page, '    print("tab two", y)\n',
         '    import sys\n    assert "pytest" not in sys.modules\n'
         '    print("tab two", y)\n')
    run().assert_outcomes(passed=4)


def run_notebook(pytester, *args):
    return pytester.runpytest_subprocess(
        "-p", "pagecheck.plugin", "--markdown-docs", "-p", "no:cacheprovider",
        "sample.ipynb", *args,
    )


def test_the_sample_notebook_passes(pytester):
    shutil.copytree(PAGES, pytester.path, dirs_exist_ok=True)
    run_notebook(pytester).assert_outcomes(passed=2)


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
    result.assert_outcomes(failed=1, skipped=1)
    result.stdout.fnmatch_lines(["sample.ipynb, cell 2: this block fails",
                                 "NameError: name 'undefined' is not defined"])


def test_a_stale_notebook_output_and_figure_fail(pytester):
    shutil.copytree(PAGES, pytester.path, dirs_exist_ok=True)
    edit_cell(pytester, 2, "x = 3", "x = 4")
    result = run_notebook(pytester)
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["sample.ipynb, cell 2: this block's output differs*",
                                 "-x squared is 9", "+x squared is 16"])
    result.stdout.fnmatch_lines(["*cell 3: the figure figures/sample-1.svg is stale"])
