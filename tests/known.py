"""What a test has made sure of, told to the type checker: a value the code types as
optional (a portfolio's database, a criterion looked up by id) that the test set up."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def present(value: T | None) -> T:
    """``value``, which the test arranged to be there; the test fails where it is not."""
    assert value is not None
    return value
