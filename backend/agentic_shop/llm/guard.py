"""What keeps a slow or failing LLM from taking the shop down with it: a cap on calls in flight (a call
beyond it falls back at once instead of queueing behind a busy server) and a circuit breaker (after
several failures in a row, the endpoint is not asked again for a few seconds)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class Unavailable(RuntimeError):
    """The call was not made; the message is the shopper-facing reason."""


class Guard:
    def __init__(self, max_in_flight: int, failures_to_open: int, open_s: float) -> None:
        self._slots = threading.BoundedSemaphore(max_in_flight)
        self._failures_to_open = failures_to_open
        self._open_s = open_s
        self._lock = threading.Lock()
        self._failures = 0
        self._open_until = 0.0

    @contextmanager
    def call(self) -> Iterator[None]:
        with self._lock:
            if time.monotonic() < self._open_until:
                raise Unavailable("the language model is paused after repeated failures")
        if not self._slots.acquire(blocking=False):
            raise Unavailable("too many language model calls at once")
        try:
            yield
        finally:
            self._slots.release()

    def succeeded(self) -> None:
        with self._lock:
            self._failures = 0

    def failed(self) -> None:
        """An endpoint failure (timeout, no connection, server error), not a badly written answer."""
        with self._lock:
            self._failures += 1
            if self._failures >= self._failures_to_open:
                self._open_until = time.monotonic() + self._open_s
                self._failures = 0
