import pytest

from pagecheck.containers import flatten_containers
from pagecheck.markdown import read_page

PAGE = """\
# Title

```python
print(1)
```

```text title="Output"
1
```

!!! note "Box"

    Some prose.

    === "Tab"

        ```python
        print(2)
        ```

    ```python
    print(3)
    ```

Prose.
"""


def test_flattening_keeps_line_numbers_and_finds_openers():
    flat, openers = flatten_containers(PAGE)
    assert len(flat.split("\n")) == len(PAGE.split("\n"))
    assert openers == {10, 14}
    assert flat.split("\n")[16:19] == ["```python", "print(2)", "```"]


def test_blocks_outputs_and_indents(tmp_path):
    path = tmp_path / "page.md"
    path.write_text(PAGE)
    page = read_page(path)
    assert [b.source for b in page.blocks] == ["print(1)\n", "print(2)\n", "print(3)\n"]
    assert [b.indent for b in page.blocks] == ["", " " * 8, " " * 4]
    assert page.blocks[0].output == "1\n" and page.blocks[0].output_line == 7
    assert page.blocks[1].output is None and page.blocks[2].output is None
    assert page.provenance is None


def test_an_output_in_the_next_tab_is_not_taken(tmp_path):
    path = tmp_path / "page.md"
    path.write_text(
        '=== "A"\n\n    ```python\n    x = 1\n    ```\n\n'
        '=== "B"\n\n    ```text title="Output"\n    1\n    ```\n'
    )
    assert read_page(path).blocks[0].output is None


def test_fence_options_in_both_forms():
    from pagecheck.fence import FenceInfo

    assert FenceInfo.parse("python notest") == FenceInfo("python", {"notest": ""})
    brace = FenceInfo.parse('{.python data-timeout="900" continuation}')
    assert brace == FenceInfo("python", {"data-timeout": "900", "continuation": ""})
    assert FenceInfo.parse('text title="Output"').language == "text"


def test_notest_blocks_are_not_run_and_options_are_read(tmp_path):
    path = tmp_path / "page.md"
    path.write_text(
        '```{.python notest}\nx = 1\n```\n\n```text title="Output"\n1\n```\n\n'
        '```{.python data-timeout="900" data-tolerance="5%"}\nprint(2)\n```\n'
    )
    (block,) = read_page(path).blocks
    assert (block.source, block.timeout, block.tolerance) == ("print(2)\n", 900, "5%")


def test_a_bad_tolerance_is_refused_naming_the_block(tmp_path):
    path = tmp_path / "page.md"
    path.write_text('# T\n\n```{.python data-tolerance="wide"}\nprint(2)\n```\n')
    with pytest.raises(ValueError, match=r"page.md:3: a tolerance is a number"):
        read_page(path)
