import pytest
import torch
import torch.nn.functional as F

from lessoncode.ten_digits import (
    confusion_matrix,
    digit_accuracy,
    linear10,
    minus_p_loss,
    most_confused,
    one_minus_p_loss,
    prob_correct,
    simple_net10,
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


def test_ten_output_nets():
    images = torch.zeros(5, 28 * 28)
    assert linear10()(images).shape == (5, 10)
    net = simple_net10(hidden=7)
    assert net(images).shape == (5, 10)
    assert [p.shape for p in net.parameters()] == [(7, 784), (7,), (10, 7), (10,)]


@pytest.mark.parametrize("hidden", [0, -3, 2.5, True])
def test_simple_net10_wants_a_positive_int(hidden):
    with pytest.raises(ValueError, match="positive int"):
        simple_net10(hidden)


def test_confusion_matrix_by_hand():
    # true 0 read as 0 twice, true 1 read as 2, true 2 read as 2 and as 0
    preds = torch.tensor([0, 0, 2, 2, 0])
    targets = torch.tensor([0, 0, 1, 2, 2])
    expected = torch.tensor([[2, 0, 0], [0, 0, 1], [1, 0, 1]])
    assert torch.equal(confusion_matrix(preds, targets, num_classes=3), expected)


def test_confusion_matrix_counts_every_example_once():
    torch.manual_seed(0)
    preds, targets = torch.randint(10, (50,)), torch.randint(10, (50,))
    counts = confusion_matrix(preds, targets)
    assert counts.shape == (10, 10) and counts.sum() == 50
    assert counts.diag().sum() == (preds == targets).sum()
    assert torch.equal(counts.sum(dim=1), torch.bincount(targets, minlength=10))


@pytest.mark.parametrize(
    "preds, targets, message",
    [
        (torch.tensor([0, 1]), torch.tensor([0]), "same shape"),
        (torch.tensor([0.0, 1.0]), torch.tensor([0, 1]), "int64"),
        (torch.tensor([[0, 1]]), torch.tensor([[0, 1]]), "same shape"),
        (torch.tensor([0, 3]), torch.tensor([0, 1]), r"in 0\.\.2"),
        (torch.tensor([0, 1]), torch.tensor([-1, 1]), r"in 0\.\.2"),
    ],
)
def test_confusion_matrix_bad_inputs(preds, targets, message):
    with pytest.raises(ValueError, match=message):
        confusion_matrix(preds, targets, num_classes=3)


def test_most_confused_by_hand():
    counts = torch.tensor([[9, 1, 4], [0, 8, 4], [2, 0, 7]])
    # ties keep row order: (0, 2) before (1, 2); zeros are left out
    assert most_confused(counts, k=3) == [(0, 2, 4), (1, 2, 4), (2, 0, 2)]
    assert most_confused(counts, k=9) == [(0, 2, 4), (1, 2, 4), (2, 0, 2), (0, 1, 1)]
    # a cell tied with the k-th largest is kept
    assert most_confused(counts, k=1) == [(0, 2, 4), (1, 2, 4)]


@pytest.mark.parametrize(
    "counts, k", [(torch.zeros(2, 3), 1), (torch.zeros(3), 1), (torch.eye(3), 0)]
)
def test_most_confused_bad_inputs(counts, k):
    with pytest.raises(ValueError, match="square confusion matrix"):
        most_confused(counts, k)
