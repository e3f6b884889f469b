"""A linear rule that classifies every training image right, found exactly."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch


class Rule(NamedTuple):
    """A linear rule: say "yes" when `x @ weights + bias > 0`."""

    weights: torch.Tensor
    bias: int
    epochs: int


def perceptron(x: torch.Tensor, y: torch.Tensor, max_epochs: int = 1000) -> Rule:
    """Rosenblatt's perceptron in integers, so the same on every CPU.

    `x` holds integer features (n, k), `y` the 0/1 targets (n,) or (n, 1). Passes
    over the data in order until no example is wrong; raises if that takes more than
    `max_epochs`, as it does forever when no linear rule separates the data.
    """
    if x.dim() != 2 or x.dtype.is_floating_point or x.dtype == torch.bool:
        raise ValueError(
            f"expected integer x of shape (n, k), got {x.dtype} {tuple(x.shape)}"
        )
    targets = y.flatten()
    if targets.shape != (len(x),) or not torch.all((targets == 0) | (targets == 1)):
        raise ValueError(f"expected {len(x)} targets of 0 or 1, got {tuple(y.shape)}")
    xs = x.numpy().astype(np.int64)
    signs = np.where(targets.numpy() == 1, 1, -1).astype(np.int64)
    weights, bias = np.zeros(xs.shape[1], dtype=np.int64), 0
    for epoch in range(1, max_epochs + 1):
        mistakes = 0
        for row, sign in zip(xs, signs, strict=True):
            if sign * (row @ weights + bias) <= 0:
                weights += sign * row
                bias += int(sign)
                mistakes += 1
        if mistakes == 0:
            return Rule(torch.from_numpy(weights), bias, epoch)
    raise RuntimeError(f"no separating rule found in {max_epochs} epochs")
