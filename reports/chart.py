"""The small trend chart that goes with the report in chat: active members and contributions.

Drawn with matplotlib's Agg canvas on a ``Figure`` of its own (no pyplot, so no global state and
no display): safe in a worker thread, and two reports drawn at once do not share a figure.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from reports.cells import clean_text
from storage.report_rows import ReportData

WIDTH_IN, HEIGHT_IN, DPI = 6.4, 3.2, 100  # 640 x 320 pixels: readable in a chat preview
ACTIVE_COLOUR, CONTRIBUTIONS_COLOUR = "#305496", "#63BE7B"
WEEKS = 12


def trend_chart_png(data: ReportData) -> bytes:
    """A PNG of the last 12 weeks' active members and contributions."""
    weeks = data.trends[-WEEKS:] or [data.this_week]
    labels = [f"W{week.week.week:02d}" for week in weeks]
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)  # the Agg backend, chosen for this figure only
    bars = figure.add_subplot()
    # Contributions run several times the active members: the line has its own axis (right).
    line = bars.twinx()
    drawn_bars = bars.bar(
        labels, [week.contributions for week in weeks], color=CONTRIBUTIONS_COLOUR
    )
    (drawn_line,) = line.plot(
        labels, [week.active for week in weeks], color=ACTIVE_COLOUR, marker="o", linewidth=2.5
    )
    line.legend(
        [drawn_bars, drawn_line],
        ["Contributions", "Active members"],
        loc="upper left",
        fontsize=9,
        frameon=False,
    )
    bars.set_ylabel(f"Contributions ({weeks[-1].contributions} this week)", fontsize=9)
    line.set_ylabel(f"Active members ({weeks[-1].active} this week)", fontsize=9)
    bars.yaxis.label.set_color("#3A7D44")
    line.yaxis.label.set_color(ACTIVE_COLOUR)
    title = f"{clean_text(data.community, one_line=True)}: the last {len(weeks)} weeks"
    # parse_math off: a community named "$x$" is a name, not a formula to typeset.
    bars.set_title(title, fontsize=12, loc="left", parse_math=False)
    for axes in (bars, line):
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(bottom=0)
        axes.spines[["top"]].set_visible(False)
        axes.tick_params(labelsize=9)
    bars.grid(axis="y", alpha=0.3)
    out = io.BytesIO()
    # No software or date in the metadata: the same data gives the same bytes.
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
