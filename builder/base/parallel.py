"""Parallel: hand batches of rendering jobs to this process, a pool of processes, or a Dask cluster.

Every executor runs `fn(state, batch)` for each batch and yields the results
as they come, in any order; the caller writes each result and lets it go, so
a build never holds all its pages in memory. `state` is what every job needs
(the model, the theme): forked workers inherit it, a Dask cluster gets one
copy per worker (scatter with broadcast). Workers keep their own renderers
(Jinja environment, WeasyPrint fonts and stylesheet) on the state object
between batches, so those are made once per worker, not once per job.
"""

from __future__ import annotations

import multiprocessing
import os
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from builder.base import cluster
from builder.base.diagnostics import BuildError
from builder.base.messages import msg

Batch = list
Fn = Callable[[Any, Batch], Any]


def batches(jobs: list, size: int) -> list[Batch]:
    return [jobs[i:i + size] for i in range(0, len(jobs), size)]


class Serial:
    """In this process: for one core, small sites and tests that want a plain stack trace."""

    workers = 1

    def map(self, fn: Fn, state: object, work: Iterable[Batch]) -> Iterator:
        for batch in work:
            yield fn(state, batch)

    def close(self) -> None:
        pass


# Set in the parent just before the pool forks; each worker inherits it.
_FORKED_STATE = None


def _call_with_inherited_state(fn: Fn, batch: Batch) -> Any:
    return fn(_FORKED_STATE, batch)


class Processes:
    """A pool of forked processes on this machine; the state is inherited, never pickled.

    concurrent.futures rather than multiprocessing.Pool: when a worker dies (killed, out of
    memory) the pool reports it, where Pool would wait for the lost job forever.
    """

    def __init__(self, workers: int):
        self.workers = workers

    def map(self, fn: Fn, state: object, work: Iterable[Batch]) -> Iterator:
        global _FORKED_STATE
        _FORKED_STATE = state
        # A fresh pool per stage: the workers must see this stage's state.
        pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"))
        try:
            queue = iter(work)
            pending = {pool.submit(_call_with_inherited_state, fn, b) for b in _take(queue, self.workers * 3)}
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    pending |= {pool.submit(_call_with_inherited_state, fn, b) for b in _take(queue, 1)}
                    yield future.result()
        except BrokenProcessPool:
            raise ExecutorError(msg("parallel.process_died")) from None
        finally:
            _FORKED_STATE = None
            pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        pass


class DaskCluster:
    """A Dask distributed cluster: `address` of a running scheduler, or a local cluster of `workers`.

    Every worker machine needs gongkai's checkout (the same version) installed by `make site`, the
    themes and the content at the same paths, and the fonts: see docs/scale.md. A running
    scheduler and its workers are checked before any job is sent (builder/base/cluster.py).
    """

    def __init__(self, address: str | None = None, workers: int | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - distributed is in requirements.txt
            raise ExecutorError(msg("parallel.no_dask")) from None
        self.cluster = None
        if address:
            cluster.reach(address)  # in seconds, saying why; Dask alone retries for its whole timeout
            try:
                with warnings.catch_warnings():  # its "mismatched versions" warning: cluster.check says which
                    warnings.simplefilter("ignore")
                    self.client = Client(address, timeout=f"{cluster.CONNECT_SECONDS}s")
            except (OSError, ValueError) as exc:  # something listens there, but not a Dask scheduler
                raise ExecutorError(msg("parallel.no_scheduler", address=address, problem=str(exc))) from None
            try:
                self.workers = cluster.check(self.client, address)
            except BaseException:
                self.client.close()
                raise
        else:  # its HTTP server on a free port: 8787 may be another cluster's (a warning, an error in tests)
            self.cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                                        dashboard_address=":0", silence_logs=40)
            self.client = Client(self.cluster)
            self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def map(self, fn: Fn, state: object, work: Iterable[Batch]) -> Iterator:
        from distributed import as_completed

        shared = self.client.scatter(state, broadcast=True, hash=False)
        pending = as_completed()
        queue = iter(work)
        # A few batches in flight per worker: enough to keep them busy, few enough to bound memory.
        for batch in _take(queue, self.workers * 3):
            pending.add(self.client.submit(fn, shared, batch, pure=False))
        for future in pending:
            result = future.result()
            future.release()
            for batch in _take(queue, 1):
                pending.add(self.client.submit(fn, shared, batch, pure=False))
            yield result
        del shared

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


class ExecutorError(BuildError):
    pass


def _take(iterator: Iterator, n: int) -> list:
    out = []
    for item in iterator:
        out.append(item)
        if len(out) == n:
            break
    return out


# Where rendering runs: this process, a pool of processes, or a Dask cluster.
Runner = Serial | Processes | DaskCluster


def executor(jobs: int | None = None, scheduler: str | None = None,
             dask_workers: int | None = None) -> Runner:
    """The executor the command line asked for: Dask if named, else processes (default: one per core)."""
    if scheduler or dask_workers:
        return DaskCluster(scheduler, dask_workers)
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    return Serial() if jobs <= 1 else Processes(jobs)
