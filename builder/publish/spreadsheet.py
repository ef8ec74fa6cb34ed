"""Text for spreadsheet cells: a value from content never starts a formula (CSV or formula injection).

A reader opens the open data in Excel, WPS or LibreOffice; a cell whose text begins
with `=`, `+`, `-` or `@` is taken for a formula there (`=HYPERLINK(...)` sends the
sheet's data away, `=cmd|...` runs a program in old Excel), and so is one that begins
with a tab, CR or LF followed by one. As OWASP's CSV Injection page and ASVS 1.2.10
say, such text gets a single quote in front, for CSV and XLSX alike. The full-width
forms (＝＋－＠) are quoted too: Chinese and Japanese input methods type them and
spreadsheets have turned them into formulas. Numbers (money, percentages, parsed
target values) are never text here, so `-5` stays a number; only text is quoted.
JSON is not a spreadsheet and keeps every text exactly as written.
"""

from __future__ import annotations

FORMULA_STARTS = frozenset("=+-@\t\r\n\0＝＋－＠")


def spreadsheet_text(text: str) -> str:
    """`text` as a spreadsheet cell's text: quoted with `'` if a spreadsheet would read a formula."""
    return "'" + text if text[:1] in FORMULA_STARTS else text
