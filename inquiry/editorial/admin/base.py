"""The base of every content model's admin: each hook is one call to a service.

- Saving: `save_related` calls `services.content_save` (one transaction, one version, one change of the
  page cache); `save_model` leaves the saving to it.
- Proposals: an Editor's save of live content is kept by `proposals.propose` instead (nothing else is
  written), and a Publisher applies it from the proposal's page (`admin/proposals.py`).
- Bulk actions call `services.change_rows` with the versions the editor saw.
- History, compare and revert: `history.HistoryViewsMixin`; Markdown preview: `preview.MarkdownPreviewMixin`.

Apply to a content model (see README, "Editorial admin", and docs/architecture.md):

    @admin.register(Flow)
    class FlowAdmin(PublishingAdminMixin, EditorialAdmin, TranslationAdmin): ...

    class ChoiceInline(EditorialInlineMixin, TranslationTabularInline): ...
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.forms.formsets import all_valid
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from ..forms import MERGE_FIELDS, SEEN_VERSION, slug_form, slug_source, versioned_form
from ..models import APPROVE_PERMISSION
from ..proposals import propose
from ..services import StaleVersions, change_rows, content_save
from .history import HistoryViewsMixin
from .preview import MarkdownPreviewMixin, mark_markdown_widget

SEEN_VERSION_PREFIX = "_seen_version_"


def is_proposer(request):
    """A user whose saves to live content wait for a Publisher (see `EditorialAdmin.is_live`)."""
    return not request.user.has_perm(APPROVE_PERMISSION)


def has_field(model, name):
    return any(field.name == name for field in model._meta.concrete_fields)


def has_version(model):
    return has_field(model, "version")


def with_seen_version(fieldsets):
    """The fieldsets with the hidden `seen_version` and `merge_fields` in the first one (if not there already)."""
    fieldsets = [(name, dict(options)) for name, options in fieldsets]
    names = {
        item
        for _name, options in fieldsets
        for line in options.get("fields", ())
        for item in (line if isinstance(line, (list, tuple)) else [line])
    }
    missing = [hidden for hidden in (SEEN_VERSION, MERGE_FIELDS) if hidden not in names]
    if not missing or not fieldsets:
        return fieldsets
    name, options = fieldsets[0]
    fieldsets[0] = (name, {**options, "fields": [*options.get("fields", ()), *missing]})
    return fieldsets


class EditorialAdmin(HistoryViewsMixin, MarkdownPreviewMixin, SimpleHistoryAdmin):
    """Base ModelAdmin for a content model (an `EditableContent` subclass registered with `track_history`)."""

    change_form_template = "editorial/admin/change_form.html"

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if has_version(model):
            self.form = versioned_form(self.form)
        source = slug_source(model)
        if source is not None:
            self.form = slug_form(self.form, source)

    # --- the edit form -----------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return with_seen_version(fieldsets) if has_version(self.model) else fieldsets

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")  # official sources are https; Django 6's default
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        return mark_markdown_widget(self.model, db_field, formfield)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        adminform = context.get("adminform")
        forms = [adminform.form] if adminform is not None else []
        for inline_admin_formset in context.get("inline_admin_formsets", []):
            forms.extend(inline_admin_formset.formset.forms)
        context["version_conflicts"] = [
            form.version_conflict for form in forms if getattr(form, "version_conflict", None)
        ]
        # The fields both editors changed, each waiting for the editor's decision (see forms.VersionCheckedForm).
        context["merges"] = [item for form in forms for item in getattr(form, "merge_items", ())]
        if self._has_markdown(request, obj):
            context["markdown_preview_url"] = reverse(self._url_name("markdown_preview"))
        if obj is not None and has_version(self.model):
            context["editing_version"] = obj.version
        if self.proposes(request, obj):
            context["proposal_banner"] = "change" if change else "add"
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- proposals: an Editor's save to live content waits for a Publisher ----------------------

    def is_live(self, obj, request=None):
        """Whether a save of `obj` (None: a new object) shows on the site at once.

        Models without a draft state are always live, so even adding one is a proposal.
        """
        return True

    def proposes(self, request, obj):
        """Whether a save by this request's user becomes a proposal instead of a save."""
        return is_proposer(request) and self.is_live(obj, request)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            adding = object_id is None or "_saveasnew" in request.POST
            obj = None if adding else self.get_object(request, unquote(object_id))
            if (adding or obj is not None) and self.proposes(request, obj):
                proposed = self.propose_change(request, obj)
                if proposed is not None:
                    return proposed
                # Not valid: Django's own view validates the form again and shows what to fix.
        return super().changeform_view(request, object_id, form_url, extra_context)

    def propose_change(self, request, obj):
        """Keep a valid form as a proposal and go to its page; None if the form is not valid."""
        if not (self.has_add_permission(request) if obj is None else self.has_change_permission(request, obj)):
            raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):  # the version check locks the row
            form = self.get_form(request, obj, change=obj is not None)(request.POST, request.FILES, instance=obj)
            form_valid = form.is_valid()
            formsets, _inlines = self._create_formsets(request, form.instance, change=obj is not None)
            if not (all_valid(formsets) and form_valid):
                return None
            proposal = propose(model=self.model, obj=obj, form=form, formsets=formsets, user=request.user)
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

    # --- saving: one service call -----------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        """Nothing yet: `save_related` saves the object with its relations and inline rows, as one version."""

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        if is_proposer(request) and self.proposes(request, self.get_object(request, quote(obj.pk)) if change else None):
            raise PermissionDenied  # live content: an Editor's change is a proposal (changeform_view), never a save
        content_save(obj=obj, form=form, formsets=formsets, user=request.user)

    def has_publish_permission(self, request):
        """Models without a publishing workflow have nothing to protect."""
        return True

    def validate_revert(self, obj):
        """Rules spanning several rows that a revert must keep (raise ValidationError to refuse it).

        Called with the reverted object saved, inside the revert's transaction.
        """

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
