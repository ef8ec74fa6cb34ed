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

An .xlsx costs openpyxl about 1 KB of memory and 20 µs per cell it loads, so a
workbook's cells are counted here, in every XML member (openpyxl follows the
relationships to its sheets, whatever they are named), before it loads any.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile
from pathlib import Path

from builder.base.diagnostics import display_path
from builder.base.messages import Message, msg
from builder.importers.errors import SourceError

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
# Cells in a whole workbook. The flattest disclosure imaginable, 2,000 projects x 15 indicators
# x 10 columns on one sheet, is 300,000; a calculation chain (xl/calcChain.xml) lists formula
# cells once more. 500,000 keeps openpyxl under about 10 s and 500 MB; 1.9 M cells in a 1.5 MB
# file cost it 40 s and 1.1 GB.
MAX_WORKBOOK_CELLS = 500_000
# A cell is the element `c`, prefixed or not: `<c>`, `<c r="A1">`, `<c/>`, `<x:c>`; not `<cols>`,
# `<col>`, `<cfRule>`, `<color>` or `<c:chart>`. A `<c` in a comment counts too; Excel writes none.
_CELL = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?c[ \t\r\n/>]")
_MAIN_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # .doc/.xls and password-protected Office files
# How an XML document's first bytes say its encoding (XML 1.0, appendix F): byte order marks, which
# are skipped, then the first characters `<?` in each width. EBCDIC ("<?xm" is 4C 6F A7 94) is refused.
_XML_BOMS = [(codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF8, "utf-8"),
             (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF16_LE, "utf-16-le")]
_XML_STARTS = [(b"\0\0\0<", "utf-32-be"), (b"<\0\0\0", "utf-32-le"), (b"\0<\0?", "utf-16-be"),
               (b"<\0?\0", "utf-16-le"), (b"\x4c\x6f\xa7\x94", "EBCDIC")]
_DECLARED_ENCODING = re.compile(r"""<\?xml[^>]*?\sencoding\s*=\s*["']([^"']{1,40})["']""")
# XML 1.0 prolog: `Misc*` (space, processing instructions, comments), then a DOCTYPE or the root element.
_MISC = re.compile(r"(?:[ \t\r\n]+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)


def check_office_archive(path: Path, suffix: str, data: bytes | None = None) -> None:
    """Refuse anything but a plain, sanely sized Office archive of the kind its name says.
    `data`: the file's bytes, as the parsers will get them (read from `path` when not given)."""
    where, hint = display_path(str(path)), msg("archives.resave", suffix=suffix)
    if data is None:
        data = path.read_bytes()
    magic = data[:8]
    if magic == _OLE_MAGIC:
        raise SourceError(where, msg("archives.old_format", suffix=suffix),
                          msg("archives.resave_without_password", suffix=suffix))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise SourceError(where, msg("archives.not_zip", suffix=suffix), hint) from None
    if len(members) > MAX_MEMBERS:
        raise SourceError(where, msg("archives.too_many_members", count=len(members), suffix=suffix,
                                     most=MAX_MEMBERS), hint)
    names: set[str] = set()
    total = 0
    for member in members:
        name = member.filename
        if not _safe_name(name) or name.casefold() in names:
            raise SourceError(where, msg("archives.unsafe_name", name=repr(name)), hint)
        names.add(name.casefold())
        if member.flag_bits & 0x1:
            raise SourceError(where, msg("archives.encrypted", name=name),
                              msg("archives.resave_without_password", suffix=suffix))
        if member.compress_type not in METHODS:
            raise SourceError(where, msg("archives.method", name=name, method=member.compress_type), hint)
        if member.file_size > RATIO_FLOOR_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise SourceError(where, msg("archives.zip_bomb", name=name, ratio=ratio, most=MAX_RATIO), hint)
        total += member.file_size
    if total > MAX_UNPACKED_BYTES:
        raise SourceError(where, msg("archives.unpacks_to", mb=f"{total / 2**20:.0f}",
                                     most=MAX_UNPACKED_BYTES // 2**20), hint)
    if _MAIN_PART[suffix] not in names:
        other = next((s for s, part in _MAIN_PART.items() if part in names), None)
        if other:
            raise SourceError(where, msg("archives.other_kind", other=other, suffix=suffix),
                              msg("archives.rename", name=f"{path.stem}{other}"))
        raise SourceError(where, msg("archives.no_main_part", suffix=suffix, part=_MAIN_PART[suffix]), hint)
    cells = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in members:
            text = _check_xml_member(archive, member, where, hint)
            if suffix == ".xlsx" and text:
                cells = _count_cells(text, cells, member.filename, where)


def _count_cells(text: str, before: int, name: str, where: str) -> int:
    """The workbook's cells so far, `before` plus this member's; refused at the first past MAX_WORKBOOK_CELLS."""
    cells = before
    for match in _CELL.finditer(text):
        cells += 1
        if cells > MAX_WORKBOOK_CELLS:
            raise SourceError(where, msg("archives.too_many_cells", at=f"{name}:{_position(text, match.start())}",
                                         count=cells, most=MAX_WORKBOOK_CELLS))
    return cells


def _position(text: str, at: int) -> str:
    """`line:column` of the character at `at`, both counted from 1."""
    return f"{text.count(chr(10), 0, at) + 1}:{at - text.rfind(chr(10), 0, at)}"


def _check_xml_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, where: str, hint: Message) -> str | None:
    """Refuse an XML member that declares a DOCTYPE, or that cannot be read in the encoding it declares.

    Every member is looked at, not only the `.xml` ones: the parts a parser opens are
    named by `_rels` and `[Content_Types].xml`, so any member may be parsed as XML.
    Returns the member's text if it is XML.
    """
    try:
        data = archive.read(member)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise SourceError(where, msg("archives.damaged", name=member.filename), hint) from None
    text = _xml_text(data)
    if text is None:
        return None  # not XML (a picture, a font): no XML parser reads it
    if isinstance(text, tuple):
        encoding, reason = text
        raise SourceError(where, msg("archives.xml_encoding", name=member.filename, encoding=repr(encoding),
                                     reason=reason), hint)
    # The declaration is a processing instruction to this pattern, which matches any text (if only
    # its empty start).
    misc = _MISC.match(text)
    at = misc.end() if misc else 0
    if text.startswith("<!DOCTYPE", at):
        raise SourceError(where, msg("archives.doctype", at=f"{member.filename}:{_position(text, at)}"), hint)
    return text


def _xml_text(data: bytes) -> str | tuple[str, Message] | None:
    """The member as text if it is XML; (encoding, reason) if it is XML no codec reads; None if not XML."""
    bom = next(((len(mark), name) for mark, name in _XML_BOMS if data.startswith(mark)), None)
    start, encoding = bom or (0, next((name for mark, name in _XML_STARTS if data.startswith(mark)), None))
    if encoding == "EBCDIC":
        return encoding, msg("archives.ebcdic")
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
        return encoding, msg("archives.unknown_encoding")
    except UnicodeDecodeError as exc:
        return encoding, msg("archives.bad_byte", byte=start + exc.start, encoding=encoding)


def _safe_name(name: str) -> bool:
    """A relative part name: no `..`, no drive or backslash, no control or invisible characters."""
    return (0 < len(name) <= MAX_NAME_CHARS and not name.startswith("/") and ".." not in name.split("/")
            and not any(c in "\\:" or unicodedata.category(c).startswith("C") for c in name))
