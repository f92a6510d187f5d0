from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def duration(delta):
    """A timedelta in plain words: "30 minutes", "2 hours", "1 hour 30 minutes"."""
    if not delta:
        return ""
    minutes = max(1, round(delta.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%d hour", "%d hours", hours) % hours)
    if minutes:
        parts.append(ngettext("%d minute", "%d minutes", minutes) % minutes)
    return " ".join(parts)


@register.simple_tag(takes_context=True)
def pending_proposals(context):
    """How many proposed changes wait for the signed-in user to approve (0 if they may not approve)."""
    from inquiry.editorial.models import APPROVE_PERMISSION, Proposal

    request = context.get("request")
    if request is None or not request.user.has_perm(APPROVE_PERMISSION):
        return 0
    return Proposal.objects.filter(status=Proposal.Status.PENDING).count()
