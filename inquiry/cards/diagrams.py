"""The state diagram of an account, as inline SVG: the states in one column, in their order, and a
labelled arrow for every state change, so it reads on a 360 px phone. The figure's <title>/<desc> and
the lists under it say the same in words.

Layout, chosen so that no label can touch a box, an arrow or another label (by construction, checked in
tests/cards/test_diagrams.py and in the browser):

- a change to the next state is a straight arrow down the gap between the two boxes, its label beside it;
- every other change leaves its box's right edge at a "port", runs right to a vertical lane at the
  figure's right edge, and comes back into the target box's right edge. Its label sits just above the
  arrow's outgoing stub, in the column between the boxes and the lanes, in a row of its own: a box is as
  tall as the rows of its ports need. No lane runs through that column, so a label only meets its own
  arrow.
"""

import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from inquiry.core.svg import text_block, text_width, wrap

WIDTH = 340
MARGIN = 8
BOX_LEFT = MARGIN
BOX_WIDTH = 120
BOX_RIGHT = BOX_LEFT + BOX_WIDTH
BOX_MIN_HEIGHT = 46
GAP = 26  # between two boxes with no straight arrow's label to hold
LANE = 8
FONT = 14.5  # drawn at about 1:1 on a 360 px phone (viewBox 340 wide): at least 14 px on screen
LINE = FONT * 1.25
LABEL_PAD = 6  # between a label and the box or lane beside it
MAX_LABEL_LINES = 8  # wrap() merges lines beyond this into the last one: high enough never to happen


@dataclass
class Label:
    transition: object
    lines: list
    x: float
    top: float

    @property
    def width(self):
        return max(text_width(line, FONT) for line in self.lines)

    @property
    def height(self):
        return len(self.lines) * LINE

    @property
    def rect(self):
        return (self.x, self.top, self.width, self.height)


@dataclass
class Layout:
    """Where everything goes, in viewBox units: also what the tests measure."""

    height: float = 0
    boxes: list = field(default_factory=list)  # (state, x, y, width, height, name lines)
    labels: list = field(default_factory=list)  # Label
    lines: list = field(default_factory=list)  # straight arrows: (x1, y1, x2, y2)
    paths: list = field(default_factory=list)  # lane arrows: [(x, y), ...] corner points
    transitions: list = field(default_factory=list)  # every state change drawn, in the states' order

    def segments(self):
        """Every arrow as straight pieces (x1, y1, x2, y2)."""
        pieces = list(self.lines)
        for points in self.paths:
            pieces += [(*a, *b) for a, b in zip(points, points[1:], strict=False)]
        return pieces


def _wrap(text, max_width, max_lines=MAX_LABEL_LINES):
    """wrap(), but Chinese breaks after a comma or before a bracket when it can ("已激活" / "（正常使用）",
    not "已激活（正常使" / "用）"); a phrase too long for a line still breaks anywhere."""
    if " " in text or text_width(text, FONT) <= max_width:
        return wrap(text, FONT, max_width, max_lines)
    lines, current = [], ""
    for phrase in re.split(r"(?<=[，、；：])|(?=（)", text):
        if current and text_width(current + phrase, FONT) > max_width:
            lines.append(current)
            current = ""
        if text_width(current + phrase, FONT) > max_width:
            *full, current = wrap(current + phrase, FONT, max_width, MAX_LABEL_LINES)
            lines += full
        else:
            current += phrase
    if current:
        lines.append(current)
    return lines if len(lines) <= max_lines else wrap(text, FONT, max_width, max_lines)


def _lanes(spans):
    """Give each (first, last) span of box indexes a lane, shorter spans nearer the boxes, so that no
    two spans sharing a box share a lane (their stubs on that box would run along each other)."""
    lanes, taken = {}, []
    for key, (first, last) in sorted(spans.items(), key=lambda item: (item[1][1] - item[1][0], item[1])):
        lane = 0
        while any(lane == used and not (last < a or first > b) for used, a, b in taken):
            lane += 1
        lanes[key] = lane
        taken.append((lane, first, last))
    return lanes


