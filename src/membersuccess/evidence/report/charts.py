"""The report's charts as a few drawing primitives, rendered the same way to SVG (HTML) and to the PDF.

Drawing once and rendering twice keeps the HTML and the PDF showing the same picture. Coordinates are
SVG-style: origin top left, y grows downwards. Every chart also carries its figures as text, so nothing
depends on reading colour."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib.colors import HexColor

INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#d1d5db"
ACCENT = "#2563eb"
WARN = "#b45309"
FONT_SIZE = 11


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = GRID
    dashed: bool = False


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    radius: float
    fill: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float  # the text's baseline
    text: str
    anchor: str = "start"  # start, middle or end
    size: float = FONT_SIZE
    fill: str = INK


@dataclass(frozen=True)
class Chart:
    """A picture with a title that says what it shows, in a width × height box."""

    title: str
    width: float
    height: float
    shapes: list[Box | Rule | Dot | Label] = field(default_factory=list)

    def svg(self) -> str:
        """Inline SVG markup; all text is escaped."""
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width:g} {self.height:g}" '
            f'width="{self.width:g}" height="{self.height:g}" role="img" aria-label="{escape(self.title)}" '
            f'font-family="Helvetica, Arial, sans-serif">',
            f"<title>{escape(self.title)}</title>",
        ]
        for shape in self.shapes:
            parts.append(_svg_shape(shape))
        parts.append("</svg>")
        return "".join(parts)

    def drawing(self) -> Drawing:
        """The same picture as a ReportLab drawing for the PDF (its y axis points up)."""
        drawing = Drawing(self.width, self.height)
        for shape in self.shapes:
            drawing.add(_pdf_shape(shape, height=self.height))
        return drawing


def _svg_shape(shape: Box | Rule | Dot | Label) -> str:
    if isinstance(shape, Box):
        return (f'<rect x="{shape.x:.1f}" y="{shape.y:.1f}" width="{shape.width:.1f}" '
                f'height="{shape.height:.1f}" fill="{shape.fill}"/>')
    if isinstance(shape, Rule):
        dash = ' stroke-dasharray="4 3"' if shape.dashed else ""
        return (f'<line x1="{shape.x1:.1f}" y1="{shape.y1:.1f}" x2="{shape.x2:.1f}" y2="{shape.y2:.1f}" '
                f'stroke="{shape.stroke}"{dash}/>')
    if isinstance(shape, Dot):
        return f'<circle cx="{shape.x:.1f}" cy="{shape.y:.1f}" r="{shape.radius:g}" fill="{shape.fill}"/>'
    return (f'<text x="{shape.x:.1f}" y="{shape.y:.1f}" text-anchor="{shape.anchor}" '
            f'font-size="{shape.size:g}" fill="{shape.fill}">{escape(shape.text)}</text>')


def _pdf_shape(shape: Box | Rule | Dot | Label, *, height: float) -> Rect | Line | Circle | String:
    if isinstance(shape, Box):
        return Rect(shape.x, height - shape.y - shape.height, shape.width, shape.height,
                    fillColor=HexColor(shape.fill), strokeColor=None)
    if isinstance(shape, Rule):
        return Line(shape.x1, height - shape.y1, shape.x2, height - shape.y2, strokeColor=HexColor(shape.stroke),
                    strokeDashArray=[4, 3] if shape.dashed else None)
    if isinstance(shape, Dot):
        return Circle(shape.x, height - shape.y, shape.radius, fillColor=HexColor(shape.fill), strokeColor=None)
    return String(shape.x, height - shape.y, shape.text, textAnchor=shape.anchor, fontSize=shape.size,
                  fillColor=HexColor(shape.fill), fontName="Helvetica")


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its length, the figure printed beside it, and whether to stress it."""

    label: str
    value: float
    shown: str
    stressed: bool = False


