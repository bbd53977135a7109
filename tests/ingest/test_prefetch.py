"""Reading ahead in a thread: the same items in the same order, errors where they happened,
and no thread left behind when the reader stops early."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from membersuccess.ingest.prefetch import prefetched


def _read_ahead_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "msm-import-read-ahead"]


def test_items_arrive_in_order():
    assert list(prefetched(iter(range(50)), ahead=2)) == list(range(50))
    assert list(prefetched(iter([]))) == []
    assert not _read_ahead_threads()


def test_items_are_produced_while_the_previous_one_is_used():
    produced: list[int] = []

    def items() -> Iterator[int]:
        for n in range(3):
            produced.append(n)
            yield n

    reading = prefetched(items(), ahead=1)
    assert next(reading) == 0
    # While item 0 is in use, item 1 waits and item 2 is being (or has been) made, not more.
    for _ in range(200):
        if len(produced) == 3:
            break
        threading.Event().wait(0.01)
    assert produced == [0, 1, 2]
    assert list(reading) == [1, 2]


def test_an_error_while_reading_is_raised_at_the_item_it_stopped():
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("line 3 cannot be read")

    got: list[int] = []
    with pytest.raises(ValueError, match="line 3 cannot be read"):
        for item in prefetched(items()):
            got.append(item)
    assert got == [1, 2]
    assert not _read_ahead_threads()


def test_stopping_early_stops_the_thread():
    endless = iter(int, 1)  # 0, 0, 0, ... forever
    reading = prefetched(endless, ahead=1)
    assert next(reading) == 0
    reading.close()
    assert not _read_ahead_threads()
