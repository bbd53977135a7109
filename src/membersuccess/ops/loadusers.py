"""The browsing side of `msm bench load`: signed-in users reading pages over HTTP, every answer timed and checked."""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

LOCKED = b"database is locked"
# What a person browsing does, with how often: the member 360 page most, then the lists.
PAGE_MIX: tuple[tuple[str, int], ...] = (("member page", 5), ("members list", 3), ("home", 1), ("portfolio", 1))
MEMBER_FILTERS = ("", "vector_status=off_track", "vector_status=drifting", "status=active", "q=an")


@dataclass
class Observation:
    kind: str
    seconds: float
    error: str | None  # None when the page came back whole, with 200
    locked: bool


@dataclass
class Tally:
    """Everything the users saw; appended to by every user thread."""

    observations: list[Observation] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, observation: Observation) -> None:
        with self.lock:
            self.observations.append(observation)


def page_path(kind: str, *, member_ids: Sequence[int], rng: random.Random) -> str:
    if kind == "member page":
        return f"/members/{rng.choice(member_ids)}/"
    if kind == "members list":
        query = rng.choice(MEMBER_FILTERS)
        page = rng.randint(1, 20)
        return f"/members/?{query + '&' if query else ''}page={page}"
    if kind == "portfolio":
        return "/portfolio/"
    return "/"


class BrowsingUser(threading.Thread):
    """One signed-in person clicking through pages, one after another, until told to stop."""

    def __init__(
        self,
        *,
        number: int,
        host: str,
        port: int,
        cookie: str,
        member_ids: Sequence[int],
        tally: Tally,
        stop: threading.Event,
        think_seconds: float,
    ) -> None:
        super().__init__(name=f"load-user-{number}", daemon=True)
        self.host, self.port, self.cookie = host, port, cookie
        self.member_ids = member_ids
        self.tally, self.stop = tally, stop
        self.think_seconds = think_seconds
        self.rng = random.Random(number)
        self.kinds = [kind for kind, weight in PAGE_MIX for _ in range(weight)]

    def run(self) -> None:
        connection: http.client.HTTPConnection | None = None
        while not self.stop.is_set():
            kind = self.rng.choice(self.kinds)
            path = page_path(kind, member_ids=self.member_ids, rng=self.rng)
            if connection is None:
                connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Cookie": self.cookie, "Connection": "keep-alive"})
                response = connection.getresponse()
                body = response.read()
                seconds = time.perf_counter() - started
                error = None if response.status == 200 else f"HTTP {response.status} on {path}"
                if response.status in (301, 302) and "/login" in (response.getheader("Location") or ""):
                    error = f"sent to the login page from {path}"
                self.tally.add(Observation(kind, seconds, error, LOCKED in body))
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as exc:
                seconds = time.perf_counter() - started
                self.tally.add(Observation(kind, seconds, f"{type(exc).__name__} on {path}: {exc}", False))
                if connection is not None:
                    connection.close()
                connection = None
            if self.think_seconds:
                self.stop.wait(self.rng.uniform(0, 2 * self.think_seconds))
        if connection is not None:
            connection.close()
