"""A page of our own inside the admin's frame (its header, sidebar and language), for a model admin."""

from django.template.response import TemplateResponse


def admin_page(model_admin, request, template, **context):
    """Render `template` as one of `model_admin`'s pages: the admin's own context, then `context`."""
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(
        request,
        template,
        {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta, **context},
    )
