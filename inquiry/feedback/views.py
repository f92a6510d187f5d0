from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from . import ratelimit
from .forms import FeedbackForm
from .services import record_feedback
from .targets import target_for


class TargetMixin:
    """The page being rated, from the URL: a public object of a known kind, or 404."""

    def dispatch(self, request, *args, **kwargs):
        self.target = target_for(kwargs["kind"])
        self.page = self.target.public_object(kwargs["object_id"]) if self.target else None
        if self.page is None:
            raise Http404("no such page")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(page=self.page, target=self.target, **kwargs)


@method_decorator(never_cache, name="dispatch")
class FeedbackView(TargetMixin, FormView):
    """The feedback form. The article page only links here (a GET form with the yes/no buttons), so
    the article stays free of cookies and can be cached for everyone; this page carries the CSRF
    token (and sets its cookie) and is never cached."""

    template_name = "feedback/feedback_form.html"
    form_class = FeedbackForm
    page_cache_query = ("answer",)  # never cached anyway; what the page reads of the query string

    def get_initial(self):
        answer = self.request.GET.get("answer")
        return {"helpful": answer} if answer in ("yes", "no") else {}

    def thanks_url(self, helpful):
        url = reverse("feedback:thanks", kwargs=self.kwargs)
        return f"{url}?answer={'yes' if helpful else 'no'}"

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_spam:
            # Look like success, so the bot learns nothing; store nothing.
            return redirect(reverse("feedback:thanks", kwargs=self.kwargs))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        if not ratelimit.allow(request):
            return self.render_to_response(self.get_context_data(form=form, rate_limited=True), status=429)
        record_feedback(
            page_kind=self.target.kind,
            object_id=self.page.pk,
            language=get_language(),
            helpful=form.cleaned_data["helpful"],
            comment=form.cleaned_data["comment"],
        )
        return redirect(self.thanks_url(form.cleaned_data["helpful"]))


class ThanksView(TargetMixin, TemplateView):
    template_name = "feedback/thanks.html"
    page_cache_query = ("answer",)  # the page cache keys this page on it (core/page_cache.py)

    def get_context_data(self, **kwargs):
        return super().get_context_data(not_helpful=self.request.GET.get("answer") == "no", **kwargs)
