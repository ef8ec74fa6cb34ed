"""Cache: what the last build made from what, so the next one redoes only what changed.

The cache is a folder beside the output (`.output.cache` for `output/`),
never inside it, and never needed: delete it and the next build is a full
one with the same result. It holds

- `manifest.json` and `outputs.pickle` (manifest.py): what the last build
  made from what (a province's outputs are 177,000 entries);
- `parts/`: each department's rows of the site-wide data files, by key, so the
  site's CSV, JSON and XLSX are joins of cached parts;
- `rows/`: each department's rows of the all-indicators page, by key
  (indicator_rows.py).

File digests are remembered with their files' stamps (digests.py).

The cache is data, never code: every file in it is sealed with this user's
key (seal.py) and read back only when the seal verifies, a folder gongkai
did not make is refused (never pruned), and it is opened only after the
output folder was accepted and locked (pipeline.py).
"""

from __future__ import annotations

import json
import os
import pickle
import stat
from pathlib import Path

from builder import __version__
from builder.base.diagnostics import BuildError, keep_path
from builder.base.files import NotRegularFile, read_regular, write_atomic, write_new
from builder.base.messages import msg
from builder.cache.manifest import MANIFEST_VERSION, Manifest, output_state
from builder.cache.seal import Seal, load_key


def default_cache_dir(output: Path) -> Path:
    return output.parent / f".{output.name}.cache"


class CacheError(BuildError):
    """A cache folder gongkai will not use: not its own, or in a place a cache must not be."""


