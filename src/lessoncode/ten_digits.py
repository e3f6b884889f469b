"""Losses for ten digits: the probability of the right digit, and what to do with it."""

from __future__ import annotations

import torch


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
