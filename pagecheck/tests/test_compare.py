import pytest

from pagecheck.compare import diff, last_digit, outputs_match


@pytest.mark.parametrize(
    "shown, fresh",
    [
        ("loss 0.1234", "loss 0.1235"),  # one unit in the last digit: rounding noise
        ("tensor([ 0.9697, -0.2742])", "tensor([ 0.9697, -0.2741])"),
        ("1.000e-05", "1.001e-05"),
        ("0.12345678901", "0.12345678902"),  # full precision: 1e-5 relative
        ("a  \nb\n\n", "a\nb"),  # trailing spaces and blank lines
    ],
)
def test_noise_passes(shown, fresh):
    assert outputs_match(shown, fresh)


@pytest.mark.parametrize(
    "shown, fresh",
    [
        ("loss 0.1234", "loss 0.1236"),  # two units
        ("dead units: 7", "dead units: 8"),  # integers are exact
        ("(4, 784)", "(4, 785)"),
        ("accuracy 0.97", "accuracy  0.97"),  # text is exact
        ("True", "False"),
        ("0.5", "0.5 0.5"),
        (None, "something"),
        ("1.0e-05", "1.2e-05"),
    ],
)
def test_real_changes_fail(shown, fresh):
    assert not outputs_match(shown, fresh)


def test_last_digit():
    assert last_digit("0.1234") == pytest.approx(1e-4)
    assert last_digit("12") == 1
    assert last_digit("1.5e-03") == pytest.approx(1e-4)


def test_diff_names_the_place():
    text = diff("a\nb", "a\nc", "page.md:3")
    assert "--- shown at page.md:3" in text and "-b" in text and "+c" in text


def test_a_stated_tolerance_widens_only_its_output():
    assert not outputs_match("acc 0.980", "acc 0.970")
    assert outputs_match("acc 0.980", "acc 0.970", tolerance="0.01")
    assert not outputs_match("acc 0.980", "acc 0.960", tolerance="0.01")
    assert outputs_match("moved 3.0e-06", "moved 2.0e-06", tolerance="50%")
    assert outputs_match("3 dead", "4 dead", tolerance="1")
    assert not outputs_match("acc 0.980", "loss 0.980", tolerance="1")