def layout(account):
    """Place the boxes, arrows and labels of `account` (with prefetched states and transitions_out)."""
    states = list(account.states.all())
    position = {state.pk: index for index, state in enumerate(states)}
    transitions = [t for state in states for t in state.transitions_out.all() if t.target_id in position]
    straight = {t.pk: t for t in transitions if position[t.target_id] == position[t.source_id] + 1}
    routed = [t for t in transitions if t.pk not in straight]
    spans = {t.pk: tuple(sorted((position[t.source_id], position[t.target_id]))) for t in routed}
    lanes = _lanes(spans)
    lane_count = max(lanes.values(), default=-1) + 1
    first_lane_x = WIDTH - MARGIN - max(lane_count - 1, 0) * LANE
    label_left, label_right = BOX_RIGHT + LABEL_PAD, first_lane_x - LABEL_PAD
    centre = BOX_LEFT + BOX_WIDTH / 2
    straight_left = centre + LABEL_PAD

    result = Layout(transitions=transitions)
    ports = {}  # (transition pk, "out" | "in") -> y of its stub
    cursor = MARGIN
    for index, state in enumerate(states):
        # The ports of this box, top to bottom: the arrows going up (nearest first), then those going down
        # (farthest first), so that a stub crosses as few other lanes as it can.
        here = [(t, "out", position[t.target_id]) for t in routed if t.source_id == state.pk]
        here += [(t, "in", position[t.source_id]) for t in routed if t.target_id == state.pk]
        up = sorted((p for p in here if p[2] < index), key=lambda p: (index - p[2], p[1] == "in"))
        down = sorted((p for p in here if p[2] > index), key=lambda p: (index - p[2], p[1] == "in"))
        y = cursor + 8
        for transition, direction, _other in up + down:
            if direction == "out":
                lines = _wrap(transition.label, label_right - label_left)
                result.labels.append(Label(transition, lines, label_left, y))
                y += len(lines) * LINE + 4
            else:
                y += 4
            ports[(transition.pk, direction)] = y
            y += 8
        name_lines = _wrap(state.name, BOX_WIDTH - 14, 3)
        box_height = max(BOX_MIN_HEIGHT, len(name_lines) * LINE + 16, y + 2 - cursor)
        result.boxes.append((state, BOX_LEFT, cursor, BOX_WIDTH, box_height, name_lines))
        cursor += box_height
        if index == len(states) - 1:
            break
        down_next = [t for t in straight.values() if t.source_id == state.pk]
        if down_next:
            lines = _wrap(down_next[0].label, label_right - straight_left)
            gap = max(GAP, len(lines) * LINE + 16)
            result.labels.append(Label(down_next[0], lines, straight_left, cursor + (gap - len(lines) * LINE) / 2))
            result.lines.append((centre, cursor, centre, cursor + gap - 2))
        else:
            gap = GAP
        cursor += gap
    result.height = round(cursor + MARGIN)
    for t in routed:
        lane_x = first_lane_x + lanes[t.pk] * LANE
        y1, y2 = ports[(t.pk, "out")], ports[(t.pk, "in")]
        result.paths.append([(BOX_RIGHT, y1), (lane_x, y1), (lane_x, y2), (BOX_RIGHT + 2, y2)])
    return result


