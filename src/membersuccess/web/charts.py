"""Small charts drawn on the server as inline SVG: no script, no download, readable without colour."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    as_of: date
    score: float


@dataclass(frozen=True)
class Sparkline:
    """A 0–100 score over time, scaled into a width × height box."""

    width: int
    height: int
    points: str  # the polyline's "x,y x,y ..." attribute
    dots: list[Dot]
    band_y: float | None  # where the low band (off track below it) runs, if given

    @property
    def last(self) -> Dot:
        return self.dots[-1]

    @property
    def first(self) -> Dot:
        return self.dots[0]


def sparkline(
    values: Sequence[tuple[date, float]], *, width: int = 240, height: int = 56, pad: int = 4, band: float | None = None
) -> Sparkline | None:
    """Geometry for a score sparkline on a fixed 0–100 scale, so two members' lines compare at a glance."""
    if not values:
        return None
    inner_w, inner_h = width - 2 * pad, height - 2 * pad

    def y_of(score: float) -> float:
        return round(pad + inner_h * (1 - max(0.0, min(100.0, score)) / 100), 1)

    step = inner_w / (len(values) - 1) if len(values) > 1 else 0.0
    dots = [
        Dot(x=round(pad + (i * step if len(values) > 1 else inner_w), 1), y=y_of(score), as_of=as_of, score=score)
        for i, (as_of, score) in enumerate(values)
    ]
    return Sparkline(
        width=width,
        height=height,
        points=" ".join(f"{d.x},{d.y}" for d in dots),
        dots=dots,
        band_y=None if band is None else y_of(band),
    )


@dataclass(frozen=True)
class BarPart:
    key: str
    label: str
    count: int
    x: float
    width: float


def stacked_bar(parts: Sequence[tuple[str, str, int]], *, width: int = 1000) -> list[BarPart]:
    """Where each part of a 100% stacked bar starts and how wide it is; empty parts are left out."""
    total = sum(count for _, _, count in parts)
    if total <= 0:
        return []
    bars, x = [], 0.0
    for key, label, count in parts:
        if count <= 0:
            continue
        part_width = round(width * count / total, 2)
        bars.append(BarPart(key=key, label=label, count=count, x=round(x, 2), width=part_width))
        x += part_width
    return bars
