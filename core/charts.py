"""Small server-side SVG charts: no JavaScript, no CDN, readable when printed in black and white
(series differ by fill pattern as well as shade, and every bar carries its value)."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

PATTERNS = [
    ("solid", '<rect width="6" height="6" fill="#333"/>'),
    ("hatch", '<rect width="6" height="6" fill="#fff"/><path d="M0,6 L6,0" stroke="#333" stroke-width="1.5"/>'),
    ("dots", '<rect width="6" height="6" fill="#fff"/><circle cx="3" cy="3" r="1.3" fill="#333"/>'),
]


@dataclass
class Series:
    label: str
    values: list[float]


def bar_chart(
    categories: list[str], series: list[Series], *, title: str = "", width: int = 640, height: int = 240
) -> str:
    """Grouped bars, one group per category (e.g. month), one bar per series."""
    left, right, top, bottom = 36, 10, 28 if title else 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([v for s in series for v in s.values] + [1])
    groups = max(len(categories), 1)
    group_w = plot_w / groups
    bar_w = max(4.0, (group_w - 8) / max(len(series), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="portal-chart" '
        f'font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        "<defs>"
        + "".join(
            f'<pattern id="p-{name}" width="6" height="6" patternUnits="userSpaceOnUse">{body}</pattern>'
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
            value = one.values[index] if index < len(one.values) else 0
            bar_h = plot_h * value / peak
            x, y = x0 + s_index * bar_w, top + plot_h - bar_h
            pattern = PATTERNS[s_index % len(PATTERNS)][0]
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{bar_h:.1f}" fill="url(#p-{pattern})" stroke="#333" stroke-width="0.6">'
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
            f'<rect x="{legend_x}" y="{height - 14}" width="10" height="10" fill="url(#p-{pattern})" stroke="#333"/>'
        )
        parts.append(f'<text x="{legend_x + 14}" y="{height - 5}">{escape(one.label)}</text>')
        legend_x += 24 + 12 * len(one.label)
    parts.append("</svg>")
    return "".join(parts)
