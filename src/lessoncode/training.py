"""The chapter's `simple_net` and its training loop: one SGD step, epochs of them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple, Protocol

import torch
from torch import nn

from lessoncode.data import Split
from lessoncode.linear import batch_accuracy, linear1, mnist_loss

Model = Callable[[torch.Tensor], torch.Tensor]
LossFunc = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
Metric = LossFunc


class Optimizer(Protocol):
    """What the loop needs of an optimiser: `torch.optim`'s or the chapter's."""

    def step(self) -> object: ...

    def zero_grad(self) -> None: ...


class Epoch(NamedTuple):
    """What one epoch of training left: the mean batch loss and validation accuracy."""

    epoch: int
    loss: float
    valid_accuracy: float


class BasicOptim:
    """The chapter's optimiser: `p -= p.grad * lr` for each parameter."""

    def __init__(self, params: Iterable[torch.Tensor], lr: float) -> None:
        self.params, self.lr = list(params), lr

    def step(self) -> None:
        """Move each parameter against its gradient."""
        for p in self.params:
            if p.grad is None:
                raise ValueError("a parameter has no gradient: call backward() first")
            p.data -= p.grad.data * self.lr

    def zero_grad(self) -> None:
        """Forget the gradients, so that the next backward() starts afresh."""
        for p in self.params:
            p.grad = None


def simple_net(hidden: int = 30, activation: nn.Module | None = None) -> nn.Sequential:
    """The chapter's net: 784 pixels -> `hidden` units -> ReLU -> one score."""
    if not isinstance(hidden, int) or hidden < 1:
        raise ValueError(f"hidden must be a positive int, got {hidden!r}")
    return nn.Sequential(
        nn.Linear(28 * 28, hidden), activation or nn.ReLU(), nn.Linear(hidden, 1)
    )


def train_step(
    model: Model,
    loss_func: LossFunc,
    opt: Optimizer,
    xb: torch.Tensor,
    yb: torch.Tensor,
) -> torch.Tensor:
    """One step of the chapter's loop: loss, gradients, optimiser step; the loss."""
    loss = loss_func(model(xb), yb)
    loss.backward()
    opt.step()
    opt.zero_grad()
    return loss.detach()


def _check(lr: float, num_epochs: int, batch_size: int) -> None:
    if not lr > 0 or num_epochs < 1 or batch_size < 1:
        raise ValueError(
            "expected lr > 0, num_epochs >= 1 and batch_size >= 1; got "
            f"lr={lr!r}, num_epochs={num_epochs!r}, batch_size={batch_size!r}"
        )


def _train_model(
    model: Model,
    opt: Optimizer,
    data: Split,
    num_epochs: int,
    batch_size: int,
    loss_func: LossFunc,
    metric: Metric,
) -> list[Epoch]:
    train_x, train_y, valid_x, valid_y = data
    history = []
    for epoch in range(num_epochs):
        losses = [
            train_step(model, loss_func, opt, train_x[idx], train_y[idx]).item()
            for idx in torch.randperm(len(train_x)).split(batch_size)
        ]
        with torch.no_grad():
            accuracy = metric(model(valid_x), valid_y).item()
        history.append(Epoch(epoch, sum(losses) / len(losses), accuracy))
    return history


def train(
    net: nn.Module,
    data: Split,
    lr: float,
    num_epochs: int = 40,
    batch_size: int = 64,
    loss_func: LossFunc = mnist_loss,
    metric: Metric = batch_accuracy,
) -> list[Epoch]:
    """Train with torch's SGD, shuffling with torch's global generator."""
    _check(lr, num_epochs, batch_size)
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    return _train_model(net, opt, data, num_epochs, batch_size, loss_func, metric)


def train_linear1(
    weights: torch.Tensor,
    bias: torch.Tensor,
    data: Split,
    lr: float = 1.0,
    num_epochs: int = 20,
    batch_size: int = 256,
) -> list[Epoch]:
    """Train `linear1`'s parameters in place with the chapter's `BasicOptim`."""
    _check(lr, num_epochs, batch_size)

    def model(xb: torch.Tensor) -> torch.Tensor:
        return linear1(xb, weights, bias)

    opt = BasicOptim([weights, bias], lr)
    return _train_model(
        model, opt, data, num_epochs, batch_size, mnist_loss, batch_accuracy
    )
