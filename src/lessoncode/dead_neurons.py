"""Find the ReLU units that are dead on a data set."""

from __future__ import annotations

import torch
from torch import nn


def dead_units(layer: nn.Linear, x: torch.Tensor) -> torch.Tensor:
    """A mask of the units whose pre-activation is <= 0 for every row of `x`.

    A ReLU after such a unit outputs 0 for all of `x`, and every gradient through it,
    to its weights and to its bias, is exactly 0.
    """
    if not isinstance(layer, nn.Linear):
        raise TypeError(f"expected an nn.Linear layer, got {type(layer).__name__}")
    if x.dim() != 2 or x.shape[1] != layer.in_features:
        raise ValueError(
            f"expected x of shape (n, {layer.in_features}), got {tuple(x.shape)}"
        )
    with torch.no_grad():
        return (layer(x) <= 0).all(dim=0)
