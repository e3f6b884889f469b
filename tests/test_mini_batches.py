import pytest
import torch
import torch.nn.functional as F
from torch import nn

from lessoncode.data import Split
from lessoncode.mini_batches import fit


def tiny_split() -> Split:
    x = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0], [2.0, 0.0]])
    y = torch.tensor([[1.0], [0.0], [1.0], [0.0], [1.0]])
    return Split(x, y, x, y)


@pytest.mark.parametrize(("batch_size", "updates"), [(1, 5), (2, 3), (5, 1), (9, 1)])
def test_one_loss_per_batch(batch_size, updates):
    losses = fit(nn.Linear(2, 1), tiny_split(), 0.1, 2, batch_size)
    assert len(losses) == 2 * updates


def test_whole_batch_loss_is_the_loss_on_all_of_the_data():
    torch.manual_seed(0)
    model = nn.Linear(2, 1)
    data = tiny_split()
    with torch.no_grad():
        before = model(data.train_x).sigmoid()
    expected = torch.where(data.train_y == 1, 1 - before, before).mean().item()
    assert fit(model, data, 0.1, 1, 5)[0] == pytest.approx(expected)


def test_without_shuffling_the_batches_come_in_order():
    data = tiny_split()
    runs = []
    for seed in [0, 1]:
        torch.manual_seed(seed)
        model = nn.Linear(2, 1)
        with torch.no_grad():
            model.weight.zero_()
            model.bias.zero_()
        runs.append(fit(model, data, 0.1, 1, 2, shuffle=False))
    assert runs[0] == runs[1]


def test_the_loss_function_can_be_chosen():
    torch.manual_seed(0)
    model = nn.Linear(2, 1)
    data = tiny_split()
    bce = F.binary_cross_entropy_with_logits
    with torch.no_grad():
        expected = bce(model(data.train_x), data.train_y).item()
    losses = fit(model, data, 0.1, 1, 5, loss_func=bce)
    assert losses[0] == pytest.approx(expected)


def test_the_parameters_move():
    torch.manual_seed(0)
    model = nn.Linear(2, 1)
    before = model.weight.detach().clone()
    fit(model, tiny_split(), 0.5, 1, 1)
    assert not torch.equal(before, model.weight)


@pytest.mark.parametrize("kwargs", [{"lr": 0}, {"num_epochs": 0}, {"batch_size": 0}])
def test_bad_arguments_are_refused(kwargs):
    args = {"lr": 0.1, "num_epochs": 1, "batch_size": 1} | kwargs
    with pytest.raises(ValueError, match="expected lr > 0"):
        fit(nn.Linear(2, 1), tiny_split(), **args)
