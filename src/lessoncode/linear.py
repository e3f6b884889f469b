"""The chapter's linear model of 3s and 7s: parameters, predictions, loss, accuracy."""

from __future__ import annotations

import torch


def init_params(size: int | tuple[int, ...], std: float = 1.0) -> torch.Tensor:
    """Random parameters of the given size that record gradients, as in the chapter."""
    return (torch.randn(size) * std).requires_grad_()


def linear1(
    xb: torch.Tensor, weights: torch.Tensor, bias: torch.Tensor
) -> torch.Tensor:
    """One score per image: `xb @ weights + bias`, with checked shapes."""
    if xb.dim() != 2 or weights.dim() != 2 or xb.shape[1] != weights.shape[0]:
        raise ValueError(
            f"expected xb (n, k) and weights (k, m); got xb {tuple(xb.shape)} "
            f"and weights {tuple(weights.shape)}"
        )
    if bias.shape not in ((weights.shape[1],), (1, weights.shape[1])):
        raise ValueError(
            f"expected bias of shape ({weights.shape[1]},), one per output; "
            f"got {tuple(bias.shape)}"
        )
    return xb @ weights + bias


def _check_same_shape(scores: torch.Tensor, targets: torch.Tensor) -> None:
    if scores.shape != targets.shape:
        raise ValueError(
            f"scores {tuple(scores.shape)} and targets {tuple(targets.shape)} "
            "must have the same shape"
        )


def mnist_loss(predictions: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The chapter's loss: 1 - sigmoid(score) for a 3, sigmoid(score) for a 7."""
    _check_same_shape(predictions, targets)
    predictions = predictions.sigmoid()
    return torch.where(targets == 1, 1 - predictions, predictions).mean()


def batch_accuracy(xb: torch.Tensor, yb: torch.Tensor) -> torch.Tensor:
    """The fraction of scores on the right side of 0 (sigmoid 0.5) for targets yb."""
    _check_same_shape(xb, yb)
    correct = (xb.sigmoid() > 0.5) == yb.bool()
    return correct.float().mean()
