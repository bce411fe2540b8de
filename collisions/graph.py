"""The connection view: the ties of an enterprise (or an official) up to two hops, as data, then drawn
as a server-side SVG in the manner of core.charts — named and described for screen readers (a
``figure``, not an ``img`` as the charts are: its nodes are links, which an image would hide), followed by
a table of the same facts; readable in black and white (each kind of node has its own
shape, each kind of tie its own line style).

Every node the viewer may open is a link; an enterprise, official, contract or subsidy outside their
scope is drawn anonymised and without a link. People are named only for those who may see who someone
is (collisions.identity.may_see_person), masked (张*) for everyone else; ID hashes never leave the database.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

#: kind → (shape, legend label); the shapes are drawn by ``_shape``.
SHAPES = {
    "enterprise": "rect",
    "official": "diamond",
    "person": "circle",
    "address": "house",
    "phone": "triangle",
    "contract": "square",
    "subsidy": "hexagon",
}
#: tie → stroke-dasharray ("" solid).
LINES = {"person": "", "address": "8 4", "phone": "2 3", "ledger": "12 3 2 3", "register": "1 1"}


@dataclass
class Node:
    key: str
    kind: str
    label: str
    url: str = ""
    hop: int = 0
    parent: str = ""


@dataclass
class Edge:
    a: str
    b: str
    line: str  # a key of LINES
    label: str


@dataclass
class Graph:
    title: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    left_out: int = 0

    def add(self, node: Node, *, limit: int) -> bool:
        if node.key in self.nodes:
            return True
        if sum(1 for n in self.nodes.values() if n.hop == node.hop) >= limit:
            self.left_out += 1
            return False
        self.nodes[node.key] = node
        return True

    def tie(self, a: str, b: str, line: str, label: str) -> None:
        if a in self.nodes and b in self.nodes and not any({e.a, e.b} == {a, b} for e in self.edges):
            self.edges.append(Edge(a, b, line, label))


def kind_labels() -> dict[str, str]:
    return {
        "enterprise": _("enterprise"),
        "official": _("official"),
        "person": _("person"),
        "address": _("registered address"),
        "phone": _("phone"),
        "contract": _("contract"),
        "subsidy": _("subsidy"),
    }


def line_labels() -> dict[str, str]:
    return {
        "person": _("same person"),
        "address": _("same address"),
        "phone": _("same phone"),
        "ledger": _("contract or subsidy"),
        "register": _("relative or register entry"),
    }


# --- drawing ------------------------------------------------------------------------------------------------

WIDTH, HEIGHT, R1, R2 = 760, 560, 130, 240
#: A white outline behind a label, so that a tie running under it does not cross the characters.
HALO = 'paint-order="stroke" stroke="#fff" stroke-width="3" stroke-linejoin="round"'


def _positions(graph: Graph) -> dict[str, tuple[float, float]]:
    cx, cy = WIDTH / 2, (HEIGHT - 60) / 2 + 10
    positions = {}
    first = [n for n in graph.nodes.values() if n.hop == 1]
    for index, node in enumerate(first):
        angle = 2 * math.pi * index / max(len(first), 1) - math.pi / 2
        positions[node.key] = (cx + R1 * math.cos(angle), cy + R1 * math.sin(angle) * 0.8, angle)
    second = [n for n in graph.nodes.values() if n.hop == 2]
    spread: dict[str, int] = {}
    for node in second:
        parent_angle = positions.get(node.parent, (0, 0, 0))[2]
        n = spread[node.parent] = spread.get(node.parent, -1) + 1
        angle = parent_angle + (0.22 * ((n + 1) // 2) * (1 if n % 2 else -1))
        positions[node.key] = (cx + R2 * math.cos(angle), cy + R2 * math.sin(angle) * 0.78, angle)
    for node in graph.nodes.values():
        if node.hop == 0:
            positions[node.key] = (cx, cy, 0)
    return {key: (x, y) for key, (x, y, _a) in positions.items()}


def _shape(kind: str, x: float, y: float, size: float = 11) -> str:
    shape, s = SHAPES[kind], size
    style = 'fill="#fff" stroke="#222" stroke-width="1.6"'
    if shape == "rect":
        return f'<rect x="{x - s * 1.5:.1f}" y="{y - s:.1f}" width="{s * 3:.1f}" height="{s * 2:.1f}" {style}/>'
    if shape == "square":
        return f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{s * 2:.1f}" height="{s * 2:.1f}" {style} stroke-dasharray="3 2"/>'
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s:.1f}" {style}/>'
    points = {
        "diamond": [(0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)],
        "triangle": [(0, -1.2), (1.1, 0.9), (-1.1, 0.9)],
        "house": [(0, -1.2), (1.1, -0.2), (1.1, 1), (-1.1, 1), (-1.1, -0.2)],
        "hexagon": [(math.cos(a) * 1.15, math.sin(a) * 1.15) for a in (i * math.pi / 3 for i in range(6))],
    }[shape]
    return '<polygon points="{}" {}/>'.format(
        " ".join(f"{x + px * s:.1f},{y + py * s:.1f}" for px, py in points), style
    )


def _node_svg(node: Node, x: float, y: float) -> str:
    size = 15 if node.hop == 0 else 11
    label = node.label if len(node.label) <= 14 else node.label[:13] + "…"
    body = (
        f"<title>{escape(kind_labels()[node.kind])}：{escape(node.label)}</title>"
        + _shape(node.kind, x, y, size)
        + f'<text x="{x:.1f}" y="{y + size + 13:.1f}" text-anchor="middle" {HALO}>{escape(label)}</text>'
    )
    if node.url:
        return f'<a href="{escape(node.url)}">{body}</a>'
    return f"<g>{body}</g>"


def _legend(top: float) -> str:
    parts, x = [], 12.0
    for kind, label in kind_labels().items():
        parts.append(_shape(kind, x + 8, top, 6) + f'<text x="{x + 18:.1f}" y="{top + 4:.1f}">{escape(label)}</text>')
        x += 30 + 12 * len(label)
    x, top = 12.0, top + 22
    for line, label in line_labels().items():
        dash = f' stroke-dasharray="{LINES[line]}"' if LINES[line] else ""
        parts.append(
            f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x + 26:.1f}" y2="{top:.1f}" stroke="#222" stroke-width="1.6"{dash}/>'
            f'<text x="{x + 32:.1f}" y="{top + 4:.1f}">{escape(label)}</text>'
        )
        x += 44 + 12 * len(label)
    return "".join(parts)


def description(graph: Graph) -> str:
    return _("%(nodes)d nodes and %(ties)d ties around %(center)s.") % {
        "nodes": len(graph.nodes),
        "ties": len(graph.edges),
        "center": graph.title,
    }


def draw(graph: Graph) -> SafeString:
    graph_id = "graph-" + hashlib.sha1(graph.title.encode(), usedforsecurity=False).hexdigest()[:8]
    positions = _positions(graph)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="figure" class="portal-chart" '
        f'aria-labelledby="{graph_id}-title {graph_id}-desc" font-family="sans-serif" font-size="11">',
        f'<title id="{graph_id}-title">{escape(graph.title)}</title>',
        f'<desc id="{graph_id}-desc">{escape(description(graph))}</desc>',
    ]
    for edge in graph.edges:
        (x1, y1), (x2, y2) = positions[edge.a], positions[edge.b]
        dash = f' stroke-dasharray="{LINES[edge.line]}"' if LINES[edge.line] else ""
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#444" stroke-width="1.4"{dash}>'
            f"<title>{escape(edge.label)}</title></line>"
        )
    for node in graph.nodes.values():
        parts.append(_node_svg(node, *positions[node.key]))
    parts.append(_legend(HEIGHT - 38))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built here, every text escaped


def facts_table(graph: Graph) -> SafeString:
    """The same ties as a table: from, tie, to — each side a link when the viewer may open it."""

    def cell(node: Node) -> SafeString:
        kind = kind_labels()[node.kind]
        if node.url:
            return format_html('{}：<a href="{}">{}</a>', kind, node.url, node.label)
        return format_html("{}：{}", kind, node.label)

    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
        ((cell(graph.nodes[e.a]), e.label, cell(graph.nodes[e.b])) for e in graph.edges),
    )
    return format_html(
        '<table class="table table-sm"><caption class="caption-top">{}</caption><thead><tr>'
        '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
        _("The ties of the graph"),
        pgettext("graph", "from"),
        _("tie"),
        pgettext("graph", "to"),
        rows,
    )
