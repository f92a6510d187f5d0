"""A flow drawn as inline SVG for the admin: questions and outcomes in rows by their distance from the
first question, an arrow for every answer, problems marked in red. Drawn on the server; no script, no
external service. The admin page lists the same problems and nodes in words beside it."""

from collections import deque

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from inquiry.core.svg import text_block, wrap

from .checks import problems_by_node
from .engine import OUTCOME, QUESTION, FlowGraph, Node

BOX_WIDTH = 184
BOX_HEIGHT = 60
COLUMN_GAP = 28
ROW_GAP = 96
MARGIN = 24
TOP = 40  # room for the "Start" marker above the first row
FONT = 12
LABEL_FONT = 10.5


def _rows(graph: FlowGraph) -> tuple[list[list[Node]], bool]:
    """Nodes by breadth-first distance from the first question; unreachable ones in a last row
    (the flag says whether there is such a row)."""
    rows, placed = [], set()
    start = graph.question(graph.first_question)
    if start is not None:
        first = Node(QUESTION, start.slug)
        placed.add(first)
        queue = deque([(first, 0)])
        while queue:
            node, depth = queue.popleft()
            while len(rows) <= depth:
                rows.append([])
            rows[depth].append(node)
            if node.kind != QUESTION:
                continue
            for choice in graph.first_choices(graph.question(node.slug)):
                target = graph.target(choice)
                if target is not None and target not in placed:
                    placed.add(target)
                    queue.append((target, depth + 1))
    stray = [Node(QUESTION, q.slug) for q in graph.questions if Node(QUESTION, q.slug) not in placed]
    stray += [Node(OUTCOME, slug) for slug in dict.fromkeys(graph.outcomes) if Node(OUTCOME, slug) not in placed]
    stray = list(dict.fromkeys(stray))
    if stray:
        rows.append(stray)
    return rows, bool(stray)


def _curve(x1, y1, x2, y2):
    bend = max(abs(y2 - y1) / 2, 40)
    return f"M{x1:.1f},{y1:.1f} C{x1:.1f},{y1 + bend:.1f} {x2:.1f},{y2 - bend:.1f} {x2:.1f},{y2:.1f}"


def _point(x1, y1, x2, y2, t):
    """A point on `_curve` at parameter t, for placing the answer's label."""
    bend = max(abs(y2 - y1) / 2, 40)
    points = [(x1, y1), (x1, y1 + bend), (x2, y2 - bend), (x2, y2)]
    u = 1 - t
    weights = [u**3, 3 * u * u * t, 3 * u * t * t, t**3]
    return sum(w * p[0] for w, p in zip(weights, points, strict=True)), sum(
        w * p[1] for w, p in zip(weights, points, strict=True)
    )


