"""Read ahead in a background thread while the database stores what was read before.

Reading and checking a batch (Arrow, the CSV parser) and storing one (the database driver, which
lets go of the interpreter while the database works) can use the two halves of a two-core
machine at once. The thread never touches the database: it only produces items."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar, cast

T = TypeVar("T")

_DONE = object()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def prefetched(items: Iterator[T], *, ahead: int = 1) -> Iterator[T]:
    """The items of `items` in order, each produced in a thread while the caller uses the one
    before; at most `ahead` wait in between, so memory stays bounded. An error raised while
    producing is raised here, at the item it stopped; a caller that stops early stops the thread."""
    waiting: queue.Queue[object] = queue.Queue(maxsize=ahead)
    stop = threading.Event()

    def hand_over(item: object) -> bool:
        while not stop.is_set():
            try:
                waiting.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not hand_over(item):
                    return
        except BaseException as exc:  # handed to the consumer, which raises it
            hand_over(_Failed(exc))
            return
        hand_over(_DONE)

    thread = threading.Thread(target=produce, name="msm-import-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = waiting.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield cast(T, item)
    finally:
        stop.set()
        thread.join()
