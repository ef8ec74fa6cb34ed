"""Bytes of a text export -> text, in the encodings Chinese offices actually save in, or a refusal.

Read: UTF-8 (with or without BOM), UTF-16 LE/BE (with a BOM, or without one when
the NUL bytes say which), GB18030 and its subsets GBK and GB2312. Anything else is
refused with what to convert to, because a wrong guess does not fail: GB18030 maps
almost any byte string to *some* characters, so Big5, Shift-JIS or Latin-1 text
would come out as plausible-looking nonsense in the YAML. A GB18030 reading is
kept only if it reads like a simplified-Chinese document (see `_reads_as_gb`).
"""

from __future__ import annotations

import codecs
import unicodedata
from collections import Counter

from builder.base.messages import msg
from builder.importers.errors import SourceError

# Characters a GB reading may have that are not in GB2312 or are another script's
# (kana, Hangul, Cyrillic …), as a share of its non-ASCII characters. Real GBK
# disclosures have a few (a rare character in a name, ≦, ㎡); Big5, Shift-JIS
# or Latin-1 read as GB18030 have a third or more.
MAX_FOREIGN_SHARE = 0.02
# BOM-less UTF-16: its ASCII characters (newlines, TABs, digits) put a NUL in every
# other byte. At least this share of code units must carry such a NUL, nearly all
# on one side, before the bytes are read as UTF-16 rather than refused as binary.
MIN_UTF16_NUL_SHARE = 0.05
MAX_UTF16_OTHER_SIDE = 0.1
_ALLOWED_CONTROLS = set("\t\n\r\f\v")
_FOREIGN_SCRIPTS = ((0x0370, 0x052F), (0x1100, 0x11FF), (0x3040, 0x30FF), (0x3100, 0x318F), (0xAC00, 0xD7AF))



def decode_text(data: bytes, where: str) -> str:
    for bom, codec in ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                       (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            if codec == "UTF-32":
                raise SourceError(where, msg("encoding.utf32"))
            return _strict(data[len(bom):], codec, where)
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            raise SourceError(where, msg("encoding.binary"))
        return _strict(data, utf16, where)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _reads_as_gb(text):
        return text
    raise SourceError(where, msg("encoding.unknown"))


def _strict(data: bytes, codec: str, where: str) -> str:
    name = codec.upper().replace("-SIG", "")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise SourceError(where, msg("encoding.bad_byte", encoding=name, byte=exc.start)) from None
    odd = next((c for c in sorted(set(text)) if _is_junk(c)), None)
    if odd is not None:  # UTF-16 decodes almost any even-length bytes; junk says it was not text
        raise SourceError(where, msg("encoding.junk", encoding=name, char=f"U+{ord(odd):04X}"))
    return text


def _bomless_utf16(data: bytes) -> str | None:
    if len(data) % 2:
        return None
    units = len(data) // 2
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd >= units * MIN_UTF16_NUL_SHARE and even <= odd * MAX_UTF16_OTHER_SIDE:
        return "utf-16-le"  # ASCII 'a' is 61 00
    if even >= units * MIN_UTF16_NUL_SHARE and odd <= even * MAX_UTF16_OTHER_SIDE:
        return "utf-16-be"
    return None


def _is_junk(char: str) -> bool:
    """Control, private-use, unassigned or surrogate: never in a disclosure's text."""
    if char in _ALLOWED_CONTROLS:
        return False
    return unicodedata.category(char) in ("Cc", "Co", "Cn", "Cs")


def _reads_as_gb(text: str) -> bool:
    counts = Counter(text)  # judged per distinct character: a 5 MB text has a few thousand
    if any(_is_junk(c) for c in counts):
        return False
    wide = sum(n for c, n in counts.items() if ord(c) > 0x7F)
    foreign = sum(n for c, n in counts.items() if ord(c) > 0x7F and _foreign(c))
    return foreign <= wide * MAX_FOREIGN_SHARE


def _foreign(char: str) -> bool:
    code = ord(char)
    if any(low <= code <= high for low, high in _FOREIGN_SCRIPTS):
        return True
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False
