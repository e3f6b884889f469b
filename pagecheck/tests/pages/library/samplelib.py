"""A stand-in for the library the sample pages use."""


def triple(x: float) -> float:
    """Three times x."""
    return 3 * x
