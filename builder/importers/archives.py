"""`.docx` and `.xlsx` are ZIP archives: look inside with `zipfile` before python-docx or openpyxl open them.

Those libraries unpack whatever the archive says, so a file of a few KB can ask
for gigabytes (a zip bomb), or hold members named like paths outside it. The
limits are far above what Word, Excel or WPS write for a disclosure of a few
hundred pages, and far below what hurts a build machine. Sizes are the ones the
archive declares; `zipfile` stops reading a member at its declared size (and
fails its CRC), so a member that lies about its size cannot unpack more.
"""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

from ..diagnostics import display_path
from .errors import SourceError

# A .docx from Word has 10-30 members plus one per picture; an .xlsx one per sheet.
MAX_MEMBERS = 1000
# Everything unpacked. A disclosure's document.xml is a few MB; pictures are
# stored about 1:1, and the file itself is at most MAX_SOURCE_BYTES (5 MB).
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
# Office XML deflates 5:1 to 20:1, a sheet of empty styled cells up to ~50:1;
# a zip bomb is 1000:1 and more. Members under a MiB are not judged by ratio.
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 1024 * 1024
# Office writes only these; others (bzip2, lzma) need other decompressors and bounds.
METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
MAX_NAME_CHARS = 255
_MAIN_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # .doc/.xls and password-protected Office files
RESAVE = "open it in Word, Excel or WPS and save it again as {suffix}"



def check_office_archive(path: Path, suffix: str) -> None:
    """Refuse anything but a plain, sanely sized Office archive of the kind its name says."""
    where, hint = display_path(str(path)), RESAVE.format(suffix=suffix)
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic == _OLE_MAGIC:
        raise SourceError(where, f"this is an old-format .doc/.xls file or a password-protected document, "
                             f"not a {suffix}", hint + " (without a password)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise SourceError(where, f"not a {suffix} file: it is not a ZIP archive, or a damaged one", hint) from None
    if len(members) > MAX_MEMBERS:
        raise SourceError(where, f"the archive has {len(members)} members; a {suffix} has far fewer "
                             f"({MAX_MEMBERS} at most)", hint)
    names: set[str] = set()
    total = 0
    for member in members:
        name = member.filename
        if not _safe_name(name) or name.casefold() in names:
            raise SourceError(where, f"the archive has a member with an unsafe or repeated name {name!r}; "
                                 "Word and Excel never write one", hint)
        names.add(name.casefold())
        if member.flag_bits & 0x1:
            raise SourceError(where, f"member {name} is encrypted", hint + " (without a password)")
        if member.compress_type not in METHODS:
            raise SourceError(where, f"member {name} uses compression method {member.compress_type}, "
                                 "which Word and Excel never write", hint)
        if member.file_size > RATIO_FLOOR_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise SourceError(where, f"member {name} compresses {ratio}:1 (a zip bomb; documents stay "
                                 f"under {MAX_RATIO}:1)", hint)
        total += member.file_size
    if total > MAX_UNPACKED_BYTES:
        raise SourceError(where, f"the archive unpacks to {total / 2**20:.0f} MB, more than a disclosure "
                             f"({MAX_UNPACKED_BYTES // 2**20} MB at most)", hint)
    if _MAIN_PART[suffix] not in names:
        other = next((s for s, part in _MAIN_PART.items() if part in names), None)
        if other:
            raise SourceError(where, f"this is a {other} file named {suffix}", f"rename it to {path.stem}{other}")
        raise SourceError(where, f"a ZIP archive but not a {suffix} (it has no {_MAIN_PART[suffix]})", hint)


def _safe_name(name: str) -> bool:
    """A relative part name: no `..`, no drive or backslash, no control or invisible characters."""
    return (0 < len(name) <= MAX_NAME_CHARS and not name.startswith("/") and ".." not in name.split("/")
            and not any(c in "\\:" or unicodedata.category(c).startswith("C") for c in name))
