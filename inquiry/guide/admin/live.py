"""Whether a guide row is live (its guide published): the `is_live` hooks of the guide's admins."""

from ..models import Flow


def flow_is_published(flow_id):
    return Flow.objects.filter(pk=flow_id, status=Flow.Status.PUBLISHED).exists()


def new_row_is_live(request):
    """A question or outcome being added is live if the guide chosen for it is published (or none is chosen yet)."""
    flow = (request.POST.get("flow") or request.GET.get("flow")) if request is not None else None
    return not (flow and flow.isdigit()) or flow_is_published(int(flow))
