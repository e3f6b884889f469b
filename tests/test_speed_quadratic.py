import pytest
import torch

from lessoncode import speed_quadratic as sq


@pytest.fixture
def chapter_data():
    torch.manual_seed(42)
    time = torch.arange(0, 20).float()
    speed = torch.randn(20) * 3 + 0.75 * (time - 9.5) ** 2 + 1
    return time, speed, torch.randn(3)


def test_least_squares_solves_the_normal_equations(chapter_data):
    time, speed, _ = chapter_data
    X = sq.features(time).double()
    normal = torch.linalg.solve(X.T @ X, X.T @ speed.double())
    assert torch.allclose(sq.least_squares(time, speed), normal, rtol=1e-8)


def test_hessian_matches_autograd(chapter_data):
    time, speed, params = chapter_data
    by_autograd = torch.autograd.functional.hessian(
        lambda p: sq.mse(sq.f(time.double(), p), speed.double()), params.double()
    )
    assert torch.allclose(sq.hessian(time), by_autograd)


def test_closed_form_losses_match_apply_step(chapter_data):
    time, speed, params = chapter_data
    p = params.clone().double().requires_grad_()
    stepped = [sq.apply_step(p, time.double(), speed.double(), 1e-5) for _ in range(50)]
    exact = sq.gd_losses(params, time, speed, 1e-5, torch.arange(50))
    assert torch.allclose(torch.stack(stepped), exact, rtol=1e-9)


def test_the_standardised_fit_reaches_the_optimum(chapter_data):
    time, speed, params = chapter_data
    u, mean, std = sq.standardise(time)
    best = sq.least_squares(time, speed)
    floor = sq.mse(sq.features(time).double() @ best, speed.double()).item()
    X = sq.features(u)
    p = params.clone().requires_grad_()
    optimizer = torch.optim.SGD([p], lr=0.2)
    for _ in range(500):
        sq.mse(X @ p, speed).backward()
        optimizer.step()
        optimizer.zero_grad()
    fitted = sq.unstandardise(p.detach().double(), mean, std)
    assert torch.allclose(fitted, best, rtol=1e-3)
    count = sq.steps_to_reach(
        lambda ps: torch.optim.SGD(ps, lr=0.2), params, X, speed, 1.01 * floor
    )
    assert count is not None and count < 500


def test_steps_to_reach_gives_up(chapter_data):
    time, speed, params = chapter_data
    X = sq.features(time)
    slow = sq.steps_to_reach(
        lambda ps: torch.optim.SGD(ps, lr=1e-5), params, X, speed, 1.0, max_steps=10
    )
    assert slow is None


def test_bad_shapes_say_what_was_expected():
    with pytest.raises(ValueError, match="expected 1-d time and speed"):
        sq.least_squares(torch.zeros(5), torch.zeros(4))
    with pytest.raises(ValueError, match="expected 1-d time"):
        sq.features(torch.zeros(5, 1))


def test_gd_params_match_apply_step(chapter_data):
    time, speed, params = chapter_data
    p = params.clone().double().requires_grad_()
    for _ in range(50):
        sq.apply_step(p, time.double(), speed.double(), 1e-5)
    exact = sq.gd_params(params, time, speed, 1e-5, 50)
    assert torch.allclose(p.detach(), exact, rtol=1e-9)
    with pytest.raises(ValueError, match="steps must be an int"):
        sq.gd_params(params, time, speed, 1e-5, -1)


def test_first_reach_matches_one_data_set_at_a_time(chapter_data):
    time, speed, params = chapter_data
    u, _, _ = sq.standardise(time)
    X = sq.features(u).double()
    speeds = torch.stack([speed, speed.flip(0) + 5]).double()
    starts = torch.stack([params, -params]).double()
    floors = torch.stack([sq.least_squares(u, s) for s in speeds])
    targets = 1.01 * ((floors @ X.T - speeds) ** 2).mean(dim=1)
    counts, reached = sq.first_reach(
        lambda ps: torch.optim.SGD(ps, lr=0.2), starts, X, speeds, targets
    )
    for i in range(2):
        one = sq.steps_to_reach(
            lambda ps: torch.optim.SGD(ps, lr=0.2),
            starts[i],
            X,
            speeds[i],
            targets[i].item(),
        )
        assert counts[i] == one
        assert sq.mse(X @ reached[i], speeds[i]) <= targets[i]
    with pytest.raises(ValueError, match="expected starts"):
        sq.first_reach(torch.optim.SGD, params, X, speed, targets)


def test_closed_form_with_momentum_matches_torch_sgd(chapter_data):
    time, speed, params = chapter_data
    p = params.clone().double().requires_grad_()
    optimizer = torch.optim.SGD([p], lr=1e-5, momentum=0.9)
    stepped = []
    for _ in range(60):
        loss = sq.mse(sq.f(time.double(), p), speed.double())
        stepped.append(loss.detach())
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    exact = sq.gd_losses(params, time, speed, 1e-5, torch.arange(60), momentum=0.9)
    assert torch.allclose(torch.stack(stepped), exact, rtol=1e-9)
    reached = sq.gd_params(params, time, speed, 1e-5, 60, momentum=0.9)
    assert torch.allclose(p.detach(), reached, rtol=1e-9)


def test_closed_form_rejects_bad_steps_and_momentum(chapter_data):
    time, speed, params = chapter_data
    with pytest.raises(ValueError, match="steps must be a 1-d tensor of ints"):
        sq.gd_losses(params, time, speed, 1e-5, torch.tensor([1.5]))
    with pytest.raises(ValueError, match="steps must be a 1-d tensor of ints"):
        sq.gd_losses(params, time, speed, 1e-5, torch.tensor([-1]))
    with pytest.raises(ValueError, match="momentum must be in"):
        sq.gd_losses(params, time, speed, 1e-5, torch.arange(3), momentum=1.0)


def test_least_squares_gives_the_same_bits_every_call(chapter_data):
    time, speed, _ = chapter_data
    first = sq.least_squares(time, speed)
    assert all(torch.equal(sq.least_squares(time, speed), first) for _ in range(200))
