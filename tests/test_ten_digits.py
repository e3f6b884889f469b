import pytest
import torch
import torch.nn.functional as F

from lessoncode.ten_digits import (
    digit_accuracy,
    minus_p_loss,
    one_minus_p_loss,
    prob_correct,
)

ACTS = torch.tensor([[2.0, 0.0, 0.0], [0.0, 1.0, 3.0]])
TARGETS = torch.tensor([0, 1])


def test_prob_correct_by_hand():
    e = torch.e
    expected = torch.tensor([e**2 / (e**2 + 2), e / (1 + e + e**3)])
    assert torch.allclose(prob_correct(ACTS, TARGETS), expected)


def test_minus_p_is_nll_loss_on_softmax():
    assert torch.allclose(
        minus_p_loss(ACTS, TARGETS), F.nll_loss(ACTS.softmax(1), TARGETS)
    )


def test_one_minus_p_and_minus_p_have_the_same_gradient():
    grads = []
    for loss_func in (one_minus_p_loss, minus_p_loss):
        acts = ACTS.clone().requires_grad_()
        loss_func(acts, TARGETS).backward()
        assert acts.grad is not None
        grads.append(acts.grad)
    assert torch.equal(*grads)
    assert one_minus_p_loss(ACTS, TARGETS) == pytest.approx(
        1 + minus_p_loss(ACTS, TARGETS).item()
    )


def test_digit_accuracy():
    assert digit_accuracy(ACTS, TARGETS) == 0.5


@pytest.mark.parametrize(
    "acts, targets, message",
    [
        (ACTS[0], TARGETS, "expected activations"),
        (ACTS, TARGETS.float(), "class indices"),
        (ACTS, torch.tensor([0]), "expected activations"),
    ],
)
def test_bad_inputs_say_what_was_expected(acts, targets, message):
    with pytest.raises(ValueError, match=message):
        prob_correct(acts, targets)
