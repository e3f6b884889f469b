"""Find the ReLU units that are dead on a data set, and watch them die in training."""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn

from lessoncode.data import Split
from lessoncode.training import train


class DeadAfterEpoch(NamedTuple):
    """The dead first-layer units and the validation accuracy after one epoch."""

    dead: int
    valid_accuracy: float


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


def train_counting_dead(
    net: nn.Sequential, data: Split, lr: float, num_epochs: int
) -> list[DeadAfterEpoch]:
    """`train` one epoch at a time, counting the units of `net[0]` dead on the data.

    Plain SGD keeps no state between steps, so this trains exactly as one call of
    `train(net, data, lr, num_epochs)` does.
    """
    if not isinstance(net, nn.Sequential) or not isinstance(net[0], nn.Linear):
        raise TypeError("expected an nn.Sequential whose first layer is nn.Linear")
    history = []
    for _ in range(num_epochs):
        (epoch,) = train(net, data, lr=lr, num_epochs=1)
        dead = int(dead_units(net[0], data.train_x).sum())
        history.append(DeadAfterEpoch(dead, epoch.valid_accuracy))
    return history
