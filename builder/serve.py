"""Serve: build, serve on 127.0.0.1, rebuild on change and reload the open page.

For people editing content: save a YAML file and the page in the browser
shows the result, or the diagnostics when the content has an error (the
server keeps running and keeps the last good site). The site is built into
a temporary folder, never into output/, and the reload script is added to
pages as they are sent, never written into a file.
"""

from __future__ import annotations

import functools
import html
import http.server
import os
import shutil
import tempfile
import threading
from pathlib import Path

from .diagnostics import Report
from .pipeline import PROJECT_ROOT, build_site

VERSION_PATH = "/__gongkai/version"


def reload_script(version: int) -> str:
    """Polls the server's version and reloads once it moves past the one this page was served at."""
    return (
        "<script>(function(){var served='%d';setInterval(function(){"
        "fetch('%s',{cache:'no-store'}).then(function(r){return r.text();})"
        ".then(function(v){if(v!==served){location.reload();}})"
        ".catch(function(){});},500);})();</script>" % (version, VERSION_PATH)
    )


class DevServer:
    def __init__(self, content: Path, themes: Path, port: int = 8000, interval: float = 0.5, on_build=None):
        self.content, self.themes, self.interval = content, themes, interval
        self.on_build = on_build or (lambda result: None)  # told of each build, e.g. to print its report
        self.site_dir = Path(tempfile.mkdtemp(prefix="gongkai-serve-")) / "site"
        self.version = 0
        self.report: Report | None = None  # of the last build that failed, or None
        self.base_path = "/"
        self._fingerprint = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        handler = functools.partial(_Handler, server_state=self)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{self.base_path}"

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
        result = build_site(self.content, self.site_dir, self.themes, pdfs=False)
        with self._lock:
            self.report = result.report if result.site is None else None
            if result.site is not None:
                self.base_path = result.site.base_path
            self.version += 1
        self.on_build(result)
        return True

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.rebuild_if_changed()
            except Exception as exc:  # keep serving; show it like a content error
                with self._lock:
                    self.report = Report()
                    self.report.items.append(_internal(exc))
                    self.version += 1

    def start(self) -> None:
        self.rebuild_if_changed()
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        threading.Thread(target=self._watch, daemon=True).start()

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        shutil.rmtree(self.site_dir.parent, ignore_errors=True)


def _internal(exc: Exception):
    from .diagnostics import Diagnostic, Pos, Severity

    return Diagnostic(Severity.ERROR, Pos("gongkai", 1, 1), f"internal error: {type(exc).__name__}: {exc}")


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, server_state: DevServer, **kwargs):
        self.state = server_state
        super().__init__(*args, directory=str(server_state.site_dir), **kwargs)

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.split("?")[0] == VERSION_PATH:
            return self._send(200, "text/plain; charset=utf-8", str(self.state.version).encode())
        with self.state._lock:
            report, base, version = self.state.report, self.state.base_path, self.state.version
        path = self.path.split("?")[0].split("#")[0]
        if not path.startswith(base):
            return self._send(404, "text/plain; charset=utf-8", f"the site is at {base}".encode())
        local = path[len(base) - 1:]  # keep the leading /
        if local.endswith("/"):
            local += "index.html"
        if report is not None and local.endswith(".html"):
            return self._send(200, "text/html; charset=utf-8", _error_page(report, version).encode())
        self.path = local
        if local.endswith(".html"):
            file = self.state.site_dir / local.lstrip("/")
            if file.is_file():
                page = file.read_text(encoding="utf-8").replace("</body>", reload_script(version) + "\n</body>", 1)
                return self._send(200, "text/html; charset=utf-8", page.encode("utf-8"))
        return super().do_GET()

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def _error_page(report: Report, version: int) -> str:
    items = "\n".join(f"<li><pre>{html.escape(d.format())}</pre></li>" for d in report.sorted())
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>内容有错误 - gongkai</title>'
            '<style>body{font-family:sans-serif;margin:2rem;color:#1f2328}pre{white-space:pre-wrap;margin:0}'
            'li{margin:.75rem 0;padding:.5rem;background:#fff5f5;border-left:4px solid #9f1c1c;list-style:none}'
            '</style></head><body><main><h1>内容有错误，网站未更新</h1>'
            f'<p>修改下列问题并保存，页面会自动刷新。</p><ol>{items}</ol></main>{reload_script(version)}</body></html>')
