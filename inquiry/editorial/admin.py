"""Reusable admin pieces that make the Django admin a trustworthy editorial tool.

- `EditorialAdmin`: base ModelAdmin for every content model. History with who/when, a field-by-field
  comparison of any two versions, revert to any version; version-checked edit forms, inlines and
  bulk actions (no lost edits); created_by/updated_by; a 301 from an old slug; Markdown preview.
- `EditorialInlineMixin`: the same version check for inline rows, and a link to each row's history.
- `PublishingAdminMixin`: draft/published with a publish date, publish/unpublish actions that only
  Publishers have, "last reviewed" and a filter of what is due for review.

Apply to a content model (see README, "Editorial admin"):

    @admin.register(Flow)
    class FlowAdmin(PublishingAdminMixin, EditorialAdmin, TranslationAdmin): ...

    class ChoiceInline(EditorialInlineMixin, TranslationTabularInline): ...
"""

import datetime

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, router, transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from modeltranslation.utils import build_localized_fieldname
from simple_history.admin import SimpleHistoryAdmin

from inquiry.core.markdown import render_markdown
from inquiry.core.redirects import has_slug_route, record_slug_change

from .diff import changed_field_labels, diff_records
from .forms import SEEN_VERSION, VersionCheckedInlineFormSet, publishing_form, versioned_form, versioned_formset
from .history import is_tracked, markdown_fields, record_version, version_record
from .models import APPROVE_PERMISSION, Proposal
from .proposals import ProposalAdmin
from .roles import publish_permission
from .services import RevertError, StaleVersions, change_rows, revert_to_version

