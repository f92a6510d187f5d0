"""A flow drawn as inline SVG for the admin: columns by distance from the first question (flows are
shallow and wide, so they read left to right), an arrow for every answer, problems marked in red.
Drawn on the server; no script, no external service. The admin page lists the same problems and
nodes in words beside it."""

from collections import deque

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from inquiry.core.svg import text_block, text_width, wrap

from .checks import CYCLE, problems_by_node
from .engine import OUTCOME, QUESTION, FlowGraph, Node

BOX_WIDTH = 190
BOX_HEIGHT = 62  # at least; taller when a question has many answers (see `_box_height`)
ANSWER_SPACING = 26  # between two answers' arrows leaving a question, so their labels never overlap
COLUMN_GAP = 190  # room for the answers' labels between columns
ROW_GAP = 18
MARGIN = 24
TOP = 56  # room for the column titles and the "Start" marker
FONT = 12
LABEL_FONT = 11.5
LABEL_WIDTH = COLUMN_GAP - 24  # an answer's label runs along the start of its arrow, on one line


def _columns(graph: FlowGraph) -> tuple[list[list[Node]], bool]:
    """Nodes by breadth-first distance from the first question; unreachable ones in a last column
    (the flag says whether there is such a column)."""
    columns, placed = [], set()
    start = graph.question(graph.first_question)
    if start is not None:
        first = Node(QUESTION, start.slug)
        placed.add(first)
        queue = deque([(first, 0)])
        while queue:
            node, depth = queue.popleft()
            while len(columns) <= depth:
                columns.append([])
            columns[depth].append(node)
            if node.kind != QUESTION:
                continue
            for choice in graph.first_choices(graph.question(node.slug)):
                target = graph.target(choice)
                if target is not None and target not in placed:
                    placed.add(target)
                    queue.append((target, depth + 1))
    stray = [Node(QUESTION, q.slug) for q in graph.questions] + [Node(OUTCOME, slug) for slug in graph.outcomes]
    stray = [node for node in dict.fromkeys(stray) if node not in placed]
    if stray:
        columns.append(stray)
    return columns, bool(stray)


def _fit(text, size, width, max_lines):
    """Wrapped lines that fit the box; what does not fit ends in an ellipsis (the full text is in the
    node's tooltip and in the lists beside the diagram)."""
    lines = wrap(text, size, width, max_lines=100)
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1]
    while last and text_width(last + "…", size) > width:
        last = last[:-1]
    return [*lines[: max_lines - 1], last.rstrip() + "…"]


def _curve(x1, y1, x2, y2):
    bend = max(abs(x2 - x1) / 2, 40)
    return f"M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"


def _box_height(graph: FlowGraph):
    """One height for every box: enough for the most answers any question has, one label each."""
    most = max((len(question.choices) for question in graph.questions), default=0)
    return max(BOX_HEIGHT, (most + 1) * ANSWER_SPACING)


