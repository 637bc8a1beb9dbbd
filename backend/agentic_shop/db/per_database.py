"""Facts read from the catalog that may be a few minutes old (its words, its brands): read at most once
per `ttl_s` in each process, for each database the process talks to."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection

T = TypeVar("T")


def cached_per_database(ttl_s: float) -> Callable[[Callable[[Connection], T]], Callable[[Connection], T]]:
    def decorate(read: Callable[[Connection], T]) -> Callable[[Connection], T]:
        cache: dict[str, tuple[float, T]] = {}

        @functools.wraps(read)
        def cached(connection: Connection) -> T:
            database, now = str(connection.engine.url), time.monotonic()
            hit = cache.get(database)
            if hit is None or now - hit[0] >= ttl_s:
                hit = cache[database] = (now, read(connection))
            return hit[1]

        return cached

    return decorate
