"""Numbers in content: the one checked way from text to Decimal.

Every number a content file states (amounts, spending-plan percents, the number in a
target, amounts in the narrative) is read here, so that nothing Decimal() would accept
but a form never holds gets further: exponents (`1e400`, `1E5`), `NaN`, `Infinity`,
`sNaN`, signs (`-0`), digits of other scripts (`١٢٣`), 30-digit amounts that overflow
the 28 digits of Decimal's arithmetic in a total, or 3,000 digits after the point. The
bounds are in limits.py and docs/content.md.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from builder.base.limits import MAX_DECIMALS, MAX_INTEGER_DIGITS
from builder.base.messages import Message, msg

# ASCII digits only (`\d` would take any script's); thousands separators in groups of three.
_PLAIN = re.compile(r"(?P<int>[0-9]+)(?:\.(?P<frac>[0-9]+))?|\.(?P<bare>[0-9]+)")
_GROUPED = re.compile(r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+)(?:\.(?P<frac>[0-9]+))?")


class NumberError(ValueError):
    """`malformed`: the text is no number at all (the caller says what it expected there); otherwise
    it is a number out of bounds or negative, and `said` says which (`advice`: what to do)."""

    def __init__(self, said: Message, advice: Message, malformed: bool = False):
        super().__init__(said.key)
        self.said, self.advice = said, advice
        self.malformed = malformed

    @property
    def message(self) -> str:
        return self.said.text()

    @property
    def hint(self) -> str:
        return self.advice.text()

    def __str__(self) -> str:
        return self.message


BOUNDS_HINT = msg("numbers.bounds", digits=MAX_INTEGER_DIGITS, decimals=MAX_DECIMALS)


def parse_decimal(text: str) -> Decimal:
    """`1,250,000.00` -> Decimal; anything else raises NumberError saying what is wrong.

    Full-width digits (`１２３`) are folded to ASCII first (NFKC), as the rest of gongkai does.
    """
    folded = unicodedata.normalize("NFKC", text).strip()
    m = _PLAIN.fullmatch(folded) or _GROUPED.fullmatch(folded)
    if not m:
        if folded.startswith(("-", "−")):
            raise NumberError(msg("numbers.negative", number=shorten(text)), msg("numbers.never_negative"))
        raise NumberError(msg("numbers.not_a_number", number=shorten(text)), BOUNDS_HINT, malformed=True)
    whole = (m.group("int") or "0").replace(",", "").lstrip("0")
    fraction = m.group("frac") or m.group("bare") or ""
    if len(whole) > MAX_INTEGER_DIGITS:
        raise NumberError(msg("numbers.too_many_digits", number=shorten(text), digits=len(whole),
                              limit=MAX_INTEGER_DIGITS), BOUNDS_HINT)
    if len(fraction) > MAX_DECIMALS:
        raise NumberError(msg("numbers.too_many_decimals", number=shorten(text), digits=len(fraction),
                              limit=MAX_DECIMALS), BOUNDS_HINT)
    return Decimal(f"{whole or '0'}.{fraction or '0'}") if fraction else Decimal(whole or "0")


def read_number(text: str) -> Decimal | None:
    """For numbers found in prose (lint.py): the number, or None when it is not one we can trust."""
    try:
        return parse_decimal(text)
    except NumberError:
        return None


def plain_number(value: Decimal) -> str:
    """A number as a reviewer writes it: 740, 13.88, never 7.4E+2 or 7.40."""
    return format(value.normalize(), "f")


def shorten(text: str) -> str:
    """A number as a message quotes it: 3,000 digits are not repeated back in full."""
    return repr(text) if len(text) <= 40 else repr(text[:20] + "…" + text[-10:])
