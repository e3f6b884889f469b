"""Train in mini-batches and keep the loss of every update, to compare batch sizes."""

from __future__ import annotations

import torch
from torch import nn

from lessoncode.data import Split
from lessoncode.linear import mnist_loss
from lessoncode.training import LossFunc, train_step


def fit(
    model: nn.Module,
    data: Split,
    lr: float,
    num_epochs: int,
    batch_size: int,
    shuffle: bool = True,
    loss_func: LossFunc = mnist_loss,
) -> list[float]:
    """Train with SGD (shuffling with torch's global generator); each batch's loss."""
    if not lr > 0 or num_epochs < 1 or batch_size < 1:
        raise ValueError(
            "expected lr > 0, num_epochs >= 1 and batch_size >= 1; got "
            f"lr={lr!r}, num_epochs={num_epochs!r}, batch_size={batch_size!r}"
        )
    train_x, train_y = data.train_x, data.train_y
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(num_epochs):
        n = len(train_x)
        order = torch.randperm(n) if shuffle else torch.arange(n)
        for idx in order.split(batch_size):
            loss = train_step(model, loss_func, opt, train_x[idx], train_y[idx])
            losses.append(loss.item())
    return losses
