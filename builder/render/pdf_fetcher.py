"""The URL fetcher of every PDF: files under the theme and content folders only, no network, no
redirects (RELIABILITY.md)."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from builder.base.messages import Message, msg

MAX_RESOURCE_BYTES = 20 * 1024 * 1024


class FetchRefused(ValueError):
    pass


def jailed_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class JailedFetcher(URLFetcher):
        """Fetches `file:` URLs inside `roots` (and `data:` URLs); refuses everything else.

        RELIABILITY.md: no network, no redirects, regular files only, a size
        cap, symlinks resolved before the containment check.
        """

        def __init__(self, roots: list[Path], files: tuple[Path, ...] = ()):
            super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, fail_on_errors=True)
            self.roots = [root.resolve() for root in roots]
            self.files = {file.resolve() for file in files}  # the builder's own: the font cuts
            self.refused: list[Message] = []

        def fetch(self, url: str, headers: dict | None = None) -> Any:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                return self.refuse(url, msg("pdfs.only_inside"))
            path = Path(url2pathname(unquote(urlsplit(url).path)))
            try:
                real = path.resolve(strict=True)
            except (OSError, RuntimeError):
                return self.refuse(url, msg("pdfs.no_such_file"))
            if real not in self.files and not any(real.is_relative_to(root) for root in self.roots):
                return self.refuse(url, msg("pdfs.outside"))
            if not real.is_file():
                return self.refuse(url, msg("pdfs.not_regular"))
            if real.stat().st_size > MAX_RESOURCE_BYTES:
                return self.refuse(url, msg("pdfs.too_large", limit=MAX_RESOURCE_BYTES))
            content_type = mimetypes.guess_type(real.name)[0] or "application/octet-stream"
            return URLFetcherResponse(real.as_uri(), real.read_bytes(), {"Content-Type": content_type})

        def refuse(self, url: str, why: Message) -> NoReturn:
            self.refused.append(msg("pdfs.cannot_use", url=url, why=why))
            raise FetchRefused(f"{url}: {why}")

    return JailedFetcher
