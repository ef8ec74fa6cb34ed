"""Serve: build, serve on 127.0.0.1 (or --bind), rebuild on change and reload the open page.

For people editing content: save a YAML file and the page in the browser
shows the result, or the diagnostics when the content has an error (the
server keeps running and keeps the last good site). The site is built into
a temporary folder, never into output/, with a build cache of its own beside
it, so a save re-makes only the pages that changed; the reload script is
added to pages as they are sent, never written into a file.
"""

from __future__ import annotations

import functools
import http.server
import mimetypes
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from argparse import Namespace
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from builder.base.diagnostics import Diagnostic, Report, Severity
from builder.base.messages import msg, say
from builder.commands.report import cannot_listen, content_missing, print_report
from builder.commands.serve_pages import VERSION_PATH, error_page, reload_script
from builder.pipeline import PROJECT_ROOT, Result, build_site


class DevServer:
    def __init__(self, content: Path, themes: Path, port: int = 8000, interval: float = 0.5,
                 on_build: Callable[[Result], None] | None = None, bind: str = "127.0.0.1") -> None:
        self.content, self.themes, self.interval = content, themes, interval
        self.on_build = on_build or (lambda result: None)  # told of each build, e.g. to print its report
        self.version = 0
        self.seconds = 0.0  # how long the last rebuild took
        self.report: Report | None = None  # of the last build that failed, or None
        self.base_path = "/"
        self._fingerprint: tuple | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._serving = False
        handler = functools.partial(_Handler, server_state=self)
        # Listen first: a port in use fails here, before there is a temporary folder to leave behind.
        server = _IPv6Server if ":" in bind else _Server
        self.httpd = server((bind, port), handler)
        try:
            self.site_dir = Path(tempfile.mkdtemp(prefix="gongkai-serve-")) / "site"
            # Beside the site, in the same folder only this user can enter (mkdtemp): removed with it.
            self.cache_dir = self.site_dir.parent / "cache"
        except BaseException:
            self.httpd.server_close()
            raise

    @property
    def url(self) -> str:
        host = str(self.httpd.server_address[0])  # an IP address, a str (bytes only for other socket families)
        return f"http://{f'[{host}]' if ':' in host else host}:{self.httpd.server_port}{self.base_path}"

    def watched(self) -> list[Path]:
        return [self.content, self.themes, PROJECT_ROOT / "builder"]

    def fingerprint(self) -> tuple:
        entries = []
        for root in self.watched():
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
                for name in sorted(filenames):
                    try:
                        stat = os.stat(os.path.join(dirpath, name))
                    except FileNotFoundError:  # deleted while we looked
                        continue
                    entries.append((dirpath, name, stat.st_mtime_ns, stat.st_size))
        return tuple(entries)

    def rebuild_if_changed(self) -> bool:
        """Build when a watched file changed since the last build; True if it built."""
        fingerprint = self.fingerprint()
        if fingerprint == self._fingerprint:
            return False
        self._fingerprint = fingerprint
        # Without PDFs: a save should show in the browser in a second, not after every annex.
        started = time.monotonic()
        result = build_site(self.content, self.site_dir, self.themes, pdfs=False, cache=self.cache_dir)
        self.seconds = time.monotonic() - started
        with self._lock:
            # Up to date (an edit undone since the last good build): that site is still there, as it was.
            self.report = None if result.ok else result.report
            if result.site is not None:
                self.base_path = result.site.base_path
            self.version += 1
        self.on_build(result)
        return True

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            self._watch_once()

    def _watch_once(self) -> None:
        try:
            self.rebuild_if_changed()
        except Exception as exc:  # keep serving; show it like a content error
            with self._lock:
                self.report = Report()
                self.report.items.append(_failure(exc))
                self.version += 1

    def start(self) -> None:
        try:
            self.rebuild_if_changed()
        except BaseException:  # e.g. Pagefind missing: stop, and leave no port or folder behind
            self.stop()
            raise
        self._serving = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        threading.Thread(target=self._watch, daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        if self._serving:  # shutdown() waits for serve_forever, which never ran otherwise
            self.httpd.shutdown()
        self.httpd.server_close()
        shutil.rmtree(self.site_dir.parent, ignore_errors=True)


def _failure(exc: Exception) -> Diagnostic:
    """A rebuild that failed outside the content, as the page shows it: a missing tool or a refused
    file as what it is (as the command line says it), anything else as the bug it is."""
    from builder.base.diagnostics import BuildError, Diagnostic, Pos, os_problem

    if isinstance(exc, BuildError):
        return Diagnostic(Severity.ERROR, Pos("gongkai", 1, 1), exc.said)
    if isinstance(exc, OSError):
        what, hint = os_problem(exc)
        return Diagnostic(Severity.ERROR, Pos(os.fsdecode(exc.filename or "gongkai"), 1, 1), what, hint)
    return Diagnostic(Severity.ERROR, Pos("gongkai", 1, 1), msg("serve.internal_error", kind=type(exc).__name__,
                                                                detail=str(exc)))


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        """A browser that goes away mid-answer is not worth a traceback on the terminal."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class _IPv6Server(_Server):
    address_family = socket.AF_INET6


def site_file(root: Path, url_path: str) -> Path | None:
    """The file or folder under `root` that a request's path (still percent-encoded) names, or None.

    The one gate of every request: the name is decoded as UTF-8 (else it names nothing), a NUL,
    a backslash or a `.`/`..` segment names nothing, and the path, its symlinks resolved, must
    still be inside `root`. A name the file system rejects (too long, say) names nothing either.
    """
    try:
        name = unquote_to_bytes(url_path).decode("utf-8")
    except UnicodeDecodeError:
        return None
    parts = name.split("/")
    if "\0" in name or "\\" in name or any(part in (".", "..") for part in parts):
        return None
    try:
        real = root.joinpath(*(part for part in parts if part)).resolve(strict=True)
        inside = real.is_relative_to(root.resolve(strict=True))
        return real if inside and (real.is_file() or real.is_dir()) else None
    except (OSError, ValueError, RuntimeError):  # ENAMETOOLONG, ELOOP, a file gone mid-rebuild
        return None


class _Handler(http.server.BaseHTTPRequestHandler):
    """GET only; every file it answers with has passed `site_file`."""

    def __init__(self, *args: Any, server_state: DevServer, **kwargs: Any) -> None:
        self.state = server_state
        super().__init__(*args, **kwargs)

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.split("?")[0] == VERSION_PATH:
            return self._send(200, "text/plain; charset=utf-8", str(self.state.version).encode())
        with self.state._lock:
            report, base, version = self.state.report, self.state.base_path, self.state.version
        path = self.path.split("?")[0].split("#")[0]
        if not path.startswith(base):
            return self._send(404, "text/plain; charset=utf-8", say("serve.site_is_at", base=base).encode())
        local = path[len(base) - 1:]  # keep the leading /
        if local.endswith("/"):
            local += "index.html"
        if report is not None and local.endswith(".html"):
            return self._send(200, "text/html; charset=utf-8", error_page(report, version).encode())
        file = site_file(self.state.site_dir, local)
        if file is not None and file.is_dir():  # a folder without its slash: where its index page is
            self.send_response(301)
            self.send_header("Location", path + "/")
            self.send_header("Content-Length", "0")
            return self.end_headers()
        try:
            body = file.read_bytes() if file is not None else None
        except OSError:  # replaced by a rebuild since it was found
            body = None
        if file is None or body is None:
            return self._send(404, "text/plain; charset=utf-8", say("serve.not_found").encode())
        if file.suffix == ".html":
            page = body.decode("utf-8").replace("</body>", reload_script(version) + "\n</body>", 1)
            return self._send(200, "text/html; charset=utf-8", page.encode("utf-8"))
        return self._send(200, mimetypes.guess_type(file.name)[0] or "application/octet-stream", body)

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def run(args: Namespace) -> int:
    if content_missing(args.content):
        return 2

    previous: list[Report] = []

    def on_build(result: Result) -> None:
        # This server's last build is the one before, whatever the cache remembers of other builds.
        first = not previous
        result.previous = result.previous if first else previous[0]
        previous[:] = [result.report]
        print_report(result, strict=False, verbose=args.verbose)
        if result.ok:
            print(say("serve.built" if first else "serve.rebuilt", seconds=f"{server.seconds:.1f}"), flush=True)
        else:
            print(say("serve.kept_last_good"), file=sys.stderr)

    try:
        server = DevServer(args.content.absolute(), args.themes.absolute(), args.port, on_build=on_build,
                           bind=args.bind)
    except OSError as exc:
        print(cannot_listen(exc, args.bind, args.port), file=sys.stderr)
        return 1
    # `kill` and service managers send SIGTERM: stop as cleanly as on Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.start()
    try:  # from here on a SIGTERM or Ctrl-C stops the server and removes its folder
        print(say("serve.serving", url=server.url), flush=True)
        forever = threading.Event()
        # Woken twice a second: a SIGTERM the kernel hands to another thread runs its handler only when
        # the main thread next runs Python code, and a wait without a timeout would never return.
        while not forever.wait(0.5):
            pass
    finally:
        server.stop()
    return 0
