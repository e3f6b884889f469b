"""Ten digits: losses on the probability of the right digit, nets, confusions."""

from __future__ import annotations

import torch
from torch import nn


def _check(acts: torch.Tensor, targets: torch.Tensor) -> None:
    if acts.dim() != 2 or targets.shape != (acts.shape[0],):
        raise ValueError(
            "expected activations (n, classes) and integer targets (n,); got "
            f"{tuple(acts.shape)} and {tuple(targets.shape)}"
        )
    if targets.dtype != torch.long:
        raise ValueError(f"targets must be class indices (int64), got {targets.dtype}")


def prob_correct(acts: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The softmax probability each example gives its correct class, shape (n,)."""
    _check(acts, targets)
    return acts.softmax(dim=1)[torch.arange(len(targets)), targets]


def one_minus_p_loss(acts: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The mean of 1 - Pr(correct class): the binary `mnist_loss` read literally."""
    return (1 - prob_correct(acts, targets)).mean()


def minus_p_loss(acts: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The mean of -Pr(correct class): what `F.nll_loss` gives on softmax outputs."""
    return (-prob_correct(acts, targets)).mean()


def digit_accuracy(acts: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The fraction of examples whose largest activation is the correct class."""
    _check(acts, targets)
    return (acts.argmax(dim=1) == targets).float().mean()


def linear10() -> nn.Linear:
    """The chapter's linear model with ten outputs: 784 pixels -> ten scores."""
    return nn.Linear(28 * 28, 10)


def simple_net10(hidden: int = 30) -> nn.Sequential:
    """The chapter's `simple_net` with ten outputs: 784 -> `hidden` -> ReLU -> 10."""
    if not isinstance(hidden, int) or isinstance(hidden, bool) or hidden < 1:
        raise ValueError(f"hidden must be a positive int, got {hidden!r}")
    return nn.Sequential(nn.Linear(28 * 28, hidden), nn.ReLU(), nn.Linear(hidden, 10))


def confusion_matrix(
    preds: torch.Tensor, targets: torch.Tensor, num_classes: int = 10
) -> torch.Tensor:
    """Counts (num_classes, num_classes): row = true class, column = predicted."""
    if (
        preds.dim() != 1
        or preds.shape != targets.shape
        or preds.dtype != torch.long
        or targets.dtype != torch.long
    ):
        raise ValueError(
            "expected predicted and true class indices, two int64 tensors of the "
            f"same shape (n,); got {preds.dtype} {tuple(preds.shape)} and "
            f"{targets.dtype} {tuple(targets.shape)}"
        )
    both = torch.cat([preds, targets])
    if len(both) and (both.min() < 0 or both.max() >= num_classes):
        raise ValueError(
            f"class indices must lie in 0..{num_classes - 1}; got "
            f"{both.min().item()}..{both.max().item()}"
        )
    flat = targets * num_classes + preds
    counts = torch.bincount(flat, minlength=num_classes * num_classes)
    return counts.view(num_classes, num_classes)


def most_confused(counts: torch.Tensor, k: int = 3) -> list[tuple[int, int, int]]:
    """The k largest non-zero off-diagonal cells, and any tied with the k-th."""
    if counts.dim() != 2 or counts.shape[0] != counts.shape[1] or k < 1:
        raise ValueError(
            f"expected a square confusion matrix and k >= 1; got "
            f"{tuple(counts.shape)} and k={k!r}"
        )
    n = counts.shape[0]
    cells = [
        (int(counts[true, pred]), true, pred)
        for true in range(n)
        for pred in range(n)
        if true != pred and counts[true, pred] > 0
    ]
    cells.sort(key=lambda cell: (-cell[0], cell[1], cell[2]))
    kth = cells[k - 1][0] if len(cells) >= k else 0
    return [(true, pred, count) for count, true, pred in cells if count >= kth]
