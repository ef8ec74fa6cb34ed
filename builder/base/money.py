"""Money for people: exact Decimal in, `100,000.00 元` out.

One rounding rule everywhere: half-up to 2 decimals (the way 财政 tables round),
applied only when displaying; stored values are never rounded. Independent of
the machine's locale.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def format_amount(value: Decimal | None) -> str:
    """`1250000` -> `1,250,000.00`; None (a blank cell) -> empty string."""
    if value is None:
        return ""
    if not isinstance(value, Decimal):
        raise TypeError(f"money must be Decimal, got {type(value).__name__}")
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,}"


def format_money(value: Decimal | None, unit: str) -> str:
    """`100,000.00 元`; a blank stays blank."""
    text = format_amount(value)
    return f"{text} {unit}" if text else ""
