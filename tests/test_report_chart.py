"""The trend chart for chat: a small PNG, the same for the same data, different for other data."""

from __future__ import annotations

import struct
import threading
from dataclasses import replace

from reports.chart import trend_chart_png
from tests.report_samples import empty_report, sample_report

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk, the first after the signature."""
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_the_chart_is_a_small_png_readable_in_chat() -> None:
    png = trend_chart_png(sample_report())
    assert png.startswith(PNG_SIGNATURE)
    assert size(png) == (640, 320)
    assert 5_000 < len(png) < 200_000


def test_the_same_data_gives_the_same_picture() -> None:
    assert trend_chart_png(sample_report()) == trend_chart_png(sample_report())


def test_other_figures_give_another_picture() -> None:
    data = sample_report()
    trends = [*data.trends[:-1], replace(data.trends[-1], active=2, messages=300)]
    other = replace(data, trends=trends, this_week=trends[-1])
    assert trend_chart_png(other) != trend_chart_png(data)


def test_only_the_last_twelve_weeks_are_drawn() -> None:
    data = sample_report()
    earlier = replace(data.trends[0], week=data.trends[0].week.shifted(-1), active=999)
    assert trend_chart_png(replace(data, trends=[earlier, *data.trends])) == trend_chart_png(data)


def test_a_first_week_and_a_strange_name_still_draw() -> None:
    data = replace(empty_report(), community="$\\frac{1}{0}$ \x00 {odd}")
    png = trend_chart_png(data)  # no history: this week alone; the name is not typeset as math
    assert png.startswith(PNG_SIGNATURE)
    assert size(png) == (640, 320)


def test_charts_drawn_in_threads_at_once_do_not_mix() -> None:
    data = sample_report()
    expected = trend_chart_png(data)
    results: list[bytes] = []
    threads = [
        threading.Thread(target=lambda: results.append(trend_chart_png(data))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4
