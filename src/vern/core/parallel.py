"""Work that needs no database, done in forked processes while this one goes on with the database.

The register's export and import each have a part that is pure Python on data already read (building
and validating a document; parsing, validating and mapping one), and a part that waits on the
database. With the first in worker processes, both cores work: Python's interpreter lock would let
threads take turns only.

Both also make and drop many small objects while keeping many alive (a chunk of rows, the loaded
code): Python's cycle collector then walks all of them again and again, for a fifth of the time.
``collector_paused`` turns it off for such a run (and for the worklists' recomputation of stale
cases, which does the same).
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def ordered_map(work: Callable[[Item], Result], items: Iterable[Item], *, workers: int) -> Iterator[Result]:
    """``work(item)`` for each item, in the items' order. With ``workers`` > 1 in that many forked
    processes, at most ``workers`` + 1 items ahead of the one being used, so memory stays a few
    items whatever their number; the items are taken from ``items`` in this process (it may read
    the database) as results are used.

    ``work`` must not use the database: a forked process shares this one's connection. Items and
    results cross between the processes by pickle."""
    if workers <= 1:
        yield from map(work, items)
        return
    # Fork: the workers inherit the loaded code (and never touch the database connection).
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        in_flight: deque[Future[Result]] = deque()
        for item in items:
            in_flight.append(pool.submit(work, item))
            if len(in_flight) > workers:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection inside; reference counting still frees what is dropped, and the
    collector, on again after, what is left."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
