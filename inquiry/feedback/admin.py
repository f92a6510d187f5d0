from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .charts import weekly_chart
from .models import Feedback
from .selectors import feedback_report


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Answers are read and deleted (spam, personal details typed into a comment), never edited."""

    list_display = ["created_at", "page_kind", "object_id", "language", "helpful", "comment_start"]
    list_filter = ["helpful", "page_kind", "language"]
    search_fields = ["comment"]
    date_hierarchy = "created_at"
    change_list_template = "admin/feedback/feedback/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("comment"))
    def comment_start(self, obj):
        return Truncator(obj.comment).chars(80)

    def get_urls(self):
        report = self.admin_site.admin_view(self.report_view)
        return [path("report/", report, name="feedback_feedback_report"), *super().get_urls()]

    def report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = feedback_report()
        context = {
            **self.admin_site.each_context(request),
            **report,
            "chart": weekly_chart(report["weeks"]),
            "title": _("Feedback report"),
            "opts": self.model._meta,
            "changelist_url": reverse("admin:feedback_feedback_changelist"),
        }
        return TemplateResponse(request, "admin/feedback/report.html", context)
