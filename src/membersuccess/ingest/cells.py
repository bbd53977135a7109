"""Cell parsers: turn one raw cell (text from CSV, or a typed value from Parquet/Excel/JSON)
into the value we store, or raise CellError with a reason a person can act on."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from membersuccess.ingest.errors import CellError

Parser = Callable[[Any], Any]

# C0 control characters other than tab, newline and carriage return never belong in a
# name or a note; they usually mean a binary file or a broken export.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SLASHED_DATE = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}")

EARLIEST_DATE = date(1900, 1, 1)


def is_blank(raw: Any) -> bool:
    """An empty cell: None, an empty or whitespace-only string, or NaN from a spreadsheet."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return raw.strip() == ""
    return isinstance(raw, float) and math.isnan(raw)


def _show(raw: Any, limit: int = 40) -> str:
    text = str(raw)
    return repr(text if len(text) <= limit else text[:limit] + "…")


def text(max_length: int) -> Parser:
    """Text kept exactly as written (formula-looking cells included), within a length limit."""

    def parse(raw: Any) -> str:
        value = raw if isinstance(raw, str) else str(raw)
        value = value.strip()
        if len(value) > max_length:
            raise CellError(f"is {len(value)} characters long; at most {max_length} are allowed")
        found = _CONTROL.search(value)
        if found:
            raise CellError(f"contains the control character U+{ord(found.group()):04X}")
        return value

    return parse


def identifier(max_length: int = 64) -> Parser:
    """An external id: text without line breaks."""
    base = text(max_length)

    def parse(raw: Any) -> str:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)  # spreadsheets turn 1001 into 1001.0
        value = base(raw)
        if "\n" in value or "\r" in value or "\t" in value:
            raise CellError("contains a line break or tab")
        return value

    return parse


def choice(values: Iterable[str]) -> Parser:
    allowed = tuple(values)

    def parse(raw: Any) -> str:
        value = str(raw).strip().lower()
        if value not in allowed:
            raise CellError(f"{_show(raw)} is not one of: {', '.join(allowed)}")
        return value

    return parse


def email(raw: Any) -> str:
    value = text(254)(raw)
    if not _EMAIL.match(value):
        raise CellError(f"{_show(raw)} is not an email address")
    return value


def country(raw: Any) -> str:
    value = str(raw).strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", value):
        raise CellError(f"{_show(raw)} is not a two-letter ISO 3166 country code")
    return value


def _not_iso(raw: Any, what: str, example: str) -> CellError:
    text_value = str(raw).strip()
    if _SLASHED_DATE.match(text_value):
        return CellError(
            f"{_show(raw)} is ambiguous (day/month or month/day?); write the {what} as ISO 8601, e.g. {example}"
        )
    return CellError(f"{_show(raw)} is not an ISO 8601 {what}, e.g. {example}")


def date_between(*, latest: Callable[[], date]) -> Parser:
    """A calendar date from 1900 up to a moving latest date (e.g. today plus ten years)."""

    def parse(raw: Any) -> date:
        if isinstance(raw, datetime):
            value = raw.date()
        elif isinstance(raw, date):
            value = raw
        else:
            candidate = str(raw).strip()
            try:
                value = date.fromisoformat(candidate)
            except ValueError:
                try:
                    value = datetime.fromisoformat(candidate).date()
                except ValueError:
                    raise _not_iso(raw, "date", "2024-03-31") from None
        if value < EARLIEST_DATE:
            raise CellError(f"{value.isoformat()} is before {EARLIEST_DATE.isoformat()}")
        limit = latest()
        if value > limit:
            raise CellError(f"{value.isoformat()} is too far in the future (after {limit.isoformat()})")
        return value

    return parse


def timestamp_until(*, latest: Callable[[], datetime], zone: Callable[[], ZoneInfo]) -> Parser:
    """A point in time; one without a zone is read in the organization's time zone."""

    def parse(raw: Any) -> datetime:
        if isinstance(raw, datetime):
            value = raw
        elif isinstance(raw, date):
            value = datetime.combine(raw, time.min)
        else:
            candidate = str(raw).strip()
            try:
                value = datetime.fromisoformat(candidate)
            except ValueError:
                raise _not_iso(raw, "timestamp", "2024-03-31T14:05:00Z") from None
        if value.tzinfo is None:
            value = value.replace(tzinfo=zone())
        if value.date() < EARLIEST_DATE:
            raise CellError(f"{value.isoformat()} is before {EARLIEST_DATE.isoformat()}")
        limit = latest()
        if value > limit:
            raise CellError(f"{value.isoformat()} is in the future (after {limit:%Y-%m-%d %H:%M} UTC)")
        return value

    return parse


def number(*, minimum: float | None = None) -> Parser:
    def parse(raw: Any) -> float:
        if isinstance(raw, bool):
            raise CellError(f"{_show(raw)} is not a number")
        try:
            value = float(raw.strip().replace(",", "") if isinstance(raw, str) else raw)
        except (TypeError, ValueError):
            raise CellError(f"{_show(raw)} is not a number") from None
        if not math.isfinite(value):
            raise CellError(f"{_show(raw)} is not a finite number")
        if minimum is not None and value < minimum:
            raise CellError(f"{_show(raw)} is below the minimum {minimum:g}")
        return value

    return parse


def decimal_amount(raw: Any) -> Decimal:
    """Money: a non-negative amount with at most two decimals."""
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        raise CellError(f"{_show(raw)} is not an amount") from None
    if not value.is_finite():
        raise CellError(f"{_show(raw)} is not an amount")
    if value < 0:
        raise CellError(f"{_show(raw)} is negative")
    if value >= Decimal("100000000"):
        raise CellError(f"{_show(raw)} is too large")
    return value.quantize(Decimal("0.01"))


def integer(*, minimum: int | None = None, maximum: int | None = None) -> Parser:
    def parse(raw: Any) -> int:
        value = number()(raw)
        if not float(value).is_integer():
            raise CellError(f"{_show(raw)} is not a whole number")
        result = int(value)
        if minimum is not None and result < minimum:
            raise CellError(f"{result} is below the minimum {minimum}")
        if maximum is not None and result > maximum:
            raise CellError(f"{result} is above the maximum {maximum}")
        return result

    return parse


def json_object(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(str(raw))
    except json.JSONDecodeError as exc:
        raise CellError(f"is not valid JSON ({exc.msg} at character {exc.pos + 1})") from None
    if not isinstance(value, dict):
        raise CellError("must be a JSON object such as {\"room\": \"B\"}")
    return value


def word_list(raw: Any) -> list[str]:
    """A list written as `a;b` or `a|b` (or a real list from Parquet/JSON)."""
    items = raw if isinstance(raw, list) else re.split(r"[;|]", str(raw))
    checked = [text(40)(item).lower() for item in items]
    return [item for item in checked if item]


def today_plus(days: int) -> Callable[[], date]:
    def latest() -> date:
        return datetime.now(UTC).date() + timedelta(days=days)

    return latest


def now_plus(*, hours: int) -> Callable[[], datetime]:
    def latest() -> datetime:
        return datetime.now(UTC) + timedelta(hours=hours)

    return latest
