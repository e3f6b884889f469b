import pytest
import torch
from torch import nn

from lessoncode.dead_neurons import dead_units


def hand_built_layer() -> nn.Linear:
    """Three units on two inputs: alive, dead (always negative), dead at exactly 0."""
    layer = nn.Linear(2, 3)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[1.0, 0.0], [-1.0, -1.0], [0.0, 0.0]]))
        layer.bias.copy_(torch.tensor([0.0, -0.5, 0.0]))
    return layer


def test_hand_built_dead_units():
    x = torch.tensor([[1.0, 0.0], [0.0, 2.0], [0.5, 0.5]])
    assert dead_units(hand_built_layer(), x).tolist() == [False, True, True]


def test_one_positive_example_keeps_a_unit_alive():
    layer = hand_built_layer()
    x = torch.tensor([[0.0, 0.0], [-3.0, 0.0]])
    assert dead_units(layer, x).tolist() == [True, False, True]


def test_dead_units_get_exactly_zero_gradient():
    layer = hand_built_layer()
    x = torch.tensor([[1.0, 0.0], [0.0, 2.0]])
    layer(x).relu().sum().backward()
    dead = dead_units(layer, x)
    weight_grad, bias_grad = layer.weight.grad, layer.bias.grad
    assert weight_grad is not None and bias_grad is not None
    assert torch.all(weight_grad[dead] == 0)
    assert torch.all(bias_grad[dead] == 0)
    assert weight_grad[~dead].abs().sum() > 0


def test_wrong_inputs_say_what_was_expected():
    with pytest.raises(ValueError, match=r"expected x of shape \(n, 2\)"):
        dead_units(hand_built_layer(), torch.zeros(4, 3))
    with pytest.raises(TypeError, match="nn.Linear"):
        dead_units(nn.ReLU(), torch.zeros(4, 2))  # type: ignore[arg-type]
