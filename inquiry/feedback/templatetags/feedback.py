from django import template

register = template.Library()


@register.inclusion_tag("feedback/includes/ask.html")
def ask_feedback(kind, object_id):
    """ "Was this page helpful?" with yes/no buttons: a GET form to the feedback page (no cookie here)."""
    return {"kind": kind, "object_id": object_id}