class Cache:
    """The cache folder, accepted once (`open`), and its files, every one sealed (seal.py).

    A folder that exists must be gongkai's (it carries MARKER), this user's, and writable by no
    one else; an empty folder is taken over. Anything else is refused, never pruned: deleting
    the files of a folder someone pointed --cache at by mistake would be the worst outcome.
    """

    MARKER = ".gongkai-cache"
    MARKER_TEXT = "This folder is gongkai's build cache; delete it and the next build is a full one.\n"

    def __init__(self, folder: Path, seal: Seal):
        self.folder = folder
        self.seal: Seal | None = seal  # None in a copy sent to another process (__getstate__)
        self.path = folder / "manifest.json"
        self.outputs_path = folder / "outputs.pickle"
        self.rejected = 0  # files ignored because this user's key did not seal them
        self._made: set[Path] = set()  # folders this build made or found real (_folders_to)

    @classmethod
    def open(cls, folder: Path, content: Path, output: Path) -> "Cache":
        """Accept `folder` as the cache of a build of `content` into `output` (already accepted),
        or raise CacheError; KeyError_ when this user's key cannot be had. Creates nothing."""
        real, content, output = folder.resolve(), content.resolve(), output.resolve()
        for other, kind in ((content, "store.content"), (output, "store.output")):
            if real == other or real.is_relative_to(other) or other.is_relative_to(real):
                raise CacheError(msg("store.overlaps", folder=folder, kind=msg(kind), other=other))
        if folder.is_symlink():
            raise CacheError(msg("store.symlink", folder=folder))
        if folder.exists():
            try:
                st = folder.lstat()
                empty = stat.S_ISDIR(st.st_mode) and not any(folder.iterdir())
            except OSError as exc:
                raise CacheError(msg("store.unreadable", folder=folder, problem=str(exc.strerror))) from None
            if not stat.S_ISDIR(st.st_mode):
                raise CacheError(msg("store.not_a_folder", folder=folder))
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                raise CacheError(msg("store.not_yours", folder=folder))
            if not empty and not (folder / cls.MARKER).is_file():
                raise CacheError(msg("store.not_gongkais", folder=folder, marker=cls.MARKER))
        return cls(folder, Seal(load_key()))

    def __getstate__(self) -> dict:
        # The key never leaves this process's machine: a Cache sent to a Dask worker along with a
        # renderer reads nothing and keeps nothing there.
        return {**self.__dict__, "seal": None}

    def _ensure(self) -> None:
        """Make the folder (only this user may read or write it) with its marker, the first time."""
        marker = self.folder / self.MARKER
        if marker.is_symlink() or not marker.is_file():
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            marker.unlink(missing_ok=True)
            write_new(marker, self.MARKER_TEXT.encode("utf-8"), 0o600)

    def read(self, path: Path) -> bytes | None:
        """A file's payload, or None: absent, or not sealed by this user's key (counted in `rejected`)."""
        if self.seal is None:
            return None
        try:
            payload = self.seal.unwrap(read_regular(path), self._name(path))
        except OSError:
            return None  # not there (or a link: never followed)
        except NotRegularFile:
            payload = None
        if payload is None:
            self.rejected += 1
        return payload

    def write(self, path: Path, payload: bytes) -> None:
        """Seal and write atomically (replacing a link planted at `path` itself, never its target;
        workers may write at once, each through a temporary name of its own)."""
        if self.seal is None:
            return
        self._ensure()
        self._folders_to(path)
        with keep_path(path):  # a full disk is reported with the file's name
            write_atomic(path, self.seal.wrap(payload, self._name(path)), 0o600)

    def _name(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()

    def _folders_to(self, path: Path) -> None:
        """Make the folders between the cache folder and `path`, each a real folder: a link planted
        inside the cache (`parts -> ~/docs`) is removed, never written through."""
        if path.parent in self._made:
            return
        folder = self.folder
        for part in path.parent.relative_to(self.folder).parts:
            folder = folder / part
            try:
                folder.mkdir(mode=0o700)
            except FileExistsError:
                if not stat.S_ISDIR(folder.lstat().st_mode):  # lstat: a link to a folder is not one
                    folder.unlink()
                    folder.mkdir(mode=0o700)
        self._made.add(path.parent)  # once a build: a province writes thousands of entries into 256 folders

    def get(self, path: Path) -> object:
        """An object kept with `put`, or None. Unpickled only after its seal verified."""
        payload = self.read(path)
        if payload is None:
            return None
        try:
            return pickle.loads(payload)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None  # sealed by us, by another version of the builder: made again

    def put(self, path: Path, obj: object) -> None:
        self.write(path, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))

    def load(self) -> Manifest:
        payload = self.read(self.path)
        try:
            data = json.loads(payload) if payload is not None else {}
            if data.pop("manifest_version", None) != MANIFEST_VERSION or data.pop("builder", None) != __version__:
                return Manifest()
            return Manifest(**data)
        except (ValueError, TypeError):
            return Manifest()  # no cache, or one we cannot read: a full build

    def load_outputs(self, manifest: Manifest) -> None:
        """Read what the last build made into `manifest`, if it is that build's (else: nothing is reused)."""
        data = self.get(self.outputs_path)
        if isinstance(data, dict) and data.get("of") == (manifest.fingerprint, manifest.written):
            manifest.outputs, manifest.marked = data["outputs"], data["marked"]

    def save(self, manifest: Manifest) -> None:
        # Each file names the build it belongs to ("of"): a build killed between the two writes
        # leaves an outputs.pickle that is not manifest.json's, and the next build reuses nothing.
        separate = {"of": (manifest.fingerprint, manifest.written),
                    **{name: getattr(manifest, name) for name in Manifest.SEPARATE}}
        self.put(self.outputs_path, separate)
        data = {"manifest_version": MANIFEST_VERSION, "builder": __version__,
                **{k: v for k, v in manifest.__dict__.items() if k not in Manifest.SEPARATE}}
        self.write(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    def record(self, manifest: Manifest, output: Path, *, fingerprint: str, outputs: dict, marked: set,
               stats: dict, files: int, report: list, summary: list, parts_used: set, rows_used: set) -> None:
        """Keep what a build that went through made, from what: the next build's manifest (its outputs
        with their mtimes as they are in `output` now), and only the parts and rows it used."""
        manifest.fingerprint = fingerprint
        manifest.output_inode = output.stat().st_ino
        manifest.written = output_state(output, outputs)
        manifest.files = files
        manifest.report = [d.to_json() for d in report]  # ids and arguments: said in the next run's language
        manifest.summary = [line.to_json() for line in summary]
        manifest.outputs = outputs
        manifest.marked = sorted(marked)
        manifest.stats = stats
        self.prune_parts(parts_used)
        self.prune_rows(rows_used)
        self.save(manifest)

    def part(self, key: str) -> Path:
        return self.folder / "parts" / key[:2] / key

    def prune_parts(self, keep: set[str]) -> None:
        """Drop the parts no output of this build uses, so the cache does not grow with every edit."""
        prune(self.folder / "parts", keep)

    def rows(self, key: str) -> Path:
        return self.folder / "rows" / key[:2] / key

    def prune_rows(self, keep: set[str]) -> None:
        prune(self.folder / "rows", keep)


def prune(folder: Path, keep: set[str]) -> None:
    """Delete the entries of a cache folder (`folder/ab/abcdef...`) whose names are not in `keep`.

    Links are never followed: a link planted as `folder` or `folder/ab` is removed itself, and what it
    points to is left alone (glob would have followed it and deleted someone's files)."""
    for shelf in _entries(folder):
        if shelf.is_symlink() or not shelf.is_dir(follow_symlinks=False):
            os.unlink(shelf.path)
            continue
        for entry in _entries(Path(shelf.path)):
            if entry.name not in keep and not entry.is_dir(follow_symlinks=False):
                os.unlink(entry.path)


def _entries(folder: Path) -> list[os.DirEntry]:
    try:
        if not stat.S_ISDIR(folder.lstat().st_mode):
            return []
        with os.scandir(folder) as listing:
            return list(listing)
    except FileNotFoundError:
        return []


