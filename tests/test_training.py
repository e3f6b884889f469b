import pytest
import torch

from lessoncode.data import threes_and_sevens
from lessoncode.training import (
    BasicOptim,
    simple_net,
    train,
    train_linear1,
    train_step,
)


def test_simple_net_shapes():
    net = simple_net(hidden=7)
    assert net(torch.zeros(5, 784)).shape == (5, 1)
    assert net[0].out_features == 7


def test_same_seed_same_weights_and_history():
    runs = []
    for _ in range(2):
        torch.manual_seed(3)
        net = simple_net()
        history = train(net, threes_and_sevens(), lr=0.1, num_epochs=2)
        runs.append((net.state_dict()["0.weight"].clone(), history))
    assert torch.equal(runs[0][0], runs[1][0])
    assert runs[0][1] == runs[1][1]


def test_training_learns():
    torch.manual_seed(0)
    history = train(simple_net(), threes_and_sevens(), lr=0.1, num_epochs=5)
    assert history[-1].loss < history[0].loss
    assert history[-1].valid_accuracy > 0.9


@pytest.mark.parametrize(
    "kwargs", [{"lr": 0}, {"lr": 0.1, "num_epochs": 0}, {"lr": 0.1, "batch_size": 0}]
)
def test_bad_settings_say_what_was_expected(kwargs):
    with pytest.raises(ValueError, match="expected lr > 0"):
        train(simple_net(), threes_and_sevens(), **kwargs)


def test_bad_width():
    with pytest.raises(ValueError, match="positive int"):
        simple_net(hidden=0)


def test_train_linear1_follows_the_chapter_and_the_seed():
    from lessoncode.linear import init_params

    runs = []
    for _ in range(2):
        torch.manual_seed(1)
        weights, bias = init_params((784, 1)), init_params(1)
        history = train_linear1(weights, bias, threes_and_sevens(), num_epochs=3)
        runs.append((weights.detach().clone(), history))
    assert torch.equal(runs[0][0], runs[1][0]) and runs[0][1] == runs[1][1]
    assert runs[0][1][-1].loss < runs[0][1][0].loss


def test_train_with_another_loss_and_metric():
    import torch.nn.functional as F

    from lessoncode.data import digits
    from lessoncode.ten_digits import digit_accuracy

    torch.manual_seed(0)
    history = train(
        torch.nn.Linear(784, 10),
        digits(),
        lr=0.1,
        num_epochs=2,
        loss_func=F.cross_entropy,
        metric=digit_accuracy,
    )
    assert history[-1].valid_accuracy > 0.7


def test_basic_optim_is_the_chapters_step():
    p = torch.tensor([1.0, -2.0], requires_grad=True)
    (3 * p).sum().backward()
    opt = BasicOptim([p], lr=0.5)
    opt.step()
    assert p.tolist() == [-0.5, -3.5]
    opt.zero_grad()
    assert p.grad is None
    with pytest.raises(ValueError, match="no gradient"):
        opt.step()


def test_train_step_returns_the_loss_before_its_update():
    p = torch.tensor([2.0], requires_grad=True)

    def model(x: torch.Tensor) -> torch.Tensor:
        return x * p

    def loss_func(preds: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return ((preds - y) ** 2).mean()

    x, y = torch.tensor([1.0]), torch.tensor([0.0])
    opt = torch.optim.SGD([p], lr=0.25)
    assert train_step(model, loss_func, opt, x, y).item() == 4.0
    assert p.item() == 1.0 and p.grad is None
    assert train_step(model, loss_func, opt, x, y).item() == 1.0