def flow_diagram(graph: FlowGraph, problems, labels=None, choice_labels=None, links=None):
    """SVG markup. `labels`: Node → text in the box; `choice_labels`: (question, choice) → the answer's
    text, in the editor's language (the label on its arrow, whole in its tooltip); `links`: Node → admin
    URL. Slugs stand in for any text not given."""
    labels, choice_labels, links = labels or {}, choice_labels or {}, links or {}
    BOX_HEIGHT = _box_height(graph)  # noqa: N806 - the module's constant, raised for this guide
    grouped = problems_by_node(problems)
    columns, has_stray = _columns(graph)
    tallest = max((len(column) for column in columns), default=1)
    width = MARGIN * 2 + max(len(columns), 1) * (BOX_WIDTH + COLUMN_GAP) - COLUMN_GAP + 40
    height = TOP + MARGIN + tallest * (BOX_HEIGHT + ROW_GAP) + 40
    position = {}
    for index, column in enumerate(columns):
        column_height = len(column) * (BOX_HEIGHT + ROW_GAP) - ROW_GAP
        top = TOP + (height - TOP - MARGIN - 40 - column_height) / 2
        for row, node in enumerate(column):
            position[node] = (MARGIN + index * (BOX_WIDTH + COLUMN_GAP), top + row * (BOX_HEIGHT + ROW_GAP))

    loop_edges = {(p.node.slug, p.choice) for p in problems if p.code == CYCLE and p.node}
    edges, edge_labels = [], []
    for question in graph.questions:
        source = Node(QUESTION, question.slug)
        if source not in position:
            continue
        sx, sy = position[source]
        seen, count = set(), len(question.choices)
        for index, choice in enumerate(question.choices):
            duplicate = choice.slug in seen
            seen.add(choice.slug)
            target = None if duplicate else graph.target(choice)
            answer = choice_labels.get((question.slug, choice.slug)) or choice.slug
            full = escape(answer)
            x1, y1 = sx + BOX_WIDTH, sy + BOX_HEIGHT * (index + 1) / (count + 1)
            if target is None or target not in position:
                # An answer that leads nowhere: a short dashed stub ending in a cross.
                x2 = x1 + COLUMN_GAP * 0.45
                edges.append(
                    f'<path d="M{x1:.1f},{y1:.1f} H{x2:.1f}" class="flow-edge flow-edge-problem flow-edge-nowhere">'
                    f"<title>{full}</title></path>"
                    f'<text x="{x2 + 8:.1f}" y="{y1 + 5:.1f}" text-anchor="middle" font-size="14" '
                    f'class="flow-cross">✕</text>'
                )
                lx, ly = x1 + 6, y1 - 4
                anchor = "start"
            else:
                tx, ty = position[target]
                css = "flow-edge flow-edge-problem" if (question.slug, choice.slug) in loop_edges else "flow-edge"
                if tx <= sx:
                    # Back to an earlier column (a loop): go round below the boxes so the arrow shows.
                    bx, by = sx + BOX_WIDTH / 2, sy + BOX_HEIGHT
                    ex, ey = tx + BOX_WIDTH / 2, ty + BOX_HEIGHT + 2
                    low = max(by, ey) + 36
                    path = f"M{bx:.1f},{by:.1f} C{bx:.1f},{low:.1f} {ex:.1f},{low:.1f} {ex:.1f},{ey:.1f}"
                    lx, ly, anchor = (bx + ex) / 2, low - 6, "middle"
                else:
                    x2, y2 = tx - 2, ty + BOX_HEIGHT / 2
                    path = _curve(x1, y1, x2, y2)
                    # Just above the arrow where it leaves its question: the arrows of one question
                    # start ANSWER_SPACING apart, so their labels cannot overlap.
                    lx, ly, anchor = x1 + 6, y1 - 4, "start"
                edges.append(
                    f'<path d="{path}" class="{css}" marker-end="url(#flow-arrow)"><title>{full}</title></path>'
                )
            # The answer's own text labels the arrow (cut to one line; whole in the tooltip).
            shown = escape(_fit(answer, LABEL_FONT, LABEL_WIDTH, 1)[0])
            edge_labels.append(
                f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-size="{LABEL_FONT}" '
                f'class="flow-edge-label"><title>{full}</title>{shown}</text>'
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
            f'rx="{18 if node.kind == OUTCOME else 4}" class="{" ".join(css)}"/>'
            + text_block(_fit(label, FONT, BOX_WIDTH - 18, 3), x + BOX_WIDTH / 2, y + BOX_HEIGHT / 2 - 5, FONT)
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
        start_label = _("Start")
        extras.append(
            f'<text x="{x + BOX_WIDTH / 2:.1f}" y="{y - 22:.1f}" text-anchor="middle" font-size="12" '
            f'class="flow-start">{escape(start_label)}</text>'
            f'<path d="M{x + BOX_WIDTH / 2:.1f},{y - 18:.1f} V{y - 3:.1f}" class="flow-edge" '
            'marker-end="url(#flow-arrow)"/>'
        )
    if has_stray:
        x = MARGIN + (len(columns) - 1) * (BOX_WIDTH + COLUMN_GAP)
        stray_label = _("Not reachable from the first question:")
        extras.append(
            f'<text x="{x:.1f}" y="{TOP - 30:.1f}" font-size="12" class="flow-stray-label">{escape(stray_label)}</text>'
        )

    description = _("%(questions)s questions, %(outcomes)s outcomes, %(problems)s problems.") % {
        "questions": len(graph.questions),
        "outcomes": len(graph.outcomes),
        "problems": len(problems),
    }
    title = _("Map of the guide “%(slug)s”") % {"slug": graph.slug}
    svg = (
        f'<svg class="flow-diagram" width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        'role="group" aria-labelledby="flow-diagram-title" aria-describedby="flow-diagram-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="flow-diagram-title">{escape(title)}</title>'
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
