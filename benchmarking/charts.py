"""Server-rendered bar charts (SVG) for self-assessment results.

The chart is a picture of a table that the page also shows: the SVG has a title and is
described by that table, so nothing is only in the picture.
"""

from dataclasses import dataclass, field

from django.template.defaultfilters import floatformat

# Distinguishable colours with at least 3:1 contrast against white (WCAG 1.4.11).
PALETTE = ["#1d4ed8", "#c2410c", "#15803d", "#7e22ce", "#a16207", "#0e7490", "#be185d", "#4d7c0f"]

WIDTH = 760
LEFT = 16
RIGHT = 70
BAR = 14
BAR_GAP = 3
LABEL = 20
GROUP_GAP = 14


@dataclass
class Bar:
    x: float
    y: float
    width: float
    colour: str
    series: str
    value_text: str
    text_x: float

    @property
    def text_y(self) -> float:
        return self.y + 11


@dataclass
class Group:
    label: str
    label_y: float
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: float
    groups: list[Group]
    ticks: list[tuple[float, str]]
    legend: list["LegendItem"]
    bar_height: int = BAR

    @property
    def tick_label_y(self) -> int:
        return self.plot_top - 4


@dataclass
class LegendItem:
    x: int
    y: int
    name: str
    colour: str

    @property
    def text_x(self) -> int:
        return self.x + 18

    @property
    def text_y(self) -> int:
        return self.y + 10


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about ``ticks`` ticks."""
    import math

    if span <= 0:
        return 1
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def bar_chart(
    categories, series, *, low: float, high: float, missing_text: str, step: float = 1
) -> Chart:
    """Grouped horizontal bars: one group per category, one bar per series.

    ``series`` is a list of (name, values) with one value (or None) per category.
    """
    plot_left, plot_right = LEFT, WIDTH - RIGHT
    span = (high - low) or 1

    def x_of(value):
        return plot_left + (plot_right - plot_left) * (value - low) / span

    legend = []
    per_row = 3
    for number, (name, _values) in enumerate(series):
        row, column = divmod(number, per_row)
        legend.append(
            LegendItem(
                x=LEFT + column * ((WIDTH - LEFT) // per_row),
                y=8 + row * 20,
                name=name if len(name) <= 32 else name[:31] + "…",
                colour=PALETTE[number % len(PALETTE)],
            )
        )
    top = 8 + ((len(series) + per_row - 1) // per_row) * 20 + 6
    groups = []
    y = top + 16
    for index, category in enumerate(categories):
        group = Group(label=category, label_y=y + 13)
        y += LABEL
        for number, (name, values) in enumerate(series):
            value = values[index]
            colour = PALETTE[number % len(PALETTE)]
            if value is None:
                text = f"{name}: {missing_text}"
                group.bars.append(Bar(plot_left, y, 0, colour, name, text, plot_left + 4))
            else:
                # Bars grow from zero (or the axis start, when that is above zero).
                base = x_of(min(max(0, low), high))
                end = x_of(min(max(value, low), high))
                left, right = min(base, end), max(base, end)
                group.bars.append(
                    Bar(
                        left,
                        y,
                        max(right - left, 1),
                        colour,
                        name,
                        floatformat(value, 1),
                        right + 4,
                    )
                )
            y += BAR + BAR_GAP
        groups.append(group)
        y += GROUP_GAP
    ticks = []
    value = low
    while value <= high + step / 1000:
        ticks.append((x_of(value), floatformat(value, -2)))
        value += step
    return Chart(
        width=WIDTH,
        height=int(y + 8),
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=top,
        plot_bottom=y - GROUP_GAP,
        groups=groups,
        ticks=ticks,
        legend=legend,
    )