SEEN_VERSION_PREFIX = "_seen_version_"
MAX_PREVIEW_ROWS = 200
# Form keys a proposal does not keep: the submit buttons, the CSRF token and the popup machinery.
NOT_PROPOSED = {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_popup", "_to_field"}


def is_proposer(request):
    """A user whose saves to live content wait for a Publisher (see `EditorialAdmin.is_live`)."""
    return not request.user.has_perm(APPROVE_PERMISSION)


def acting_user(request):
    """Whose rights shape the edit form: the proposer's while a Publisher applies their proposal."""
    return getattr(request, "_editorial_proposer", None) or request.user


def is_replay(request):
    return getattr(request, "_editorial_replay", False)


def has_field(model, name):
    return any(field.name == name for field in model._meta.concrete_fields)


def has_version(model):
    return has_field(model, "version")


def with_seen_version(fieldsets):
    """The fieldsets with the hidden `seen_version` field in the first one (if not there already)."""
    fieldsets = [(name, dict(options)) for name, options in fieldsets]
    names = {
        item
        for _name, options in fieldsets
        for line in options.get("fields", ())
        for item in (line if isinstance(line, (list, tuple)) else [line])
    }
    if SEEN_VERSION in names or not fieldsets:
        return fieldsets
    name, options = fieldsets[0]
    fieldsets[0] = (name, {**options, "fields": [*options.get("fields", ()), SEEN_VERSION]})
    return fieldsets


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


def _language_name(code):
    return dict(settings.LANGUAGES).get(code, code)


class EditorialAdmin(SimpleHistoryAdmin):
    """Base ModelAdmin for a content model (an `EditableContent` subclass registered with `track_history`)."""

    change_form_template = "editorial/admin/change_form.html"
    object_history_template = "editorial/admin/object_history.html"
    history_per_page = 50

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if has_version(model):
            self.form = versioned_form(self.form)

    # --- the edit form -----------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return with_seen_version(fieldsets) if has_version(self.model) else fieldsets

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")  # official sources are https; Django 6's default
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        return mark_markdown_widget(self.model, db_field, formfield)

    # --- proposals: an Editor's save to live content waits for a Publisher ----------------------

    def is_live(self, obj, request=None):
        """Whether a save of `obj` (None: a new object) shows on the site at once.

        Models without a draft state are always live, so even adding one is a proposal.
        """
        return True

    def proposes(self, request, obj):
        """Whether this request's save becomes a proposal instead of a save."""
        return not is_replay(request) and is_proposer(request) and self.is_live(obj, request)

    def capturing(self, request):
        return getattr(request, "_editorial_capture", False)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        request._editorial_capture = False
        if request.method == "POST":
            adding = object_id is None or "_saveasnew" in request.POST
            obj = None if adding else self.get_object(request, unquote(object_id))
            if (adding or obj is not None) and self.proposes(request, obj):
                request._editorial_capture = True
                request._editorial_original = obj
        return super().changeform_view(request, object_id, form_url, extra_context)

    def construct_change_message(self, request, form, formsets, add=False):
        if self.capturing(request):
            return []  # nothing was saved, so the formsets hold no saved objects to describe
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if self.capturing(request):
            return None
        return super().log_change(request, obj, message)

    def log_addition(self, request, obj, message):
        if self.capturing(request):
            return None
        return super().log_addition(request, obj, message)

    def response_change(self, request, obj):
        if self.capturing(request):
            return self.store_proposal(request, getattr(request, "_editorial_original", None) or obj)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if self.capturing(request):
            return self.store_proposal(request, None, new_obj=obj)
        return super().response_add(request, obj, post_url_continue)

    def store_proposal(self, request, obj, new_obj=None):
        """Keep the validated, unsaved form as a proposal; nothing else is written."""
        form = getattr(request, "_editorial_form", None)
        base_version = None
        if obj is not None and has_version(self.model):
            seen = form.cleaned_data.get(SEEN_VERSION) if form is not None else None
            base_version = seen if seen is not None else obj.version
        data = {key: values for key, values in request.POST.lists() if key not in NOT_PROPOSED}
        proposal = Proposal.objects.create(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=None if obj is None else str(obj.pk),
            object_repr=str(obj if obj is not None else new_obj)[:200],
            data=data,
            base_version=base_version,
            proposed_by=request.user,
        )
        self.message_user(
            request,
            _("Sent for approval: a Publisher will look at your change. The site does not change until then."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse(f"{self.admin_site.name}:editorial_proposal_change", args=[proposal.pk]))

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if (
            request.method == "POST"
            and obj is not None
            and self.has_delete_permission(request, obj)
            and self.proposes(request, obj)
        ):
            self.message_user(
                request,
                _("This is live content: only a Publisher can delete it. Nothing was deleted."),
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse(self._url_name("change"), args=[quote(obj.pk)]))
        return super().delete_view(request, object_id, extra_context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.proposes(request, None):
            actions.pop("delete_selected", None)
        return actions

    # --- saving ---------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if self.capturing(request):
            request._editorial_form = form
            return
        stamp(obj, request.user)
        if is_tracked(type(obj)):
            # One save, one version: the record is written in save_related, after the many-to-many
            # fields and the inlines, so it holds them as saved.
            obj.skip_history_when_saving = True
        super().save_model(request, obj, form, change)
        if change and "slug" in form.changed_data and has_slug_route(type(obj)):
            record_slug_change(obj=obj, old_slug=form.initial.get("slug"))

    def save_related(self, request, form, formsets, change):
        if self.capturing(request):
            return
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if is_tracked(type(obj)):
            obj.__dict__.pop("skip_history_when_saving", None)
            record_version(
                obj,
                user=request.user,
                reason=getattr(request, "_editorial_change_reason", None),
                history_type="~" if change else "+",
            )

    def save_formset(self, request, form, formset, change):
        if self.capturing(request):
            return
        reason = getattr(request, "_editorial_change_reason", None)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        changed_slugs = {
            inline_form.instance.pk: inline_form.initial.get("slug")
            for inline_form in formset.initial_forms
            if "slug" in inline_form.changed_data
        }
        for obj in instances:
            stamp(obj, request.user)
            if reason:
                obj._change_reason = reason
            obj.save()
            if obj.pk in changed_slugs and has_slug_route(type(obj)):
                record_slug_change(obj=obj, old_slug=changed_slugs[obj.pk])
        formset.save_m2m()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        conflicts = []
        adminform = context.get("adminform")
        if adminform is not None and getattr(adminform.form, "version_conflict", None):
            conflicts.append(adminform.form.version_conflict)
        for inline_admin_formset in context.get("inline_admin_formsets", []):
            for inline_form in inline_admin_formset.formset.forms:
                if getattr(inline_form, "version_conflict", None):
                    conflicts.append(inline_form.version_conflict)
        context["version_conflicts"] = conflicts
        if self._has_markdown(request, obj):
            context["markdown_preview_url"] = reverse(self._url_name("markdown_preview"))
        if obj is not None and has_version(self.model):
            context["editing_version"] = obj.version
        if self.proposes(request, obj):
            context["proposal_banner"] = "change" if change else "add"
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- bulk actions carry the versions the editor saw --------------------------------------

    def get_list_display(self, request):
        list_display = list(super().get_list_display(request))
        if has_version(self.model) and "version_column" not in list_display:
            list_display.append("version_column")
        return list_display

    @admin.display(description=gettext_lazy("version"))
    def version_column(self, obj):
        # The changelist is one form: these hidden inputs travel with any action run from it.
        return format_html(
            '{}<input type="hidden" name="{}{}" value="{}">', obj.version, SEEN_VERSION_PREFIX, obj.pk, obj.version
        )

    def seen_versions(self, request, queryset):
        """{pk: version the editor saw} for the rows an action runs on, or None (and a message)."""
        seen = {}
        for pk in queryset.values_list("pk", flat=True):
            try:
                seen[pk] = int(request.POST[f"{SEEN_VERSION_PREFIX}{pk}"])
            except (KeyError, ValueError):
                self.message_user(
                    request,
                    _(
                        "Nothing was changed: select the rows on this page, so the action knows which version "
                        "of each you saw."
                    ),
                    messages.ERROR,
                )
                return None
        return seen

    def change_selected(self, request, queryset, *, change, reason, done_message):
        """Run `change` on the selected rows, all or nothing, refusing rows changed since the page was shown."""
        seen = self.seen_versions(request, queryset)
        if seen is None:
            return None
        try:
            changed = change_rows(model=self.model, seen_versions=seen, user=request.user, change=change, reason=reason)
        except StaleVersions as error:
            self.message_stale(request, error.stale)
            return None
        except ValidationError as error:
            # `change` refused a row (e.g. a guide with problems cannot be published): nothing was written.
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return None
        self.message_user(request, done_message(len(changed)), messages.SUCCESS)
        return None

    def message_stale(self, request, stale):
        for obj, seen_version in stale:
            who = obj.updated_by.get_username() if obj.updated_by else _("someone")
            self.message_user(
                request,
                format_html(
                    _(
                        "Nothing was changed: “{}” was saved by {} at {} (version {}) after you opened this list "
                        '(you saw version {}). <a href="{}">See what changed</a>, then try again.'
                    ),
                    obj,
                    who,
                    timezone.localtime(obj.updated_at).strftime("%Y-%m-%d %H:%M"),
                    obj.version,
                    seen_version,
                    reverse(self._url_name("history"), args=[quote(obj.pk)]),
                ),
                messages.ERROR,
            )

    # --- history, comparison and revert ------------------------------------------------------

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
            path(
                "markdown-preview/",
                self.admin_site.admin_view(self.markdown_preview_view),
                name=f"{prefix}_markdown_preview",
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
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %s") % obj,
            "opts": self.model._meta,
            "object": obj,
            "page_obj": page,
            "records": page_records,
            "can_revert": self.has_change_permission(request, obj),
            "compare_url": reverse(self._url_name("compare"), args=[quote(obj.pk)]),
            "child_histories": self.child_histories(request, obj),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

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
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compare versions: %s") % obj,
            "opts": self.model._meta,
            "object": obj,
            "older": older,
            "newer": newer,
            "changes": diff_records(self.model, older, newer),
            "history_url": reverse(self._url_name("history"), args=[quote(obj.pk)]),
            "can_revert": self.has_change_permission(request, obj),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "editorial/admin/compare.html", context)

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
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revert to version %(version)s: %(object)s") % {"version": record.version, "object": obj},
            "opts": self.model._meta,
            "object": obj,
            "record": record,
            "current": current,
            "changes": [change for change in diff_records(self.model, current, record) if change.name not in kept],
            "kept_fields": [capfirst(str(self.model._meta.get_field(name).verbose_name)) for name in kept],
            "seen_version": obj.version,
            "history_url": reverse(self._url_name("history"), args=[quote(obj.pk)]),
            "needs_publisher": self.proposes(request, obj),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "editorial/admin/revert.html", context)

    def has_publish_permission(self, request):
        """Models without a publishing workflow have nothing to protect."""
        return True

    def validate_revert(self, obj):
        """Rules spanning several rows that a revert must keep (raise ValidationError to refuse it).

        Called with the reverted object saved, inside the revert's transaction.
        """

    # --- Markdown preview ------------------------------------------------------------------------

    def _markdown_sources(self, request, obj=None):
        """[(label, form field name)] of every Markdown field on this page, inlines included."""
        sources = []
        for base in markdown_fields(self.model):
            label = capfirst(str(self.model._meta.get_field(base).verbose_name))
            for code, _name in settings.LANGUAGES:
                sources.append((f"{label} ({_language_name(code)})", build_localized_fieldname(base, code)))
        for inline in self.get_inline_instances(request, obj):
            bases = markdown_fields(inline.model)
            if not bases:
                continue
            prefix = inline.get_formset(request, obj).get_default_prefix()
            try:
                rows = min(int(request.POST.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_PREVIEW_ROWS)
            except ValueError:
                rows = 0
            for index in range(rows):
                for base in bases:
                    label = capfirst(str(inline.model._meta.get_field(base).verbose_name))
                    for code, _name in settings.LANGUAGES:
                        name = f"{prefix}-{index}-{build_localized_fieldname(base, code)}"
                        row_label = f"{capfirst(inline.model._meta.verbose_name)} {index + 1}"
                        sources.append((f"{row_label}: {label} ({_language_name(code)})", name))
        return sources

    def _has_markdown(self, request, obj=None):
        return bool(markdown_fields(self.model)) or any(
            markdown_fields(inline.model) for inline in self.get_inline_instances(request, obj)
        )

    def markdown_preview_view(self, request):
        """The page's Markdown as the public site will show it. Saves nothing.

        The change form's Preview button posts the whole form here (works without JavaScript);
        `editorial/markdown-preview.js` asks for JSON to show a preview under each field.
        """
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseRedirect(reverse(self._url_name("changelist")))
        previews = []
        for label, name in self._markdown_sources(request):
            if name in request.POST:
                text = request.POST.get(name, "")
                previews.append(
                    {"label": label, "name": name, "html": render_markdown(text), "empty": not text.strip()}
                )
        if request.headers.get("Accept", "").startswith("application/json"):
            response = JsonResponse({"previews": [{"name": p["name"], "html": p["html"]} for p in previews]})
        else:
            context = {
                **self.admin_site.each_context(request),
                "title": _("Preview: %s") % capfirst(self.model._meta.verbose_name),
                "opts": self.model._meta,
                "previews": [item for item in previews if not item["empty"]],
            }
            request.current_app = self.admin_site.name
            response = TemplateResponse(request, "editorial/admin/markdown_preview.html", context)
        response["Cache-Control"] = "private, no-store"
        return response


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


def stamp(obj, user):
    """Who created and who last changed a content row (EditableContent's created_by/updated_by)."""
    if not hasattr(obj, "updated_by_id"):
        return
    obj.updated_by = user
    if obj._state.adding and obj.created_by_id is None:
        obj.created_by = user


def mark_markdown_widget(model, db_field, formfield):
    """Markdown textareas get `data-markdown-preview`, which the preview script looks for."""
    if formfield is None:
        return formfield
    base = getattr(db_field, "translated_field", db_field).name
    if base in markdown_fields(model):
        formfield.widget.attrs["data-markdown-preview"] = "1"
        formfield.widget.attrs.setdefault("rows", 8)
    return formfield


class EditorialInlineMixin:
    """For an inline of content rows: each row carries its version; a link to each row's history."""

    formset = VersionCheckedInlineFormSet

    def __init__(self, parent_model, admin_site):
        super().__init__(parent_model, admin_site)
        if has_version(self.model):
            self.form = versioned_form(self.form)
            # An inline with a formset of its own (with checks of its own) gets the version check too.
            self.formset = versioned_formset(self.formset)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return with_seen_version(fieldsets) if has_version(self.model) else fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self.admin_site.is_registered(self.model) and "history_link" not in readonly:
            readonly.append("history_link")
        return readonly

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if self.admin_site.is_registered(self.model) and "history_link" not in fields:
            fields.append("history_link")
        return fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        return mark_markdown_widget(self.model, db_field, formfield)

    @admin.display(description=gettext_lazy("history"))
    def history_link(self, obj):
        if obj is None or obj.pk is None:
            return ""
        opts = self.model._meta
        try:
            url = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history", args=[quote(obj.pk)])
        except NoReverseMatch:
            return ""
        return format_html('<a href="{}">{}</a>', url, _("History (version {})").format(obj.version))


class ChildAdminMixin:
    """For a model normally edited inline: its own pages (history, revert) stay, but not in the admin index."""

    def get_model_perms(self, request):
        return {}


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
        from django.db.models import Q

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
        return acting_user(request).has_perm(publish_permission(self.model))

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
            obj.status = obj.Status.PUBLISHED
            # A future publish date stays: the item appears then, without a scheduler.
            obj.published_at = obj.published_at or now
            return True

        return self.change_selected(
            request,
            queryset,
            change=publish,
            reason=_("Published"),
            done_message=lambda count: ngettext("Published %d item.", "Published %d items.", count) % count,
        )

    @admin.action(permissions=["publish"], description=gettext_lazy("Unpublish the selected items (back to draft)"))
    def unpublish_selected(self, request, queryset):
        def unpublish(obj):
            if obj.status == obj.Status.DRAFT:
                return False
            obj.status = obj.Status.DRAFT
            return True

        return self.change_selected(
            request,
            queryset,
            change=unpublish,
            reason=_("Unpublished"),
            done_message=lambda count: ngettext("Unpublished %d item.", "Unpublished %d items.", count) % count,
        )

    @admin.action(permissions=["change"], description=gettext_lazy("Mark the selected items as reviewed today"))
    def mark_reviewed(self, request, queryset):
        today = timezone.localdate()

        def reviewed(obj):
            obj.last_reviewed_on = today
            obj.reviewed_by = request.user
            return True

        return self.change_selected(
            request,
            queryset,
            change=reviewed,
            reason=_("Marked as reviewed"),
            done_message=lambda count: (
                ngettext("Marked %d item as reviewed.", "Marked %d items as reviewed.", count) % count
            ),
        )


admin.site.register(Proposal, ProposalAdmin)
