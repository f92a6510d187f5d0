"""Staff see drafts at their public URL, marked as a preview and never cached or indexed."""

from django.utils.cache import add_never_cache_headers, patch_cache_control


def can_preview(user, model):
    """Whoever may see `model` in the admin may preview its drafts."""
    if not getattr(user, "is_active", False) or not getattr(user, "is_staff", False):
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def mark_as_preview(response):
    """No shared or browser cache keeps a preview, and no search engine indexes it."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class PreviewMixin:
    """For a public detail view: `self.preview` is True when the page shows something not yet public.

    The view sets `self.preview` while building its context; the template gets `preview` (the
    base template shows the banner and a noindex meta tag) and the response its no-store headers.
    """

    preview = False

    def can_preview(self, model):
        return can_preview(self.request.user, model)

    def render_to_response(self, context, **response_kwargs):
        context["preview"] = self.preview
        response = super().render_to_response(context, **response_kwargs)
        if self.preview:
            mark_as_preview(response)
        return response
