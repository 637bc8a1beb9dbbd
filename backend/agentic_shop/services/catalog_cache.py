"""Catalog reads kept for a few seconds in each app process.

The catalog is the same for every shopper and changes only when it is imported or the demo is reset,
yet every page read it again: product, images, features, rating counts, variants, review pages,
category counts. Each read here is kept for `CATALOG_CACHE_S` seconds (0: off), per database, so a
busy page costs one query (who is signed in) instead of ten. A reset in this process forgets at once;
a change made by another process (`shop data import`) shows within that many seconds. Shopper-specific
answers never come through here (the agents have their own cache, versioned by memory changes).
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from sqlmodel import Session

from agentic_shop.settings import get_settings

P = ParamSpec("P")
T = TypeVar("T")
MAX_ENTRIES = 4096

_entries: OrderedDict[tuple, tuple[float, Any]] = OrderedDict()
_lock = threading.Lock()


def forget() -> None:
    """Drop everything kept (after a reset or an import in this process)."""
    with _lock:
        _entries.clear()


def _database_of(session: Session) -> Any:
    bind = session.get_bind()  # an Engine, or the Connection a test bound the session to
    return getattr(bind, "engine", bind).url


def kept(read: Callable[..., T]) -> Callable[..., T]:
    """`read(session, *args)`, answered from what this process read in the last CATALOG_CACHE_S s.
    Errors (a product that does not exist) are not kept."""

    @functools.wraps(read)
    def cached(session: Session, *args: Any) -> T:
        ttl = get_settings().catalog_cache_s
        if ttl <= 0:
            return read(session, *args)
        key = (read.__name__, _database_of(session), *args)
        now = time.monotonic()
        with _lock:
            hit = _entries.get(key)
            if hit is not None and now - hit[0] < ttl:
                _entries.move_to_end(key)
                return hit[1]
        value = read(session, *args)
        with _lock:
            _entries[key] = (now, value)
            _entries.move_to_end(key)
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
        return value

    return cached
