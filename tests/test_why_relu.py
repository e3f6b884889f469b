import pytest
import torch
from torch import nn

from lessoncode.why_relu import fold, xor_points, xor_split


def test_fold_gives_the_same_outputs_as_the_two_layers():
    torch.manual_seed(0)
    first, second = nn.Linear(5, 4), nn.Linear(4, 3)
    x = torch.randn(10, 5)
    folded = fold(first, second)
    assert (folded.in_features, folded.out_features) == (5, 3)
    with torch.no_grad():
        assert torch.allclose(folded(x), second(first(x)), atol=1e-6)


def test_fold_refuses_layers_that_do_not_chain():
    with pytest.raises(ValueError, match="takes 3 inputs, but the first gives 4"):
        fold(nn.Linear(5, 4), nn.Linear(3, 1))


def test_fold_refuses_other_modules():
    with pytest.raises(TypeError, match="two nn.Linear"):
        fold(nn.Linear(5, 4), nn.ReLU())  # type: ignore[arg-type]


def test_fold_refuses_layers_without_bias():
    with pytest.raises(ValueError, match="bias"):
        fold(nn.Linear(5, 4, bias=False), nn.Linear(4, 1))


def test_xor_targets_follow_the_signs():
    x, y = xor_points(1000, torch.Generator().manual_seed(0))
    assert x.shape == (1000, 2) and y.shape == (1000, 1)
    assert x.min() >= -1 and x.max() <= 1
    same_sign = (x[:, 0] > 0) == (x[:, 1] > 0)
    assert torch.equal(y[:, 0].bool(), same_sign)
    assert 0.4 < y.mean() < 0.6


def test_xor_split_is_seeded():
    a, b = xor_split(10, 5, seed=3), xor_split(10, 5, seed=3)
    assert all(torch.equal(s, t) for s, t in zip(a, b, strict=True))
    assert a.train_x.shape == (10, 2) and a.valid_x.shape == (5, 2)
    assert not torch.equal(a.train_x, xor_split(10, 5, seed=4).train_x)


def test_xor_points_refuses_a_bad_count():
    with pytest.raises(ValueError, match="positive int"):
        xor_points(0, torch.Generator())
