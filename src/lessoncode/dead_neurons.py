"""Find the ReLU units that are dead on a data set, and watch them die in training."""

from __future__ import annotations

from typing import NamedTuple

import torch
from torch import nn

from lessoncode.data import Split
from lessoncode.linear import mnist_loss
from lessoncode.training import LossFunc, train


class DeadAfterEpoch(NamedTuple):
    """After one epoch: dead first-layer units, validation accuracy, output slope.

    `slope` is the largest `p * (1 - p)`, with `p = sigmoid(score)`, over the
    training images: near 0, the output is saturated on every one of them.
    """

    dead: int
    valid_accuracy: float
    slope: float


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


def output_slope(net: nn.Module, x: torch.Tensor) -> float:
    """The largest sigmoid slope `p * (1 - p)` of the net's one score over `x`."""
    with torch.no_grad():
        p = net(x).sigmoid()
    if p.dim() != 2 or p.shape[1] != 1:
        raise ValueError(f"expected one score per row, got {tuple(p.shape)}")
    return (p * (1 - p)).max().item()


def train_counting_dead(
    net: nn.Sequential,
    data: Split,
    lr: float,
    num_epochs: int,
    loss_func: LossFunc = mnist_loss,
) -> list[DeadAfterEpoch]:
    """`train` one epoch at a time, counting the units of `net[0]` dead on the data.

    Plain SGD keeps no state between steps, so this trains exactly as one call of
    `train(net, data, lr, num_epochs, loss_func=loss_func)` does.
    """
    if not isinstance(net, nn.Sequential) or not isinstance(net[0], nn.Linear):
        raise TypeError("expected an nn.Sequential whose first layer is nn.Linear")
    history = []
    for _ in range(num_epochs):
        (epoch,) = train(net, data, lr=lr, num_epochs=1, loss_func=loss_func)
        dead = int(dead_units(net[0], data.train_x).sum())
        slope = output_slope(net, data.train_x)
        history.append(DeadAfterEpoch(dead, epoch.valid_accuracy, slope))
    return history
