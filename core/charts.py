"""Small server-side SVG charts: no JavaScript, no CDN, readable when printed in black and white
(series differ by fill pattern as well as shade, and every bar carries its value).

A chart is also read without eyes: the SVG is an image named by its title and described by the totals of its
series (``role="img"``, ``aria-labelledby``), and a table of the same figures follows it in a <details> a
screen reader reaches and anyone can open. Both come from the one ``categories × series`` given here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

PATTERNS = [
    ("solid", '<rect width="6" height="6" fill="#333"/>'),
    ("hatch", '<rect width="6" height="6" fill="#fff"/><path d="M0,6 L6,0" stroke="#333" stroke-width="1.5"/>'),
    ("dots", '<rect width="6" height="6" fill="#fff"/><circle cx="3" cy="3" r="1.3" fill="#333"/>'),
]


@dataclass
class Series:
    label: str
    values: list[float]

    def value(self, index: int) -> float:
        return self.values[index] if index < len(self.values) else 0


def bar_chart(
    categories: list[str],
    series: list[Series],
    *,
    title: str,
    category_label: str,
    width: int = 640,
    height: int = 240,
) -> SafeString:
    """Grouped bars, one group per category (e.g. month), one bar per series; followed by the figures as a table."""
    names = "|".join([title, *categories, *(one.label for one in series)])
    chart_id = "chart-" + hashlib.sha1(names.encode(), usedforsecurity=False).hexdigest()[:8]
    return format_html(
        '<figure class="portal-chart-figure mb-0">{}{}</figure>',
        _svg(chart_id, categories, series, title=title, width=width, height=height),
        figures_table(categories, series, title=title, category_label=category_label),
    )


def chart_description(series: list[Series]) -> str:
    """What the chart shows in one sentence: each series' total."""
    return " ".join(
        _("%(series)s: %(total)s in all.") % {"series": one.label, "total": f"{sum(one.values):g}"} for one in series
    )


def figures_table(categories: list[str], series: list[Series], *, title: str, category_label: str) -> SafeString:
    """The chart's figures as a table, inside a <details> (closed: the chart shows them to sighted readers)."""
    head = format_html_join("", '<th scope="col" class="text-end">{}</th>', ((one.label,) for one in series))
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}</tr>',
        (
            (
                category,
                format_html_join("", '<td class="text-end">{}</td>', ((f"{one.value(i):g}",) for one in series)),
            )
            for i, category in enumerate(categories)
        ),
    )
    return format_html(
        '<details class="chart-figures no-print"><summary>{}</summary><table class="table table-sm mb-0">'
        '<caption class="caption-top">{}</caption><thead><tr><th scope="col">{}</th>{}</tr></thead>'
        "<tbody>{}</tbody></table></details>",
        _("The figures of the chart"),
        title,
        category_label,
        head,
        rows,
    )


def _svg(chart_id: str, categories: list[str], series: list[Series], *, title: str, width: int, height: int) -> str:
    left, right, top, bottom = 36, 10, 28 if title else 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([v for s in series for v in s.values] + [1])
    group_w = plot_w / max(len(categories), 1)
    bar_w = max(4.0, (group_w - 8) / max(len(series), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="portal-chart" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="sans-serif" font-size="11">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(chart_description(series))}</desc>',
        "<defs>"
        + "".join(
            f'<pattern id="{chart_id}-{name}" width="6" height="6" patternUnits="userSpaceOnUse">{body}</pattern>'
            for name, body in PATTERNS
        )
        + "</defs>",
    ]
    if title:
        parts.append(f'<text x="{left}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#333"/>')
    for index, category in enumerate(categories):
        x0 = left + index * group_w + 4
        for s_index, one in enumerate(series):
            value = one.value(index)
            bar_h = plot_h * value / peak
            x, y = x0 + s_index * bar_w, top + plot_h - bar_h
            pattern = PATTERNS[s_index % len(PATTERNS)][0]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{bar_h:.1f}" fill="url(#{chart_id}-{pattern})" stroke="#333" stroke-width="0.6">'
                f"<title>{escape(one.label)} {escape(category)}: {value:g}</title></rect>"
            )
            if value:
                parts.append(
                    f'<text x="{x + (bar_w - 1) / 2:.1f}" y="{y - 2:.1f}" text-anchor="middle" font-size="9">{value:g}</text>'
                )
        parts.append(
            f'<text x="{x0 + (group_w - 8) / 2:.1f}" y="{top + plot_h + 14}" text-anchor="middle">{escape(category)}</text>'
        )
    legend_x = left
    for s_index, one in enumerate(series):
        pattern = PATTERNS[s_index % len(PATTERNS)][0]
        parts.append(
            f'<rect x="{legend_x}" y="{height - 14}" width="10" height="10" fill="url(#{chart_id}-{pattern})" stroke="#333"/>'
        )
        parts.append(f'<text x="{legend_x + 14}" y="{height - 5}">{escape(one.label)}</text>')
        legend_x += 24 + 12 * len(one.label)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built here, every text escaped
