"""Draft / published with a publish date, publish actions only Publishers have, and regular review."""

import datetime

from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..forms import publishing_form
from ..roles import publish_permission
from .base import has_field


def months_before(day, months):
    """The same day `months` earlier (the month's last day if that month is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def review_cutoff(today=None):
    """Content last reviewed before this date is due for review again."""
    return months_before(today or timezone.localdate(), settings.SOCSEC_REVIEW_AFTER_MONTHS)


def was_published(obj):
    """Whether `obj` is or ever was published (its history holds a published version)."""
    if obj is None or obj.pk is None:
        return False
    if obj.status == obj.Status.PUBLISHED:
        return True
    return hasattr(obj, "history") and obj.history.filter(status=obj.Status.PUBLISHED).exists()


class ReviewDueFilter(admin.SimpleListFilter):
    """Content not reviewed for `settings.SOCSEC_REVIEW_AFTER_MONTHS` months (or never)."""

    title = gettext_lazy("review")
    parameter_name = "review"
    field_name = "last_reviewed_on"

    def lookups(self, request, model_admin):
        return [
            ("due", gettext_lazy("Due for review")),
            ("current", gettext_lazy("Reviewed recently")),
        ]

    def queryset(self, request, queryset):
        cutoff = review_cutoff()
        due = {f"{self.field_name}__isnull": True}
        old = {f"{self.field_name}__lt": cutoff}
        if self.value() == "due":
            return queryset.filter(Q(**due) | Q(**old))
        if self.value() == "current":
            return queryset.filter(**{f"{self.field_name}__gte": cutoff})
        return queryset


class PublishingAdminMixin:
    """Draft / published with a publish date; only users with `publish_<model>` may publish.

    Expects the model fields `status` (with `Status.DRAFT` and `Status.PUBLISHED`), `published_at`,
    `last_reviewed_on` and `reviewed_by`.
    """

    publish_fields = ("status", "published_at")
    actions = ["publish_selected", "unpublish_selected", "mark_reviewed"]

    def has_publish_permission(self, request):
        return request.user.has_perm(publish_permission(self.model))

    def is_live(self, obj, request=None):
        # A future publish date counts: the page appears then without a Publisher.
        return obj is not None and obj.status == obj.Status.PUBLISHED

    def check_publishable(self, obj):
        """Raise ValidationError if `obj` must not be published as it is (the publish action then writes nothing).

        Runs inside the action's transaction, with the selected rows locked.
        """

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            readonly += [name for name in self.publish_fields if name not in readonly]
            # The address is the editor's until the page is first published; then links to it exist.
            if has_field(self.model, "slug") and "slug" not in readonly and was_published(obj):
                readonly.append("slug")
        return readonly

    def get_list_filter(self, request):
        list_filter = list(super().get_list_filter(request))
        if has_field(self.model, "last_reviewed_on") and ReviewDueFilter not in list_filter:
            list_filter.append(ReviewDueFilter)
        return list_filter

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not has_field(self.model, "last_reviewed_on"):
            actions.pop("mark_reviewed", None)
        return actions

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reviewed_by":
            from django.contrib.auth import get_user_model

            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.form = publishing_form(self.form)

    @admin.display(description=gettext_lazy("review due"), boolean=True)
    def review_due(self, obj):
        return obj.last_reviewed_on is None or obj.last_reviewed_on < review_cutoff()

    @admin.action(permissions=["publish"], description=gettext_lazy("Publish the selected items"))
    def publish_selected(self, request, queryset):
        now = timezone.now()

        def publish(obj):
            if obj.status == obj.Status.PUBLISHED:
                return False
            self.check_publishable(obj)
            return obj.publish(now)

        return self.change_selected(
            request,
            queryset,
            change=publish,
            reason=_("Published"),
            done_message=lambda count: ngettext("Published %d item.", "Published %d items.", count) % count,
        )

    @admin.action(permissions=["publish"], description=gettext_lazy("Unpublish the selected items (back to draft)"))
    def unpublish_selected(self, request, queryset):
        return self.change_selected(
            request,
            queryset,
            change=lambda obj: obj.unpublish(),
            reason=_("Unpublished"),
            done_message=lambda count: ngettext("Unpublished %d item.", "Unpublished %d items.", count) % count,
        )

    @admin.action(permissions=["change"], description=gettext_lazy("Mark the selected items as reviewed today"))
    def mark_reviewed(self, request, queryset):
        today = timezone.localdate()
        return self.change_selected(
            request,
            queryset,
            change=lambda obj: obj.mark_reviewed(request.user, today),
            reason=_("Marked as reviewed"),
            done_message=lambda count: (
                ngettext("Marked %d item as reviewed.", "Marked %d items as reviewed.", count) % count
            ),
        )
