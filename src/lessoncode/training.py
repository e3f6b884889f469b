"""The chapter's `simple_net` and a plain SGD training loop for the 3s and 7s."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import torch
from torch import nn

from lessoncode.data import Split
from lessoncode.linear import batch_accuracy, linear1, mnist_loss


class Epoch(NamedTuple):
    """What one epoch of training left: the mean batch loss and validation accuracy."""

    epoch: int
    loss: float
    valid_accuracy: float


def simple_net(hidden: int = 30, activation: nn.Module | None = None) -> nn.Sequential:
    """The chapter's net: 784 pixels -> `hidden` units -> ReLU -> one score."""
    if not isinstance(hidden, int) or hidden < 1:
        raise ValueError(f"hidden must be a positive int, got {hidden!r}")
    return nn.Sequential(
        nn.Linear(28 * 28, hidden), activation or nn.ReLU(), nn.Linear(hidden, 1)
    )


def _check(lr: float, num_epochs: int, batch_size: int) -> None:
    if not lr > 0 or num_epochs < 1 or batch_size < 1:
        raise ValueError(
            "expected lr > 0, num_epochs >= 1 and batch_size >= 1; got "
            f"lr={lr!r}, num_epochs={num_epochs!r}, batch_size={batch_size!r}"
        )


def train(
    net: nn.Module,
    data: Split,
    lr: float,
    num_epochs: int = 40,
    batch_size: int = 64,
    loss_func: Callable = mnist_loss,
    metric: Callable = batch_accuracy,
) -> list[Epoch]:
    """Train with SGD, shuffling with torch's global generator; `mnist_loss` by default."""
    _check(lr, num_epochs, batch_size)
    train_x, train_y, valid_x, valid_y = data
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    history = []
    for epoch in range(num_epochs):
        losses = []
        for idx in torch.randperm(len(train_x)).split(batch_size):
            loss = loss_func(net(train_x[idx]), train_y[idx])
            loss.backward()
            opt.step()
            opt.zero_grad()
            losses.append(loss.item())
        with torch.no_grad():
            accuracy = metric(net(valid_x), valid_y).item()
        history.append(Epoch(epoch, sum(losses) / len(losses), accuracy))
    return history


def train_linear1(
    weights: torch.Tensor,
    bias: torch.Tensor,
    data: Split,
    lr: float = 1.0,
    num_epochs: int = 20,
    batch_size: int = 256,
) -> list[Epoch]:
    """Train `linear1`'s parameters in place with the chapter's hand-written SGD step."""
    _check(lr, num_epochs, batch_size)
    train_x, train_y, valid_x, valid_y = data
    history = []
    for epoch in range(num_epochs):
        losses = []
        for idx in torch.randperm(len(train_x)).split(batch_size):
            loss = mnist_loss(linear1(train_x[idx], weights, bias), train_y[idx])
            loss.backward()
            for p in (weights, bias):
                p.data -= p.grad * lr
                p.grad.zero_()
            losses.append(loss.item())
        with torch.no_grad():
            scores = linear1(valid_x, weights, bias)
            accuracy = batch_accuracy(scores, valid_y).item()
        history.append(Epoch(epoch, sum(losses) / len(losses), accuracy))
    return history