def state_diagram(account):
    """SVG markup for `account` (with prefetched states and their transitions_out)."""
    drawn = layout(account)
    marker = f"url(#arrow-{escape(account.slug)})"
    edges = [
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" class="diagram-edge" marker-end="{marker}"/>'
        for x1, y1, x2, y2 in drawn.lines
    ]
    for points in drawn.paths:
        (x, y), *rest = points
        d = f"M{x:.1f},{y:.1f} " + " ".join(f"L{px:.1f},{py:.1f}" for px, py in rest)
        edges.append(f'<path d="{d}" class="diagram-edge" fill="none" marker-end="{marker}"/>')
    labels = [
        text_block(
            label.lines, label.x, label.top + label.height / 2, FONT, anchor="start", css_class="state-edge-label"
        )
        for label in drawn.labels
    ]
    nodes = []
    for state, x, y, width, height, name_lines in drawn.boxes:
        css = "diagram-node diagram-node-start" if state.is_initial else "diagram-node"
        nodes.append(
            f'<a href="#state-{escape(state.slug)}"><rect x="{x}" y="{y:.1f}" width="{width}" '
            f'height="{height:.1f}" rx="8" class="{css}"/>'
            + text_block(name_lines, x + width / 2, y + height / 2, FONT)
            + "</a>"
        )
    states = [box[0] for box in drawn.boxes]
    names = {state.pk: state.name for state in states}
    description = "; ".join(
        _("%(source)s → %(target)s: %(label)s")
        % {"source": names[t.source_id], "target": names[t.target_id], "label": t.label}
        for t in drawn.transitions
    )
    title = _("States of the %(account)s") % {"account": account.name}
    slug = escape(account.slug)
    svg = (
        # A group, not an image: each state's box is a link (to its description below), and an image
        # may hold no link (assistive technology would not announce it, yet the keyboard would stop on it).
        f'<svg class="state-diagram" viewBox="0 0 {WIDTH} {drawn.height}" role="group" '
        f'aria-labelledby="diagram-{slug}-title" aria-describedby="diagram-{slug}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="diagram-{slug}-title">{escape(title)}</title>'
        f'<desc id="diagram-{slug}-desc">{escape(description)}</desc>'
        f'<defs><marker id="arrow-{slug}" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" class="diagram-arrow"/></marker></defs>'
        + "".join(edges)
        # The labels are drawn for sighted readers; the desc and the lists under the figure say the same.
        + "".join(labels)
        + "".join(nodes)
        + "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every interpolated text above is escaped


def two_accounts_picture():
    """The card and its two accounts, for the home page: a card split in two, each half labelled."""
    halves = [
        (
            _("Social security account"),
            [_("Pension and medical money"), _("Earmarked: cannot be withdrawn")],
            "diagram-half-social",
        ),
        (
            _("Financial account"),
            [_("A bank debit account"), _("Activate it in person at the service bank")],
            "diagram-half-financial",
        ),
    ]
    # Text at 14 px or more: the figure is drawn at about 1:1 on a 360 px phone. The card is as tall as
    # its longer half needs.
    width, gap, title_size, size = 340, 10, 15.5, 14.5
    half_width = (width - 3 * gap) / 2
    laid_out, bottom = [], 0
    for title, lines, css in halves:
        cursor = gap + 26 + 12  # inside the half, below the card's own title
        title_lines = wrap(title, title_size, half_width - 14, 2)
        title_height = len(title_lines) * title_size * 1.25
        blocks = [(title_lines, cursor + title_height / 2, title_size, "diagram-title")]
        cursor += title_height + 16
        for line in lines:
            wrapped = wrap(line, size, half_width - 14, 4)
            block_height = len(wrapped) * size * 1.25
            blocks.append((wrapped, cursor + block_height / 2, size, ""))
            cursor += block_height + 10
        laid_out.append((blocks, css))
        bottom = max(bottom, cursor)
    height = round(bottom + gap + 2)
    parts = [f'<rect x="1" y="1" width="{width - 2}" height="{height - 2}" rx="14" class="diagram-card"/>']
    for index, (blocks, css) in enumerate(laid_out):
        x = gap + index * (half_width + gap)
        parts.append(
            f'<rect x="{x:.1f}" y="{gap + 26}" width="{half_width:.1f}" height="{height - 2 * gap - 26}" '
            f'rx="8" class="{css}"/>'
        )
        for wrapped, centre, font, css_class in blocks:
            parts.append(text_block(wrapped, x + half_width / 2, centre, font, css_class=css_class))
    parts.append(
        text_block([_("Social security card")], width / 2, gap + 10, title_size, css_class="diagram-card-title")
    )
    description = _(
        "The social security card holds two accounts. The social security account holds pension and medical "
        "insurance money, which is earmarked and cannot be withdrawn. The financial account is a bank debit "
        "account; it must be activated in person at a branch of the card's service bank before money on it can "
        "be used."
    )
    title = _("The two accounts on a social security card")
    svg = (
        f'<svg class="two-accounts" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="two-accounts-title two-accounts-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="two-accounts-title">{escape(title)}</title>'
        f'<desc id="two-accounts-desc">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every interpolated text is escaped
