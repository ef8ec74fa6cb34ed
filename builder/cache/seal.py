"""Seal: the build cache's files carry a MAC made with a key only this user can read.

The cache holds pickles (checked departments, the list of outputs, data
parts, rendered rows) because they are fast, and unpickling runs code. A
cache folder sits beside the output, where another user, a restored CI
cache or a pull request could plant one. So every cache file is written
as `MAGIC + HMAC-SHA256(key, name + payload) + payload` and read back only when
the MAC verifies; anything else is treated as absent (made again) and
counted, so the build can warn. manifest.json is sealed too: its digests
decide which content files are checked again, so a forged one could
publish unchecked content without any code running.

The key is 32 random bytes in `$XDG_CONFIG_HOME/gongkai/cache-key` (else
`~/.config/gongkai/cache-key`), made on first use, mode 0600, refused if
another user owns it or others can read it. A cache made with another key
(another machine, another user) is foreign: ignored, never trusted.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from builder.base.files import write_new
from builder.base.messages import Message, msg

MAGIC = b"gongkai-sealed-1\n"
_MAC = hashlib.sha256().digest_size
KEY_BYTES = 32


class KeyError_(Exception):
    """The user's cache key cannot be made or read safely; the build goes on without a cache."""

    def __init__(self, said: Message):
        super().__init__(said.key)
        self.said = said

    def __str__(self) -> str:
        return self.said.text()


def key_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or (Path.home() / ".config")
    return Path(base) / "gongkai" / "cache-key"


def load_key(path: Path | None = None) -> bytes:
    """This user's key, made (atomically: written aside, then linked into place) if there is none."""
    path = path or key_path()
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            write_new(path, secrets.token_bytes(KEY_BYTES), 0o600)
        except FileExistsError:  # another build made one meanwhile: then theirs is the key
            pass
        return _read_key(path)
    except OSError as exc:
        raise KeyError_(msg("seal.cannot_keep", path=path, problem=str(exc.strerror or exc))) from None


def _read_key(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as file:
        st = os.fstat(file.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
            raise KeyError_(msg("seal.not_private", path=path))
        key = file.read(KEY_BYTES + 1)
    if len(key) != KEY_BYTES:
        raise KeyError_(msg("seal.damaged", path=path))
    return key


class Seal:
    """Wraps and unwraps sealed payloads with one key."""

    def __init__(self, key: bytes):
        self.key = key

    def wrap(self, payload: bytes, name: str = "") -> bytes:
        """`name` (the file's place in the cache) is sealed with the payload: a sealed file moved to
        another place (one department's checked result in place of another's) no longer verifies."""
        return MAGIC + self._mac(payload, name) + payload

    def unwrap(self, blob: bytes, name: str = "") -> bytes | None:
        """The payload, or None when the blob was not sealed with this key for this name (foreign,
        damaged, planted, moved)."""
        if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + _MAC:
            return None
        mac, payload = blob[len(MAGIC):len(MAGIC) + _MAC], blob[len(MAGIC) + _MAC:]
        if not hmac.compare_digest(mac, self._mac(payload, name)):
            return None
        return payload

    def _mac(self, payload: bytes, name: str) -> bytes:
        mac = hmac.new(self.key, name.encode("utf-8") + b"\0", "sha256")
        mac.update(payload)
        return mac.digest()
