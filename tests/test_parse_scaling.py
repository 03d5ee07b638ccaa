"""Reading a document takes work linear in its size (issue 13, item 9): the work is counted
(Python and C function calls made while reading), not timed; bench/parse_scaling.py times it."""
import sys

import pytest

from bench.parse_scaling import SHAPES, read

SIZE = 48 * 1024


def calls_to_read(text: str) -> int:
    count = 0

    def counter(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(counter)
    try:
        read(text)
    finally:
        sys.setprofile(None)
    return count


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_twice_the_size_is_at_most_twice_the_work(shape):
    small, large = (calls_to_read(SHAPES[shape](size)) for size in (SIZE, 2 * SIZE))
    assert large <= 2.3 * small, f"{shape}: {small:,} calls at {SIZE // 1024} KB, {large:,} at {2 * SIZE // 1024} KB"


def test_the_shapes_are_read_not_refused():
    for name, make in SHAPES.items():
        assert read(make(SIZE)).startswith("read:"), name
