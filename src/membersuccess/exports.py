"""Helpers for files people open in spreadsheets."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """Stop a spreadsheet from evaluating a cell that looks like a formula (CSV injection).

    A leading apostrophe makes Excel, LibreOffice and Google Sheets show the text as typed."""
    if value and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
