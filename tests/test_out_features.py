import pytest
import torch

from lessoncode.out_features import perceptron


def test_perceptron_separates_a_separable_set_exactly():
    x = torch.tensor([[0, 0], [0, 3], [2, 0], [3, 3]])
    y = torch.tensor([0, 0, 0, 1])
    rule = perceptron(x, y)
    assert torch.equal(x @ rule.weights + rule.bias > 0, y.bool())


def test_perceptron_accepts_column_targets():
    x = torch.tensor([[1], [5]])
    rule = perceptron(x, torch.tensor([[0.0], [1.0]]))
    assert (x @ rule.weights + rule.bias > 0).tolist() == [False, True]


def test_perceptron_raises_when_no_line_separates():
    xor = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    with pytest.raises(RuntimeError, match="no separating rule found in 50"):
        perceptron(xor, torch.tensor([0, 1, 1, 0]), max_epochs=50)


def test_wrong_inputs_say_what_was_expected():
    with pytest.raises(ValueError, match="integer x"):
        perceptron(torch.zeros(3, 2), torch.zeros(3))
    with pytest.raises(ValueError, match="3 targets of 0 or 1"):
        perceptron(torch.zeros(3, 2, dtype=torch.long), torch.tensor([0, 1, 2]))
