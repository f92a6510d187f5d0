"""The state diagram of an account, as inline SVG: the states in one column, in their order, and an
arrow for every state change (forward changes on the right, returns on the left), so it reads on a
360 px phone. The figure's <title>/<desc> and the lists under it say the same in words."""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from inquiry.core.svg import text_block, wrap

WIDTH = 340
BOX_LEFT = 56
BOX_WIDTH = 220
BOX_HEIGHT = 46
GAP = 30
LANE = 9
MARGIN = 8
FONT = 14.5  # drawn at about 1:1 on a 360 px phone (viewBox 340 wide): at least 14 px on screen


def _lanes(spans):
    """Give each (top, bottom) span a lane number so that overlapping spans never share one."""
    lanes, taken = {}, []
    for key, (top, bottom) in sorted(spans.items(), key=lambda item: item[1][1] - item[1][0]):
        lane = 0
        while any(lane == used and not (bottom <= t or top >= b) for used, t, b in taken):
            lane += 1
        lanes[key] = lane
        taken.append((lane, top, bottom))
    return lanes


def state_diagram(account):
    """SVG markup for `account` (with prefetched states and their transitions_out)."""
    states = list(account.states.all())
    position = {state.pk: index for index, state in enumerate(states)}
    transitions = [t for state in states for t in state.transitions_out.all() if t.target_id in position]
    height = MARGIN * 2 + len(states) * BOX_HEIGHT + max(len(states) - 1, 0) * GAP

    def top(index):
        return MARGIN + index * (BOX_HEIGHT + GAP)

    straight, forward, backward = [], {}, {}
    for t in transitions:
        i, j = position[t.source_id], position[t.target_id]
        if j == i + 1:
            straight.append(t)
        elif j > i:
            forward[t.pk] = (i, j)
        else:
            backward[t.pk] = (j, i)
    lanes = {**_lanes(forward), **_lanes(backward)}
    marker = f"url(#arrow-{escape(account.slug)})"

    edges = []
    pairs = {(t.source_id, t.target_id) for t in transitions}
    for t in straight:
        i = position[t.source_id]
        x = BOX_LEFT + BOX_WIDTH / 2 + (-10 if (t.target_id, t.source_id) in pairs else 0)
        edges.append(
            f'<line x1="{x}" y1="{top(i) + BOX_HEIGHT}" x2="{x}" y2="{top(i + 1) - 2}" class="diagram-edge" '
            f'marker-end="{marker}"/>'
        )
    for t in transitions:
        i, j = position[t.source_id], position[t.target_id]
        if t in straight:
            continue
        lane = lanes[t.pk]
        # Leave and enter the boxes a little off centre, so arrows meeting one box stay apart.
        y1 = top(i) + BOX_HEIGHT / 2 + (6 if j > i else -6)
        y2 = top(j) + BOX_HEIGHT / 2 + (-6 if j > i else 6)
        if j > i:
            edge_x, lane_x = BOX_LEFT + BOX_WIDTH, BOX_LEFT + BOX_WIDTH + 12 + lane * LANE
            end_x = edge_x + 2
        else:
            edge_x, lane_x = BOX_LEFT, BOX_LEFT - 12 - lane * LANE
            end_x = edge_x - 2
        edges.append(
            f'<path d="M{edge_x},{y1:.1f} H{lane_x} V{y2:.1f} H{end_x}" class="diagram-edge" fill="none" '
            f'marker-end="{marker}"/>'
        )
    nodes = []
    for index, state in enumerate(states):
        css = "diagram-node diagram-node-start" if state.is_initial else "diagram-node"
        nodes.append(
            f'<a href="#state-{escape(state.slug)}"><rect x="{BOX_LEFT}" y="{top(index)}" width="{BOX_WIDTH}" '
            f'height="{BOX_HEIGHT}" rx="8" class="{css}"/>'
            + text_block(
                wrap(state.name, FONT, BOX_WIDTH - 14, 2), BOX_LEFT + BOX_WIDTH / 2, top(index) + BOX_HEIGHT / 2, FONT
            )
            + "</a>"
        )
    names = {state.pk: state.name for state in states}
    description = "; ".join(
        _("%(source)s → %(target)s: %(label)s")
        % {"source": names[t.source_id], "target": names[t.target_id], "label": t.label}
        for t in transitions
    )
    title = _("States of the %(account)s") % {"account": account.name}
    slug = escape(account.slug)
    svg = (
        # A group, not an image: each state's box is a link (to its description below), and an image
        # may hold no link (assistive technology would not announce it, yet the keyboard would stop on it).
        f'<svg class="state-diagram" viewBox="0 0 {WIDTH} {height}" role="group" '
        f'aria-labelledby="diagram-{slug}-title" aria-describedby="diagram-{slug}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="diagram-{slug}-title">{escape(title)}</title>'
        f'<desc id="diagram-{slug}-desc">{escape(description)}</desc>'
        f'<defs><marker id="arrow-{slug}" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" class="diagram-arrow"/></marker></defs>'
        + "".join(edges)
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
