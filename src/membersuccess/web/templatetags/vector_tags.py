"""Template helpers for the Success Vector: status and flag words, signed changes, charts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from django import template

from membersuccess.scoring.models import VectorSnapshot
from membersuccess.scoring.selectors import StatusCount, flag_info
from membersuccess.web.charts import BarPart, Sparkline, sparkline, stacked_bar

register = template.Library()

_STATUS_LABELS = dict(VectorSnapshot.Status.choices)


class ScorePoint(Protocol):
    @property
    def as_of(self) -> date: ...

    @property
    def score(self) -> float: ...


@register.filter
def vector_status_label(status: str) -> str:
    """ "off_track" → "Off track"; an unknown status is shown as it is."""
    return str(_STATUS_LABELS.get(status, status))


@register.filter
def flag_label(code: str) -> str:
    """ "renewal_at_risk" → "Renewal at risk"."""
    return flag_info(str(code)).label


@register.filter
def signed(value: float | None, digits: int = 1) -> str:
    """A change with its sign and a true minus: "+4.2", "−3.0", "0.0"; "—" when unknown."""
    if value is None:
        return "—"
    rounded = round(float(value), digits)
    text = f"{abs(rounded):.{digits}f}"
    if rounded > 0:
        return f"+{text}"
    if rounded < 0:
        return f"−{text}"
    return text


@register.filter
def percent(value: float | None) -> str:
    """0.8 → "80%"."""
    return "—" if value is None else f"{round(float(value) * 100)}%"


@register.filter
def share_of(count: int, total: int) -> str:
    """A count as a whole percentage of a total: 3 of 8 → "38%"; "0%" of nothing."""
    return f"{round(100 * count / total)}%" if total else "0%"


@register.simple_tag
def score_sparkline(history: Sequence[ScorePoint], band: float | None = None) -> Sparkline | None:
    """Sparkline geometry for points that have an `as_of` and a `score`."""
    return sparkline([(p.as_of, p.score) for p in history], band=band)


@register.simple_tag
def status_bar(counts: Sequence[StatusCount]) -> list[BarPart]:
    """A 100% stacked bar of members by status."""
    return stacked_bar([(c.status, c.label, c.count) for c in counts])
