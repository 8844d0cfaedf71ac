"""Run independent per-report work on every core (fork), keeping the order of the inputs."""
from __future__ import annotations

import gc
import os
from typing import Any, Callable, Sequence, TypeVar

T = TypeVar("T")


def fork_map(fn: Callable[..., T], args: Sequence[tuple[Any, ...]], workers: int | None = None,
             minimum: int = 8, prepare: Callable[[], None] | None = None) -> list[T]:
    """fn(*a) for each a in args, in order; in a fork pool when there are at least `minimum` items.

    $REPORTGEN_WORKERS caps the processes (1 runs everything in this process).

    fork lets workers inherit what the parent already imported and cached (rules, profiles,
    dictionaries) instead of loading it again; below `minimum` the pool costs more than it saves.
    """
    workers = workers or int(os.environ.get("REPORTGEN_WORKERS", "0")) or os.cpu_count() or 1
    if workers < 2 or len(args) < minimum:
        return [fn(*a) for a in args]
    import multiprocessing as mp  # imported here: with pickle it costs a command of one report 30 ms

    if "fork" not in mp.get_all_start_methods():
        return [fn(*a) for a in args]
    if prepare is not None:
        prepare()  # load lazily built data once here, so every forked worker inherits it
    # Without freeze, each worker's garbage collector touches every inherited object and
    # copies the parent's memory page by page (copy-on-write), which costs more than the work.
    gc.freeze()
    try:
        with mp.get_context("fork").Pool(min(workers, len(args))) as pool:
            # Small chunks (16 a worker): the last chunks decide when the pool is done, and with four a worker
            # one worker could sit idle for most of a chunk (a tenth of a second of check's 500 reports) while
            # the other finished its last.
            return pool.starmap(fn, args, chunksize=max(1, len(args) // (workers * 16)))
    finally:
        gc.unfreeze()


_SHARED: Sequence[Any] = ()


def _call_shared(fn: Callable[..., T], index: int, extra: tuple[Any, ...]) -> T:
    return fn(_SHARED[index], *extra)


def map_shared(fn: Callable[..., T], items: Sequence[Any], extra: tuple[Any, ...] = (), workers: int | None = None,
               minimum: int = 8, prepare: Callable[[], None] | None = None) -> list[T]:
    """fn(item, *extra) for each item, in order, in a fork pool like fork_map.

    The items reach the workers by fork, not by pickling: prepared reports (parsed YAML, position maps,
    layouts) are large, and each is made once in this process and only read in the workers.
    """
    global _SHARED
    _SHARED = items
    try:
        return fork_map(_call_shared, [(fn, i, extra) for i in range(len(items))], workers, minimum, prepare)
    finally:
        _SHARED = ()
