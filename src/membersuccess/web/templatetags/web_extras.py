"""Small display helpers for the web templates."""

from __future__ import annotations

from datetime import date

from django import template

register = template.Library()


@register.filter
def humanize_code(value: str) -> str:
    """Turn a code such as "event_attended" into "Event attended"."""
    text = str(value).replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


@register.filter
def nps_category(score: int) -> str:
    """The NPS group of a 0–10 score: promoter, passive or detractor."""
    if score >= 9:
        return "promoter"
    if score >= 7:
        return "passive"
    return "detractor"


@register.filter
def join_list(values: object, separator: str = ", ") -> str:
    """Join a JSON list for display; anything else is shown as it is."""
    if isinstance(values, list | tuple):
        return separator.join(str(v) for v in values if str(v).strip())
    return "" if values is None else str(values)


@register.filter
def days_after(day: date, start: date) -> str:
    """How far `day` lies after `start` in words: "today", "in 1 day", "in 12 days", "3 days ago"."""
    delta = (day - start).days
    if delta == 0:
        return "today"
    if delta > 0:
        return f"in {delta} day{'s' if delta != 1 else ''}"
    return f"{-delta} day{'s' if delta != -1 else ''} ago"
