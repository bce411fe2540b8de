"""The server-side charts read without eyes: a named, described image and a table of the very same figures."""

import re
from html.parser import HTMLParser

from core.charts import Series, bar_chart


class Chart(HTMLParser):
    def __init__(self):
        super().__init__()
        self.svg, self.ids, self.rows, self._cell, self._id = {}, {}, [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg":
            self.svg = attrs
        if attrs.get("id") and tag in ("title", "desc"):
            self._id = attrs["id"]
            self.ids[self._id] = ""
        if tag == "tr":
            self.rows.append([])
        if tag in ("th", "td"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("th", "td"):
            self.rows[-1].append(self._cell.strip())
            self._cell = None
        if tag in ("title", "desc"):
            self._id = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._id:
            self.ids[self._id] += data


def read(html: str) -> Chart:
    chart = Chart()
    chart.feed(html)
    return chart


FILED = Series("投诉", [3, 0, 5])
VERIFIED = Series("整改", [1, 2])  # shorter than the categories: the missing month is a 0


def test_the_chart_is_an_image_named_by_its_title_and_described_by_its_totals():
    chart = read(bar_chart(["1月", "2月", "3月"], [FILED, VERIFIED], title="2026 年按月", category_label="月份"))
    assert chart.svg["role"] == "img"
    title_id, desc_id = chart.svg["aria-labelledby"].split()
    assert chart.ids[title_id] == "2026 年按月"
    assert "投诉" in chart.ids[desc_id] and "8" in chart.ids[desc_id]
    assert "整改" in chart.ids[desc_id] and "3" in chart.ids[desc_id]


def test_the_table_next_to_the_chart_holds_the_same_figures():
    html = bar_chart(["1月", "2月", "3月"], [FILED, VERIFIED], title="2026 年按月", category_label="月份")
    chart = read(html)
    assert chart.rows[0] == ["月份", "投诉", "整改"]
    assert chart.rows[1:] == [["1月", "3", "1"], ["2月", "0", "2"], ["3月", "5", "0"]]
    # The bars carry the same values as the table.
    bar_values = re.findall(r"<title>(\S+) (\d+月): (\d+)</title>", html)
    assert {(series, month, value) for series, month, value in bar_values} == {
        (label, row[0], row[column]) for row in chart.rows[1:] for column, label in ((1, "投诉"), (2, "整改"))
    }


def test_two_charts_on_one_page_do_not_share_ids():
    one = read(bar_chart(["1月"], [FILED], title="甲", category_label="月份"))
    other = read(bar_chart(["1月"], [FILED], title="乙", category_label="月份"))
    assert not set(one.ids) & set(other.ids)
