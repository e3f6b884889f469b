"""Why the ReLU matters: two linear layers fold into one, and a 2-D XOR toy problem."""

from __future__ import annotations

import torch
from torch import nn

from lessoncode.data import Split


def fold(first: nn.Linear, second: nn.Linear) -> nn.Linear:
    """The single layer that computes `second(first(x))`: weight W2 @ W1."""
    if not isinstance(first, nn.Linear) or not isinstance(second, nn.Linear):
        raise TypeError("expected two nn.Linear layers")
    if second.in_features != first.out_features:
        raise ValueError(
            f"second layer takes {second.in_features} inputs, but the first "
            f"gives {first.out_features}"
        )
    if first.bias is None or second.bias is None:
        raise ValueError("expected layers with a bias")
    folded = nn.Linear(first.in_features, second.out_features)
    with torch.no_grad():
        folded.weight.copy_(second.weight @ first.weight)
        folded.bias.copy_(second.weight @ first.bias + second.bias)
    return folded


def xor_points(n: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """`n` points in [-1, 1]^2, target 1 where x and y have the same sign, as (n, 1)."""
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    points = torch.rand(n, 2, generator=generator) * 2 - 1
    targets = (points[:, 0] * points[:, 1] > 0).float().unsqueeze(1)
    return points, targets


def xor_split(n_train: int, n_valid: int, seed: int) -> Split:
    """Training and validation points of the XOR toy problem from one seed."""
    generator = torch.Generator().manual_seed(seed)
    return Split(*xor_points(n_train, generator), *xor_points(n_valid, generator))
