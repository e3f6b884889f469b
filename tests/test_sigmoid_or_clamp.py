import pytest
import torch

from lessoncode.linear import mnist_loss
from lessoncode.sigmoid_or_clamp import clamp_accuracy, clamp_loss

SCORES = torch.tensor([[-2.0], [0.25], [0.75], [3.0]])
TARGETS = torch.tensor([[1.0], [1.0], [0.0], [0.0]])


def test_clamp_loss_by_hand():
    # terms: 1 - 0, 1 - 0.25, 0.75, 1
    assert clamp_loss(SCORES, TARGETS).item() == pytest.approx(3.5 / 4)


def test_clamp_loss_has_no_gradient_outside_0_1():
    scores = SCORES.clone().requires_grad_()
    clamp_loss(scores, TARGETS).backward()
    assert scores.grad is not None
    assert scores.grad.flatten().tolist() == [0.0, -0.25, 0.25, 0.0]


def test_clamp_loss_equals_mnist_loss_on_saturated_sigmoids():
    big = torch.tensor([[40.0], [-40.0]])
    targets = torch.tensor([[1.0], [1.0]])
    assert clamp_loss(big, targets) == mnist_loss(big, targets)


def test_clamp_accuracy_thresholds_at_one_half():
    scores = torch.tensor([[0.4], [0.6], [0.4], [0.6]])
    targets = torch.tensor([[1.0], [1.0], [0.0], [0.0]])
    assert clamp_accuracy(scores, targets).item() == 0.5
    assert clamp_accuracy(SCORES, TARGETS).item() == 0.0


@pytest.mark.parametrize("function", [clamp_loss, clamp_accuracy])
def test_mismatched_shapes_are_refused(function):
    with pytest.raises(ValueError, match="same shape"):
        function(SCORES, TARGETS.flatten())
