"""The chapter's loss and accuracy with the score clamped to [0, 1], not squashed."""

from __future__ import annotations

import torch

from lessoncode.linear import _check_same_shape


def clamp_loss(scores: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """`mnist_loss` with `clamp(0, 1)` in place of the sigmoid."""
    _check_same_shape(scores, targets)
    predictions = scores.clamp(0, 1)
    return torch.where(targets == 1, 1 - predictions, predictions).mean()


def clamp_accuracy(scores: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The fraction of clamped scores on the right side of 0.5 for targets (1 = a 3)."""
    _check_same_shape(scores, targets)
    correct = (scores.clamp(0, 1) > 0.5) == targets.bool()
    return correct.float().mean()
