from pagecheck.page import flatten_containers, read_page

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
