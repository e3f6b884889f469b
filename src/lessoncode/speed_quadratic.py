"""The chapter's "speed" quadratic: the model, its SGD step, and what limits it."""

from __future__ import annotations

from collections.abc import Callable

import torch

from lessoncode.training import BasicOptim, Optimizer, train_step


def _check(time: torch.Tensor, speed: torch.Tensor | None = None) -> None:
    if time.dim() != 1 or (speed is not None and speed.shape != time.shape):
        shapes = f"time {tuple(time.shape)}" + (
            f" and speed {tuple(speed.shape)}" if speed is not None else ""
        )
        raise ValueError(
            f"expected 1-d time and speed of the same length; got {shapes}"
        )


def f(t: torch.Tensor, params: torch.Tensor) -> torch.Tensor:
    """The chapter's model: a*t**2 + b*t + c."""
    a, b, c = params
    return a * (t**2) + (b * t) + c


def mse(preds: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Mean squared error, as in the chapter."""
    return ((preds - targets) ** 2).mean()


def apply_step(
    params: torch.Tensor, time: torch.Tensor, speed: torch.Tensor, lr: float
) -> torch.Tensor:
    """One step of the chapter's gradient descent on `params`, in place; the loss."""

    def model(t: torch.Tensor) -> torch.Tensor:
        return f(t, params)

    return train_step(model, mse, BasicOptim([params], lr), time, speed)


def features(t: torch.Tensor) -> torch.Tensor:
    """The columns t**2, t and 1: the model is `features(t) @ params`."""
    _check(t)
    return torch.stack([t**2, t, torch.ones_like(t)], dim=1)


def least_squares(time: torch.Tensor, speed: torch.Tensor) -> torch.Tensor:
    """The (a, b, c) with the lowest MSE on the data, from `torch.linalg.lstsq`."""
    _check(time, speed)
    X = features(time).double()
    # gelsd (by SVD): the CPU default, gelsy, can differ in its last bits from one
    # call to the next, and a figure drawn from it with them.
    solution = torch.linalg.lstsq(X, speed.double().unsqueeze(1), driver="gelsd")
    return solution.solution.flatten()


def hessian(time: torch.Tensor) -> torch.Tensor:
    """The Hessian of the MSE in (a, b, c): 2/n X^T X, the same at every point."""
    X = features(time).double()
    return 2 / len(time) * X.T @ X


def _errors(
    params: torch.Tensor,
    time: torch.Tensor,
    speed: torch.Tensor,
    lr: float,
    steps: torch.Tensor,
    momentum: float,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """The error along each Hessian eigenvector after each number of steps."""
    if steps.dim() != 1 or steps.is_floating_point() or bool((steps < 0).any()):
        raise ValueError(f"steps must be a 1-d tensor of ints >= 0, got {steps!r}")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
    best = least_squares(time, speed)
    eigenvalues, vectors = torch.linalg.eigh(hessian(time))
    error = vectors.T @ (params.detach().double() - best)
    # PyTorch's SGD: e[k+1] = (1 + m - lr*h) e[k] - m e[k-1], with e[-1] = e[0].
    # (e[k], e[k-1]) = M**k (e[0], e[0]), M taken to each power by squaring.
    M = torch.zeros(len(eigenvalues), 2, 2, dtype=torch.float64)
    M[:, 0, 0], M[:, 0, 1], M[:, 1, 0] = 1 + momentum - lr * eigenvalues, -momentum, 1
    power = torch.eye(2, dtype=torch.float64).expand(len(steps), len(M), 2, 2)
    remaining = steps.clone()
    while bool((remaining > 0).any()):
        odd = (remaining % 2 == 1).view(-1, 1, 1, 1)
        power = torch.where(odd, power @ M, power)
        M, remaining = M @ M, remaining // 2
    return best, eigenvalues, vectors, power[..., 0, :].sum(dim=-1) * error


def gd_losses(
    params: torch.Tensor,
    time: torch.Tensor,
    speed: torch.Tensor,
    lr: float,
    steps: torch.Tensor,
    momentum: float = 0.0,
) -> torch.Tensor:
    """The exact loss after each number of gradient-descent steps (float64).

    On a quadratic, a step moves the error along each of the Hessian's eigenvectors
    on its own: plain steps multiply it by (1 - lr * eigenvalue); with PyTorch's
    momentum it follows a two-term recurrence. Either way, the loss after k steps
    has a closed form.
    """
    best, eigenvalues, _, errors = _errors(params, time, speed, lr, steps, momentum)
    floor = mse(features(time).double() @ best, speed.double())
    return floor + 0.5 * (errors**2 * eigenvalues).sum(dim=1)


def steps_to_reach(
    make_optimizer: Callable[[list[torch.Tensor]], Optimizer],
    params: torch.Tensor,
    X: torch.Tensor,
    speed: torch.Tensor,
    target: float,
    max_steps: int = 50_000,
) -> int | None:
    """How many optimizer steps from `params` bring the MSE of `X @ p` to `target`."""
    p = params.detach().clone().requires_grad_()
    optimizer = make_optimizer([p])

    def model(x: torch.Tensor) -> torch.Tensor:
        return x @ p

    for step in range(max_steps + 1):
        # train_step returns the loss before its update: `step` updates reached it.
        if train_step(model, mse, optimizer, X, speed).item() <= target:
            return step
    return None


def standardise(t: torch.Tensor) -> tuple[torch.Tensor, float, float]:
    """t rescaled to mean 0 and standard deviation 1, with the mean and std used."""
    _check(t)
    mean, std = t.mean().item(), t.std().item()
    return (t - mean) / std, mean, std


def unstandardise(params: torch.Tensor, mean: float, std: float) -> torch.Tensor:
    """(a, b, c) in t from the (A, B, C) of a fit in u = (t - mean) / std."""
    A, B, C = params
    a = A / std**2
    b = B / std - 2 * A * mean / std**2
    c = C - B * mean / std + A * mean**2 / std**2
    return torch.stack([a, b, c])


def gd_params(
    params: torch.Tensor,
    time: torch.Tensor,
    speed: torch.Tensor,
    lr: float,
    steps: int,
    momentum: float = 0.0,
) -> torch.Tensor:
    """The exact (a, b, c) after `steps` gradient-descent steps (float64)."""
    if not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps must be an int >= 0, got {steps!r}")
    best, _, vectors, errors = _errors(
        params, time, speed, lr, torch.tensor([steps]), momentum
    )
    return best + vectors @ errors[0]


def first_reach(
    make_optimizer: Callable[[list[torch.Tensor]], Optimizer],
    starts: torch.Tensor,
    X: torch.Tensor,
    speeds: torch.Tensor,
    targets: torch.Tensor,
    max_steps: int = 50_000,
) -> tuple[list[int | None], torch.Tensor]:
    """Steps until each data set's MSE reaches its target, and its (a, b, c) then.

    Row i of `starts` (s, 3) fits row i of `speeds` (s, n) with `X @ p`; one optimizer
    steps all rows together, and each row's gradient depends on that row only.
    """
    if starts.dim() != 2 or speeds.shape != (len(starts), len(X)):
        raise ValueError(
            f"expected starts (s, 3) and speeds (s, {len(X)}); got starts "
            f"{tuple(starts.shape)} and speeds {tuple(speeds.shape)}"
        )
    p = starts.detach().clone().requires_grad_()
    optimizer = make_optimizer([p])
    steps: list[int | None] = [None] * len(starts)
    reached = starts.detach().clone()
    for step in range(max_steps + 1):
        losses = ((p @ X.T - speeds) ** 2).mean(dim=1)
        for i in (losses <= targets).nonzero().flatten().tolist():
            if steps[i] is None:
                steps[i], reached[i] = step, p.detach()[i]
        if None not in steps:
            break
        losses.sum().backward()
        optimizer.step()
        optimizer.zero_grad()
    return steps, reached
