"""Run a parser of untrusted bytes in a child process it cannot take the machine down from.

A parser that decompresses what a file asks for (a PDF's streams, nested as deep as the file
likes) or loops on a crafted structure has no limit of its own. `bounded` forks a child that
runs `fn`, with its address space limited to what the parent had plus `memory` bytes and its CPU
time to `seconds`; the parent waits `seconds` (and a grace) of wall time and kills it after. What
the child returns, or the `Refused` it raises, comes back through a pipe; anything else it dies of
becomes `Exceeded`, saying which limit it was. Without `fork` (not Linux or macOS), `fn` runs in
this process, bounded only by what it checks itself.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import signal
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from types import FrameType
from typing import Any, NoReturn

from builder.base.messages import Message, msg, verbatim

GRACE_SECONDS = 5


class Refused(Exception):
    """What `fn` raises to refuse its input: its message, hint and the place in the input it is
    about come back to the parent as they are (catalogue messages, said in the parent's language;
    a plain str is shown as it is)."""

    def __init__(self, said: Message | str, advice: Message | str | None = None, where: str | None = None):
        self.said = said if isinstance(said, Message) else verbatim(said)
        self.advice = advice if isinstance(advice, Message) or advice is None else verbatim(advice)
        self.where = where
        super().__init__(self.said.key)

    @property
    def message(self) -> str:
        return self.said.text()

    @property
    def hint(self) -> str | None:
        return self.advice.text() if self.advice is not None else self.said.hint()


class Exceeded(Exception):
    """The child ran out of `limit` ("memory" or "time"), or died of something else ("crash"):
    `said_detail` says of what, where it is known."""

    def __init__(self, limit: str, said_detail: Message | None = None):
        super().__init__(limit)
        self.limit, self.said_detail = limit, said_detail

    @property
    def detail(self) -> str:
        return self.said_detail.text() if self.said_detail is not None else ""


def bounded(fn: Callable[..., Any], args: tuple, seconds: int, memory: int) -> Any:
    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - Windows
        return fn(*args)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(sender, fn, args, seconds, memory), daemon=True)
    child.start()
    sender.close()
    outcome = None
    timed_out = False
    try:
        if receiver.poll(seconds + GRACE_SECONDS):
            outcome = receiver.recv()
        else:
            timed_out = True
    except EOFError:
        pass  # it died before it said anything
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome is None:
        died_of = -child.exitcode if child.exitcode is not None and child.exitcode < 0 else None
        if timed_out or died_of == signal.SIGXCPU:
            raise Exceeded("time")
        if died_of == signal.SIGKILL:  # not by us: the kernel's out-of-memory killer
            raise Exceeded("memory")
        raise Exceeded("crash", msg("bounded.exit_code", code=child.exitcode))
    kind, *payload = outcome
    if kind == "ok":
        return payload[0]
    if kind == "refused":
        raise Refused(*payload)
    raise Exceeded(kind, *payload)


def _run(sender: Connection, fn: Callable[..., Any], args: tuple, seconds: int, memory: int) -> None:
    try:
        _limit(seconds, memory)
        outcome: tuple = ("ok", fn(*args))
    except Exception as exc:  # a parser may wrap what it met in its own exception: look inside
        inner = _inner(exc)
        if isinstance(inner, Refused):
            outcome = ("refused", inner.said, inner.advice, inner.where)
        elif isinstance(inner, MemoryError):
            outcome = ("memory", None)
        elif isinstance(inner, RecursionError):
            outcome = ("crash", msg("bounded.too_deep"))
        else:  # a parser's own error on a broken file; the caller words it
            outcome = ("crash", verbatim(type(inner).__name__))
    try:
        sender.send(outcome)
    except Exception as exc:  # an unpicklable result
        sender.send(("crash", verbatim(type(exc).__name__)))
    finally:
        sender.close()


def causes(exc: BaseException) -> list[BaseException]:
    """`exc` and what it wraps, outermost first: a parser may wrap what it met in an exception of
    its own, as its first argument, or as the cause or context."""
    chain = [exc]
    while len(chain) < 20:
        last = chain[-1]
        wrapped = last.args[0] if last.args and isinstance(last.args[0], BaseException) else None
        following = wrapped or last.__cause__ or last.__context__
        if following is None or following in chain:
            break
        chain.append(following)
    return chain


def _inner(exc: BaseException) -> BaseException:
    """What `exc` says went wrong: a refusal, running out of memory or a recursion it wraps; else the
    innermost exception."""
    chain = causes(exc)
    return next((e for e in chain if isinstance(e, (Refused, MemoryError, RecursionError))), chain[-1])


def _limit(seconds: int, memory: int) -> None:
    """Address space: what this process maps now (it is the parent's copy) plus `memory`; CPU time:
    `seconds`, after which the kernel stops it (SIGXCPU)."""
    _set(resource.RLIMIT_CPU, seconds, seconds + 1)
    try:
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # pragma: no cover - no /proc: leave the address space as it is
        return
    _set(resource.RLIMIT_AS, mapped + memory, mapped + memory)


def _set(limit: int, soft: int, hard: int) -> None:
    """Lower a limit to (soft, hard), never above a hard limit already in place."""
    current = resource.getrlimit(limit)[1]
    if current != resource.RLIM_INFINITY:
        soft, hard = min(soft, current), min(hard, current)
    resource.setrlimit(limit, (soft, hard))


class TimeLimit(Exception):
    """A block took longer than its limit (raised by time_limit's timer, inside whatever the block was doing)."""


@contextlib.contextmanager
def time_limit(seconds: float, expired: Callable[[], BaseException] = TimeLimit) -> Iterator[None]:
    """Interrupt the block after `seconds` of wall time. Signals reach only a process's main thread:
    a forked worker and a one-process build run jobs there; a Dask worker runs them in threads,
    where the block runs unbounded. `expired()` is what is raised: an error of the caller's own when the
    code interrupted wraps what it catches (pdfminer does), so that the caller can find it among the causes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> NoReturn:
        raise expired()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
