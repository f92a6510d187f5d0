"""History pages of content in the admin: every version with who and when, a field-by-field comparison
of any two, and revert to any version (through `services.revert_to_version`)."""

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import router, transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..diff import changed_field_labels, diff_records
from ..forms import SEEN_VERSION
from ..history import is_tracked, version_record
from ..services import RevertError, StaleVersions, revert_to_version
from .pages import admin_page


class HistoryViewsMixin:
    """For `EditorialAdmin`: the history, compare and revert pages."""

    object_history_template = "editorial/admin/object_history.html"
    history_per_page = 50

    def _url_name(self, view):
        opts = self.model._meta
        return f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{view}"

    def get_urls(self):
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        own = [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{prefix}_compare",
            ),
        ]
        return own + super().get_urls()

    def _get_record(self, object_id, history_id):
        try:
            history_id = int(history_id)
        except (TypeError, ValueError):
            raise Http404 from None
        pk_name = self.model._meta.pk.attname
        record = (
            self.model.history.filter(**{pk_name: unquote(object_id)}, history_id=history_id)
            .select_related("history_user")
            .first()
        )
        if record is None:
            raise Http404
        return record

    def _object_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        return obj

    def history_view(self, request, object_id, extra_context=None):
        obj = self._object_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        records = self.model.history.filter(**{self.model._meta.pk.attname: obj.pk}).select_related("history_user")
        page = Paginator(records, self.history_per_page).get_page(request.GET.get("p"))
        page_records = one_per_version(page.object_list)
        changed = changed_field_labels(self.model, page_records)
        for record in page_records:
            record.changed_labels = changed.get(record.history_id, [])
        return admin_page(
            self,
            request,
            self.object_history_template,
            title=_("History: %s") % obj,
            object=obj,
            page_obj=page,
            records=page_records,
            can_revert=self.has_change_permission(request, obj),
            compare_url=reverse(self._url_name("compare"), args=[quote(obj.pk)]),
            child_histories=self.child_histories(request, obj),
            **(extra_context or {}),
        )

    def child_histories(self, request, obj, limit=30):
        """Recent changes to the rows edited inline on this page (steps, chapters …), newest first."""
        sections = []
        for inline in self.get_inline_instances(request, obj):
            child = inline.model
            if not is_tracked(child):
                continue
            fk = inline.fk_name or next(
                field.name
                for field in child._meta.concrete_fields
                if field.is_relation and field.related_model is self.model
            )
            fk_attname = child._meta.get_field(fk).attname
            records = list(
                child.history.filter(**{fk_attname: obj.pk})
                .select_related("history_user")
                .order_by("-history_date", "-history_id")[:limit]
            )
            pk_attname = child._meta.pk.attname
            existing = set()
            if self.admin_site.is_registered(child):
                ids = {getattr(record, pk_attname) for record in records}
                existing = set(child._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
            for record in records:
                row_id = getattr(record, pk_attname)
                record.history_url = (
                    reverse(
                        f"{self.admin_site.name}:{child._meta.app_label}_{child._meta.model_name}_history",
                        args=[quote(row_id)],
                    )
                    if row_id in existing
                    else None
                )
            sections.append({"title": capfirst(child._meta.verbose_name_plural), "records": records})
        return sections

    def compare_view(self, request, object_id):
        obj = self._object_or_404(request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        history = self.model.history.filter(**{self.model._meta.pk.attname: obj.pk})
        newer_id = request.GET.get("newer")
        newer = self._get_record(object_id, newer_id) if newer_id else history.select_related("history_user").first()
        if newer is None:
            raise Http404
        older_id = request.GET.get("older")
        if older_id:
            older = self._get_record(object_id, older_id)
        else:
            older = (
                history.filter(history_date__lte=newer.history_date)
                .exclude(history_id=newer.history_id)
                .select_related("history_user")
                .order_by("-history_date", "-history_id")
                .first()
            )
        if older is not None and (older.history_date, older.history_id) > (newer.history_date, newer.history_id):
            older, newer = newer, older
        return admin_page(
            self,
            request,
            "editorial/admin/compare.html",
            title=_("Compare versions: %s") % obj,
            object=obj,
            older=older,
            newer=newer,
            changes=diff_records(self.model, older, newer),
            history_url=reverse(self._url_name("history"), args=[quote(obj.pk)]),
            can_revert=self.has_change_permission(request, obj),
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Revert to a version: GET shows what would change; POST (with the version seen) does it."""
        obj = self._object_or_404(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        record = self._get_record(object_id, version_id)
        if request.method == "POST" and self.proposes(request, obj):
            self.message_user(
                request,
                _("This page is live: only a Publisher can bring back an older version. Nothing was changed."),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.path)
        if request.method == "POST":
            try:
                seen = int(request.POST.get(SEEN_VERSION, ""))
            except ValueError:
                seen = -1
            keep = () if self.has_publish_permission(request) else tuple(getattr(self, "publish_fields", ()))
            try:
                with transaction.atomic(using=router.db_for_write(self.model)):
                    result = revert_to_version(
                        model=self.model,
                        pk=obj.pk,
                        record=record,
                        seen_version=seen,
                        user=request.user,
                        keep_fields=keep,
                        validate=self.validate_revert,
                    )
            except StaleVersions as error:
                self.message_stale(request, error.stale)
                obj = self._object_or_404(request, object_id)
            except RevertError as error:
                self.message_user(request, _("This version cannot be brought back: %s") % error, messages.ERROR)
                for problem in error.problems:
                    self.message_user(request, problem, messages.ERROR)
            else:
                self.log_change(request, result.obj, _("Reverted to version %s") % result.from_version)
                self.message_user(
                    request,
                    _("Reverted to version %(old)s. The page now shows it, as version %(new)s.")
                    % {"old": result.from_version, "new": result.obj.version},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse(self._url_name("change"), args=[quote(obj.pk)]))
        current = version_record(self.model, obj.pk, obj.version)
        kept = [] if self.has_publish_permission(request) else list(getattr(self, "publish_fields", ()))
        return admin_page(
            self,
            request,
            "editorial/admin/revert.html",
            title=_("Revert to version %(version)s: %(object)s") % {"version": record.version, "object": obj},
            object=obj,
            record=record,
            current=current,
            changes=[change for change in diff_records(self.model, current, record) if change.name not in kept],
            kept_fields=[capfirst(str(self.model._meta.get_field(name).verbose_name)) for name in kept],
            seen_version=obj.version,
            history_url=reverse(self._url_name("history"), args=[quote(obj.pk)]),
            needs_publisher=self.proposes(request, obj),
            **(extra_context or {}),
        )


def one_per_version(records):
    """The newest record of each version (records newest first).

    Saves made outside the admin (the shipped-content loader, a shell) write one record for the
    row and one for each many-to-many change, all at the same version; the last holds it all.
    """
    kept = {}
    for record in records:
        key = (record.version, record.history_type == "-")
        if key not in kept:
            kept[key] = record
            record.is_creation = record.history_type == "+"
        elif record.history_type == "+":
            kept[key].is_creation = True
    return list(kept.values())
