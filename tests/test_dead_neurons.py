import pytest
import torch
from torch import nn

from lessoncode.data import Split
from lessoncode.dead_neurons import dead_units, output_slope, train_counting_dead
from lessoncode.linear import mnist_loss
from lessoncode.training import LossFunc, simple_net, train


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


def tiny_split() -> Split:
    torch.manual_seed(0)
    x = torch.rand(32, 4)
    y = (x[:, :1] > 0.5).float()
    return Split(x, y, x[:8], y[:8])


def test_counting_dead_trains_as_one_call_of_train():
    data = tiny_split()
    nets = []
    for _ in range(2):
        torch.manual_seed(1)
        nets.append(simple_net(hidden=5))
        nets[-1][0] = nn.Linear(4, 5)
    torch.manual_seed(2)
    history = train_counting_dead(nets[0], data, lr=5.0, num_epochs=3)
    torch.manual_seed(2)
    train(nets[1], data, lr=5.0, num_epochs=3)
    for a, b in zip(nets[0].parameters(), nets[1].parameters(), strict=True):
        assert torch.equal(a, b)
    assert len(history) == 3
    first = nets[0][0]
    assert isinstance(first, nn.Linear)
    assert history[-1].dead == int(dead_units(first, data.train_x).sum())
    assert history[-1].slope == output_slope(nets[0], data.train_x)


def test_counting_dead_trains_with_the_loss_it_is_given():
    data = tiny_split()

    def bce(scores: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.binary_cross_entropy_with_logits(scores, targets)

    def trained(counting: bool, loss_func: LossFunc) -> torch.Tensor:
        torch.manual_seed(1)
        net = nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 1))
        torch.manual_seed(2)
        if counting:
            train_counting_dead(net, data, lr=1.0, num_epochs=2, loss_func=loss_func)
        else:
            train(net, data, lr=1.0, num_epochs=2, loss_func=loss_func)
        return torch.cat([p.detach().flatten() for p in net.parameters()])

    with_bce = trained(True, bce)
    assert torch.equal(with_bce, trained(False, bce))
    assert not torch.equal(with_bce, trained(True, mnist_loss))


def test_output_slope_is_largest_at_a_score_of_zero():
    net = nn.Linear(1, 1)
    with torch.no_grad():
        net.weight.fill_(1.0)
        net.bias.fill_(0.0)
    assert output_slope(net, torch.tensor([[0.0], [3.0]])) == 0.25
    assert output_slope(net, torch.tensor([[40.0], [-40.0]])) < 1e-16


def test_output_slope_needs_one_score_per_row():
    with pytest.raises(ValueError, match="one score per row"):
        output_slope(nn.Linear(2, 3), torch.zeros(4, 2))


def test_counting_dead_needs_a_linear_first_layer():
    with pytest.raises(TypeError, match="first layer is nn.Linear"):
        train_counting_dead(nn.Sequential(nn.ReLU()), tiny_split(), 0.1, 1)
