import pytest
import torch

from lessoncode.accuracy_as_loss import error_rate
from lessoncode.linear import batch_accuracy

SCORES = torch.tensor([[2.0], [-1.0], [0.5], [-3.0]])
TARGETS = torch.tensor([[1.0], [1.0], [0.0], [0.0]])


def test_error_rate_is_one_minus_accuracy():
    assert error_rate(SCORES, TARGETS) == 1 - batch_accuracy(SCORES, TARGETS)
    assert error_rate(SCORES, TARGETS) == 0.5


def test_error_rate_has_a_zero_gradient():
    scores = SCORES.clone().requires_grad_()
    error_rate(scores, TARGETS).backward()
    assert scores.grad is not None
    assert torch.equal(scores.grad, torch.zeros_like(SCORES))


def test_error_rate_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="same shape"):
        error_rate(SCORES, TARGETS.flatten())
