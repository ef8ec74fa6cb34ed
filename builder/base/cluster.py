"""Cluster: reach a Dask scheduler, and make sure it and its workers run the build machine's gongkai.

A worker that renders with another builder, another Python or another Dask makes other bytes, or
fails in the middle of a build with a traceback from deep inside Dask (`No module named 'builder'`
when gongkai is not installed in its virtualenv). So before any job is sent, the scheduler and
every worker are asked what they run (`installation`, called on each of them by reference: it is
only found where gongkai is importable) and each difference is reported as what it is, with what
to do about it. The address is tried with a plain socket first, so a wrong address fails in
seconds, and says whether nothing listens there, the host is unknown, or nothing answers.
"""

from __future__ import annotations

import hashlib
import platform
import socket
from pathlib import Path
from typing import Any

from builder import __version__
from builder.base.diagnostics import BuildError
from builder.base.messages import Message, msg

CONNECT_SECONDS = 5  # a scheduler on the same network answers in milliseconds
WORKERS_SECONDS = 10  # how long a scheduler without workers is given to get one
BUILDER_DIR = Path(__file__).resolve().parent.parent


class ClusterError(BuildError):
    """Printed as its message and the message's hint (the catalogue's: what to do about it)."""


def builder_digest() -> str:
    """The builder's source (.py and .yaml under builder/, by path inside it): what renders the bytes."""
    h = hashlib.sha256()
    for path in sorted(p for p in BUILDER_DIR.rglob("*") if p.suffix in (".py", ".yaml") and p.is_file()):
        h.update(path.relative_to(BUILDER_DIR).as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def installation() -> dict[str, str]:
    """What this process renders with; called on the build machine, the scheduler and each worker."""
    import dask
    import distributed

    return {"gongkai": __version__, "builder": builder_digest(), "python": platform.python_version(),
            "dask": dask.__version__, "distributed": distributed.__version__}


def reach(address: str) -> None:
    """Refuse an address that is not a scheduler's, before Dask retries it for its whole timeout."""
    from distributed.comm.addressing import parse_address, parse_host_port
    from distributed.comm.registry import backends

    scheme, location = parse_address(address, strict=False)
    if scheme not in backends:
        raise ClusterError(msg("cluster.bad_scheme", address=address, scheme=scheme,
                               known=", ".join(f"{name}://" for name in sorted(backends))))
    if scheme != "tcp":  # tls://, ws://: Dask's own handshake says what is wrong
        return
    try:
        host, port = parse_host_port(location)
    except ValueError:
        raise ClusterError(msg("cluster.no_port", address=address)) from None
    try:
        socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
    except socket.gaierror:
        raise ClusterError(msg("cluster.unknown_host", address=address, host=host)) from None
    except ConnectionRefusedError:
        raise ClusterError(msg("cluster.refused", address=address, port=port)) from None
    except OSError as exc:  # timed out, no route to the host
        raise ClusterError(msg("cluster.no_answer", address=address, seconds=CONNECT_SECONDS, problem=str(exc))) from None


def check(client: Any, address: str) -> int:
    """The number of workers, once the scheduler and each of them are known to run this gongkai."""
    try:
        client.wait_for_workers(1, timeout=WORKERS_SECONDS)
    except (TimeoutError, OSError):
        raise ClusterError(msg("cluster.no_workers", address=address, seconds=WORKERS_SECONDS)) from None
    here = installation()
    scheduler = msg("cluster.the_scheduler", address=address)
    try:
        _compare(scheduler, client.run_on_scheduler(installation), here)
    except ClusterError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever it raised, the scheduler could not run gongkai
        raise _cannot_run(scheduler, exc) from None
    answers = client.run(installation, on_error="return")
    for address_of_worker, answer in sorted(answers.items()):
        worker = msg("cluster.the_worker", worker=address_of_worker)
        if isinstance(answer, BaseException):
            raise _cannot_run(worker, answer)
        _compare(worker, answer, here)
    return max(1, len(answers))


def _compare(who: Message, there: dict, here: dict) -> None:
    """Refuse a process whose gongkai, Python or Dask is not the build machine's."""
    differences = [msg("cluster.difference", what=name, there=_short(there.get(name, "?")), here=_short(value))
                   for name, value in here.items() if there.get(name) != value]
    if differences:
        raise ClusterError(msg("cluster.mismatch", who=who, differences="; ".join(d.text() for d in differences)))


def _cannot_run(who: Message, exc: BaseException) -> ClusterError:
    # Dask hands a worker's failure to unpickle back as a plain Exception holding the original's repr.
    if "No module named 'builder" in str(exc):
        return ClusterError(msg("cluster.no_gongkai", who=who))
    return ClusterError(msg("cluster.cannot_run", who=who, problem=f"{type(exc).__name__}: {exc}"))


def _short(value: object) -> str:
    """A digest as git shows a commit: its first 12 digits are enough to tell two apart."""
    text = str(value)
    return text[:12] if len(text) == 64 else text
