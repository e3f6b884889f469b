import pytest
import torch

from lessoncode.linear import batch_accuracy, init_params, linear1, mnist_loss


def test_init_params_records_gradients_and_follows_the_seed():
    torch.manual_seed(0)
    first = init_params((3, 2))
    torch.manual_seed(0)
    assert first.requires_grad and torch.equal(first, init_params((3, 2)))


def test_linear1_matches_nn_linear():
    torch.manual_seed(0)
    xb, weights, bias = torch.randn(5, 4), torch.randn(4, 3), torch.randn(3)
    layer = torch.nn.Linear(4, 3)
    with torch.no_grad():
        layer.weight.copy_(weights.T)
        layer.bias.copy_(bias)
        assert torch.allclose(linear1(xb, weights, bias), layer(xb), atol=1e-6)


@pytest.mark.parametrize(
    "shapes, message",
    [
        (((5, 4), (3, 1), (1,)), "expected xb"),
        (((5, 4), (4, 2), (3,)), "bias of shape"),
    ],
)
def test_linear1_rejects_mismatched_shapes(shapes, message):
    xb, weights, bias = (torch.zeros(s) for s in shapes)
    with pytest.raises(ValueError, match=message):
        linear1(xb, weights, bias)


def test_mnist_loss_by_hand():
    scores = torch.tensor([[0.0], [2.0], [-1.0]])
    targets = torch.tensor([[1.0], [0.0], [1.0]])
    p = torch.sigmoid(scores)
    by_hand = ((1 - p[0]) + p[1] + (1 - p[2])) / 3
    assert torch.allclose(mnist_loss(scores, targets), by_hand)


def test_mnist_loss_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="same shape"):
        mnist_loss(torch.zeros(3, 1), torch.zeros(3))


def test_batch_accuracy_counts_the_side_of_zero():
    scores = torch.tensor([[1.0], [-2.0], [0.5], [-0.1]])
    targets = torch.tensor([[1.0], [0.0], [0.0], [0.0]])
    assert batch_accuracy(scores, targets) == 0.75