def flow_diagram(graph: FlowGraph, problems, labels=None, choice_labels=None, links=None):
    """SVG markup. `labels`: Node → text in the box; `choice_labels`: (question, choice) → text on the
    arrow; `links`: Node → admin URL. Slugs stand in for any text not given."""
    labels, choice_labels, links = labels or {}, choice_labels or {}, links or {}
    grouped = problems_by_node(problems)
    rows, has_stray = _rows(graph)
    widest = max((len(row) for row in rows), default=1)
    width = MARGIN * 2 + widest * BOX_WIDTH + (widest - 1) * COLUMN_GAP
    height = TOP + MARGIN + len(rows) * (BOX_HEIGHT + ROW_GAP)
    position = {}
    for index, row in enumerate(rows):
        row_width = len(row) * BOX_WIDTH + (len(row) - 1) * COLUMN_GAP
        left = (width - row_width) / 2
        for column, node in enumerate(row):
            position[node] = (left + column * (BOX_WIDTH + COLUMN_GAP), TOP + index * (BOX_HEIGHT + ROW_GAP))

    loop_edges = {(p.node.slug, p.choice) for p in problems if p.code == "cycle" and p.node}
    edges, edge_labels = [], []
    for question in graph.questions:
        source = Node(QUESTION, question.slug)
        if source not in position:
            continue
        sx, sy = position[source]
        seen = set()
        count = len(question.choices)
        for index, choice in enumerate(question.choices):
            duplicate = choice.slug in seen
            seen.add(choice.slug)
            x1 = sx + BOX_WIDTH * (index + 1) / (count + 1)
            y1 = sy + BOX_HEIGHT
            target = None if duplicate else graph.target(choice)
            text = choice_labels.get((question.slug, choice.slug)) or choice.slug
            text = text if len(text) <= 18 else text[:17] + "…"
            if target is None or target not in position:
                # An answer that leads nowhere: a short dashed stub ending in a cross.
                x2, y2 = x1, y1 + ROW_GAP * 0.55
                edges.append(
                    f'<path d="M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}" '
                    'class="flow-edge flow-edge-problem flow-edge-nowhere"/>'
                    f'<text x="{x2:.1f}" y="{y2 + 12:.1f}" text-anchor="middle" font-size="14" '
                    f'class="flow-cross">✕</text>'
                )
                lx, ly = x1 + 4, y1 + ROW_GAP * 0.3
                anchor = "start"
            else:
                tx, ty = position[target]
                x2, y2 = tx + BOX_WIDTH / 2, ty
                css = "flow-edge flow-edge-problem" if (question.slug, choice.slug) in loop_edges else "flow-edge"
                if ty <= sy:
                    # Back up the page (a loop): leave from the box's side so the arrow stays visible.
                    x1, y1 = sx + BOX_WIDTH, sy + BOX_HEIGHT / 2
                    x2, y2 = tx + BOX_WIDTH, ty + BOX_HEIGHT / 2
                    path = f"M{x1:.1f},{y1:.1f} C{x1 + 80:.1f},{y1:.1f} {x2 + 80:.1f},{y2:.1f} {x2 + 2:.1f},{y2:.1f}"
                    lx, ly, anchor = x1 + 6, y1 - 4, "start"
                else:
                    path = _curve(x1, y1, x2, y2 - 2)
                    lx, ly = _point(x1, y1, x2, y2, 0.22)
                    anchor = "middle"
                edges.append(f'<path d="{path}" class="{css}" marker-end="url(#flow-arrow)"/>')
            edge_labels.append(
                f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-size="{LABEL_FONT}" '
                f'class="flow-edge-label">{escape(text)}</text>'
            )

    nodes = []
    for node, (x, y) in position.items():
        node_problems = grouped.get(node, [])
        css = ["flow-node", "flow-node-outcome" if node.kind == OUTCOME else "flow-node-question"]
        if node_problems:
            css.append("flow-node-problem")
        label = labels.get(node) or node.slug
        box = (
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" '
            f'rx="{18 if node.kind == OUTCOME else 6}" class="{" ".join(css)}"/>'
            + text_block(wrap(label, FONT, BOX_WIDTH - 16, 3), x + BOX_WIDTH / 2, y + BOX_HEIGHT / 2 - 4, FONT)
            + f'<text x="{x + BOX_WIDTH / 2:.1f}" y="{y + BOX_HEIGHT - 5:.1f}" text-anchor="middle" '
            f'font-size="9.5" class="flow-slug">{escape(node.slug)}</text>'
        )
        if node_problems:
            box += (
                f'<circle cx="{x + BOX_WIDTH - 4:.1f}" cy="{y + 4:.1f}" r="9" class="flow-badge"/>'
                f'<text x="{x + BOX_WIDTH - 4:.1f}" y="{y + 8.5:.1f}" text-anchor="middle" font-size="13" '
                f'class="flow-badge-text">!</text>'
            )
        tooltip = "; ".join(p.message for p in node_problems) or label
        box = f"<title>{escape(tooltip)}</title>{box}"
        href = links.get(node)
        nodes.append(f'<a href="{escape(href)}">{box}</a>' if href else f"<g>{box}</g>")

    extras = []
    start = graph.question(graph.first_question)
    if start is not None and Node(QUESTION, start.slug) in position:
        x, y = position[Node(QUESTION, start.slug)]
        extras.append(
            f'<text x="{x + BOX_WIDTH / 2:.1f}" y="{y - 22:.1f}" text-anchor="middle" font-size="12" '
            f'class="flow-start">{escape(_("Start"))}</text>'
            f'<path d="M{x + BOX_WIDTH / 2:.1f},{y - 18:.1f} L{x + BOX_WIDTH / 2:.1f},{y - 3:.1f}" class="flow-edge" '
            'marker-end="url(#flow-arrow)"/>'
        )
    if has_stray:
        y = TOP + (len(rows) - 1) * (BOX_HEIGHT + ROW_GAP) - 14
        extras.append(
            f'<text x="{MARGIN}" y="{y:.1f}" font-size="12" class="flow-stray-label">'
            f"{escape(_('Not reachable from the first question:'))}</text>"
        )

    description = _("%(questions)s questions, %(outcomes)s outcomes, %(problems)s problems.") % {
        "questions": len(graph.questions),
        "outcomes": len(graph.outcomes),
        "problems": len(problems),
    }
    svg = (
        f'<svg class="flow-diagram" width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        'role="img" aria-labelledby="flow-diagram-title flow-diagram-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="flow-diagram-title">{escape(_("Map of the guide “%(slug)s”") % {"slug": graph.slug})}</title>'
        f'<desc id="flow-diagram-desc">{escape(description)}</desc>'
        '<defs><marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="flow-arrow"/></marker></defs>'
        + "".join(edges)
        + "".join(nodes)
        + "".join(edge_labels)
        + "".join(extras)
        + "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every interpolated text above is escaped
