"""Run independent per-report work on every core (fork), keeping the order of the inputs."""
from __future__ import annotations

import gc
import multiprocessing as mp
import os
from typing import Any, Callable, Sequence, TypeVar

T = TypeVar("T")


def fork_map(fn: Callable[..., T], args: Sequence[tuple[Any, ...]], workers: int | None = None,
             minimum: int = 8, prepare: Callable[[], None] | None = None) -> list[T]:
    """fn(*a) for each a in args, in order; in a fork pool when there are at least `minimum` items.

    fork lets workers inherit what the parent already imported and cached (rules, profiles,
    dictionaries) instead of loading it again; below `minimum` the pool costs more than it saves.
    """
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(args) < minimum or "fork" not in mp.get_all_start_methods():
        return [fn(*a) for a in args]
    if prepare is not None:
        prepare()  # load lazily built data once here, so every forked worker inherits it
    # Without freeze, each worker's garbage collector touches every inherited object and
    # copies the parent's memory page by page (copy-on-write), which costs more than the work.
    gc.freeze()
    try:
        with mp.get_context("fork").Pool(min(workers, len(args))) as pool:
            return pool.starmap(fn, args, chunksize=max(1, len(args) // (workers * 4)))
    finally:
        gc.unfreeze()
