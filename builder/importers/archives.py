"""`.docx` and `.xlsx` are ZIP archives: look inside with `zipfile` before python-docx or openpyxl open them.

Those libraries unpack whatever the archive says, so a file of a few KB can ask
for gigabytes (a zip bomb), or hold members named like paths outside it. The
limits are far above what Word, Excel or WPS write for a disclosure of a few
hundred pages, and far below what hurts a build machine. Sizes are the ones the
archive declares; `zipfile` stops reading a member at its declared size (and
fails its CRC), so a member that lies about its size cannot unpack more.

The XML members are untrusted too. A DOCTYPE is where entities and external
DTDs live: a billion-laughs or quadratic blowup, `SYSTEM "file:///..."`, a
fetch from the network. Word, Excel and WPS never write one, so a member that
declares one is refused before python-docx (lxml) or openpyxl (the stdlib's
expat) parse it; their own limits depend on the libxml2 and expat they were
built with. The member is read in the encoding it declares, as the parsers
would read it, so a UTF-16 or UTF-7 DOCTYPE is found as surely as a UTF-8 one.
"""

from __future__ import annotations

import codecs
import re
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
# How an XML document's first bytes say its encoding (XML 1.0, appendix F): byte order marks, which
# are skipped, then the first characters `<?` in each width. EBCDIC ("<?xm" is 4C 6F A7 94) is refused.
_XML_BOMS = [(codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF8, "utf-8"),
             (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF16_LE, "utf-16-le")]
_XML_STARTS = [(b"\0\0\0<", "utf-32-be"), (b"<\0\0\0", "utf-32-le"), (b"\0<\0?", "utf-16-be"),
               (b"<\0?\0", "utf-16-le"), (b"\x4c\x6f\xa7\x94", "EBCDIC")]
_DECLARED_ENCODING = re.compile(r"""<\?xml[^>]*?\sencoding\s*=\s*["']([^"']{1,40})["']""")
# XML 1.0 prolog: `Misc*` (space, processing instructions, comments), then a DOCTYPE or the root element.
_MISC = re.compile(r"(?:[ \t\r\n]+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)


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
    with zipfile.ZipFile(path) as archive:
        for member in members:
            _check_xml_member(archive, member, where, hint)


def _check_xml_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, where: str, hint: str) -> None:
    """Refuse an XML member that declares a DOCTYPE, or that cannot be read in the encoding it declares.

    Every member is looked at, not only the `.xml` ones: the parts a parser opens are
    named by `_rels` and `[Content_Types].xml`, so any member may be parsed as XML.
    """
    try:
        data = archive.read(member)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise SourceError(where, f"member {member.filename} is damaged", hint) from None
    text = _xml_text(data)
    if text is None:
        return  # not XML (a picture, a font): no XML parser reads it
    if isinstance(text, str):
        at = _MISC.match(text).end()  # the declaration is a processing instruction to this pattern
        if text.startswith("<!DOCTYPE", at):
            line = text.count("\n", 0, at) + 1
            column = at - text.rfind("\n", 0, at)
            raise SourceError(where, f"{member.filename}:{line}:{column} declares a DOCTYPE (<!DOCTYPE …>), which "
                                     "Word and Excel never write: it can expand entities, read files or fetch DTDs",
                              hint)
    if isinstance(text, tuple):
        encoding, reason = text
        raise SourceError(where, f"{member.filename} is XML that cannot be read as {encoding!r} ({reason}); "
                                 "Word and Excel write UTF-8", hint)


def _xml_text(data: bytes) -> str | tuple[str, str] | None:
    """The member as text if it is XML; (encoding, reason) if it is XML no codec reads; None if not XML."""
    bom = next(((len(mark), name) for mark, name in _XML_BOMS if data.startswith(mark)), None)
    start, encoding = bom or (0, next((name for mark, name in _XML_STARTS if data.startswith(mark)), None))
    if encoding == "EBCDIC":
        return encoding, "Word and Excel never write it"
    head = data[start:start + 1024].decode(encoding or "utf-8", errors="replace").lstrip(" \t\r\n")
    if not head.startswith("<"):
        return None
    if encoding in (None, "utf-8"):  # ASCII-compatible: the declaration says which encoding (libxml2
        # follows it even after a UTF-8 byte order mark), UTF-8 if there is none
        declared = _DECLARED_ENCODING.match(head)
        encoding = declared[1] if declared else "utf-8"
    try:
        return data[start:].decode(encoding)
    except LookupError:
        return encoding, "an encoding Python does not know"
    except UnicodeDecodeError as exc:
        return encoding, f"byte {start + exc.start} is not {encoding}"


def _safe_name(name: str) -> bool:
    """A relative part name: no `..`, no drive or backslash, no control or invisible characters."""
    return (0 < len(name) <= MAX_NAME_CHARS and not name.startswith("/") and ".." not in name.split("/")
            and not any(c in "\\:" or unicodedata.category(c).startswith("C") for c in name))
