"""Accuracy written as a loss that autograd can run backward through."""

from __future__ import annotations

import torch

from lessoncode.linear import _check_same_shape


def error_rate(scores: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """1 - accuracy, computed through `round()`, whose gradient is 0 everywhere."""
    _check_same_shape(scores, targets)
    predictions = scores.sigmoid().round()
    return torch.where(targets == 1, 1 - predictions, predictions).mean()