def bar_chart(title: str, bars: Sequence[Bar], *, maximum: float | None = None, width: float = 480,
              label_width: float = 170) -> Chart:
    """Horizontal bars with their figures written at the end; lengths are value ÷ maximum."""
    row, top = 24, 4
    chart = Chart(title=title, width=width, height=top + row * max(1, len(bars)) + 4)
    top_value = maximum if maximum is not None else max((bar.value for bar in bars), default=0.0)
    span = width - label_width - 70
    for index, bar in enumerate(bars):
        y = top + index * row
        chart.shapes.append(Label(label_width - 8, y + 15, _clip(bar.label, 30), anchor="end"))
        length = 0.0 if top_value <= 0 else span * max(0.0, bar.value) / top_value
        chart.shapes.append(Box(label_width, y + 4, max(length, 1.0), row - 8, WARN if bar.stressed else ACCENT))
        chart.shapes.append(Label(label_width + length + 6, y + 15, bar.shown))
    chart.shapes.append(Rule(label_width, top, label_width, top + row * max(1, len(bars))))
    return chart


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    stressed: bool = False


def scatter_chart(
    title: str,
    points: Sequence[Point],
    *,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    x_label: str,
    y_label: str,
    x_line: float | None = None,
    y_line: float | None = None,
    diagonal: bool = False,
    corner_labels: tuple[str, str, str, str] | None = None,  # top left, top right, bottom left, bottom right
    width: float = 480,
    height: float = 320,
) -> Chart:
    """Points on two axes, with optional dividing lines (a quadrant) or the y = x diagonal (calibration)."""
    left, right, top, bottom = 44, 12, 12, 40
    chart = Chart(title=title, width=width, height=height)
    plot_w, plot_h = width - left - right, height - top - bottom

    def px(x: float) -> float:
        return left + plot_w * (x - x_range[0]) / (x_range[1] - x_range[0])

    def py(y: float) -> float:
        return top + plot_h * (1 - (y - y_range[0]) / (y_range[1] - y_range[0]))

    chart.shapes.extend([
        Rule(left, top, left, top + plot_h, INK), Rule(left, top + plot_h, left + plot_w, top + plot_h, INK),
    ])
    for x in (x_range[0], (x_range[0] + x_range[1]) / 2, x_range[1]):
        chart.shapes.append(Label(px(x), top + plot_h + 14, f"{x:g}", anchor="middle", size=9, fill=MUTED))
    for y in (y_range[0], (y_range[0] + y_range[1]) / 2, y_range[1]):
        chart.shapes.append(Label(left - 6, py(y) + 3, f"{y:g}", anchor="end", size=9, fill=MUTED))
    chart.shapes.append(Label(left + plot_w / 2, height - 6, x_label, anchor="middle", size=10, fill=MUTED))
    chart.shapes.append(Label(4, top - 2 if top > 10 else 10, y_label, size=10, fill=MUTED))
    if x_line is not None:
        chart.shapes.append(Rule(px(x_line), top, px(x_line), top + plot_h, MUTED, dashed=True))
    if y_line is not None:
        chart.shapes.append(Rule(left, py(y_line), left + plot_w, py(y_line), MUTED, dashed=True))
    if diagonal:
        chart.shapes.append(Rule(px(x_range[0]), py(y_range[0]), px(x_range[1]), py(y_range[1]), MUTED, dashed=True))
    for point in points:
        chart.shapes.append(Dot(px(point.x), py(point.y), 3.5 if point.stressed else 2.5,
                                WARN if point.stressed else ACCENT))
    if corner_labels is not None:
        tl, tr, bl, br = corner_labels
        chart.shapes.extend([
            Label(left + 6, top + 14, tl, size=10, fill=MUTED),
            Label(left + plot_w - 6, top + 14, tr, anchor="end", size=10, fill=MUTED),
            Label(left + 6, top + plot_h - 6, bl, size=10, fill=MUTED),
            Label(left + plot_w - 6, top + plot_h - 6, br, anchor="end", size=10, fill=MUTED),
        ])
    return chart


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
