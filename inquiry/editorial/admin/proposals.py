"""The proposals' pages: what an Editor's change would do to a live page; approve, reject or withdraw it.

Each decision is one call to `inquiry.editorial.proposals` (approve rebuilds the page's forms from the
stored values under the Publisher's own request and saves through `services.content_save`).
"""

import logging

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .. import proposals
from ..diff import FieldChange, field_label, text_lines
from ..forms import SEEN_VERSION
from ..models import APPROVE_PERMISSION, Proposal
from ..readonly import ReadOnlyAdminMixin
from .pages import admin_page

logger = logging.getLogger(__name__)

SKIPPED_FORM_FIELDS = {SEEN_VERSION, DELETION_FIELD_NAME, "id", "ORDER"}


def target_url(admin_site, proposal):
    opts = proposal.target_model._meta
    if proposal.object_id is None:
        return reverse(f"{admin_site.name}:{opts.app_label}_{opts.model_name}_add")
    return reverse(f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[quote(proposal.object_id)])


# --- a readable difference: the page now, and as proposed --------------------------------------------


def shown(form_field, value):
    """A form value (stored or submitted) as an editor reads it."""
    if value is None or value == "" or value == []:
        return ""
    try:
        if isinstance(form_field, forms.ModelMultipleChoiceField):
            keys = [getattr(item, "pk", item) for item in value]
            return ", ".join(sorted(str(obj) for obj in form_field.queryset.filter(pk__in=keys)))
        if isinstance(form_field, forms.ModelChoiceField):
            found = form_field.queryset.filter(pk=getattr(value, "pk", value)).first()
            return str(found) if found is not None else str(value)
        if isinstance(form_field, forms.BooleanField):
            return _("yes") if form_field.to_python(value) else _("no")
        if isinstance(form_field, forms.ChoiceField):
            labels = {str(key): label for key, label in form_field.choices if not isinstance(label, (list, tuple))}
            return str(labels.get(str(value), value))
    except (ValueError, TypeError, forms.ValidationError):
        pass
    if isinstance(value, (list, tuple)):
        return " ".join(str(item) for item in value)
    return str(value)


def form_changes(form, *, new):
    """[FieldChange] for each field the bound `form` changes (every filled field of a new row)."""
    model = form._meta.model
    changes = []
    for name in form.changed_data:
        if name in SKIPPED_FORM_FIELDS:
            continue
        form_field = form.fields[name]
        try:
            label = field_label(model._meta.get_field(name))
        except FieldDoesNotExist:  # a form-only field
            label = capfirst(str(form_field.label or name))
        before = None if new else form[name].initial
        after = form[name].data
        if isinstance(form_field, forms.CharField) and not isinstance(form_field, forms.ChoiceField):
            old_text = "" if before is None else str(before)
            new_text = "" if after is None else str(after).replace("\r\n", "\n")
            if old_text.replace("\r\n", "\n") == new_text:
                continue
            changes.append(FieldChange(name, label, "text", old_text, new_text, lines=text_lines(old_text, new_text)))
        else:
            old_shown, new_shown = shown(form_field, before), shown(form_field, after)
            if old_shown != new_shown:
                changes.append(FieldChange(name, label, "value", old_shown, new_shown))
    return changes


def _deleting(formset, form):
    if not formset.can_delete or DELETION_FIELD_NAME not in form.fields:
        return False
    return bool(form.fields[DELETION_FIELD_NAME].to_python(form[DELETION_FIELD_NAME].data))


def describe(form, formsets, *, new):
    """(field changes of the page, [inline sections]) the bound forms of a proposal would make."""
    fields = form_changes(form, new=new)
    sections = []
    for formset in formsets:
        rows = []
        verbose = capfirst(formset.model._meta.verbose_name)
        for index, row in enumerate(formset.forms, start=1):
            existing = row.instance.pk is not None
            if existing and _deleting(formset, row):
                rows.append({"kind": "deleted", "name": str(row.instance), "changes": []})
            elif existing and row.has_changed():
                row_changes = form_changes(row, new=False)
                if row_changes:
                    rows.append({"kind": "changed", "name": str(row.instance), "changes": row_changes})
            elif not existing and row.has_changed() and not _deleting(formset, row):
                rows.append({"kind": "added", "name": f"{verbose} {index}", "changes": form_changes(row, new=True)})
        if rows:
            sections.append({"title": capfirst(formset.model._meta.verbose_name_plural), "rows": rows})
    return fields, sections


# --- the admin ----------------------------------------------------------------------------------------


class ProposalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Proposed changes to live content: Editors and Publishers see them; Publishers approve or reject."""

    list_display = ["__str__", "status", "proposed_by", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["content_type", "proposed_by", "decided_by"]
    template = "editorial/admin/proposal.html"

    def get_actions(self, request):
        return {}

    def get_queryset(self, request):
        # Waiting ones first, oldest of those first; then the decided ones, newest first.
        pending = models.Case(models.When(status=Proposal.Status.PENDING, then=0), default=1)
        return (
            super()
            .get_queryset(request)
            .annotate(waiting=pending)
            .order_by("waiting", models.F("decided_at").desc(nulls_first=True), "created_at", "id")
        )

    def get_ordering(self, request):
        return []

    def can_approve(self, request):
        return request.user.has_perm(APPROVE_PERMISSION)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        object_id = unquote(object_id)
        queryset = Proposal.objects.select_related("content_type", "proposed_by", "decided_by")
        proposal = queryset.filter(pk=object_id).first() if object_id.isdigit() else None
        if proposal is None:
            raise Http404
        if not self.has_view_permission(request, proposal):
            raise PermissionDenied
        if request.method == "POST":
            return self.decide(request, proposal)
        return self.detail(request, proposal)

    def target_admin(self, proposal):
        model = proposal.target_model
        return self.admin_site._registry.get(model) if model is not None else None

    def detail(self, request, proposal):
        target_admin = self.target_admin(proposal)
        obj = proposal.target() if target_admin is not None else None
        problem = None
        fields, sections = [], []
        if target_admin is None:
            problem = _("This kind of content can no longer be edited in the admin.")
        elif proposal.object_id is not None and obj is None:
            problem = _("The page this proposal changes has been deleted since.")
        elif proposal.status == Proposal.Status.PENDING:
            try:
                form, formsets = proposals.bound_forms(target_admin, request, proposal, obj)
                fields, sections = describe(form, formsets, new=obj is None)
            except proposals.ProposalUnusable as error:
                problem = str(error)
            except Exception:
                logger.exception("proposal %s cannot be shown", proposal.pk)
                problem = _("The proposal's form data cannot be read.")
        pending = proposal.status == Proposal.Status.PENDING
        stale = (
            pending
            and obj is not None
            and proposal.base_version is not None
            and getattr(obj, "version", proposal.base_version) != proposal.base_version
        )
        return admin_page(
            self,
            request,
            self.template,
            title=str(proposal),
            proposal=proposal,
            object=obj,
            object_url=target_url(self.admin_site, proposal) if target_admin is not None and obj is not None else "",
            current_version=getattr(obj, "version", None),
            stale=stale,
            problem=problem,
            changes=fields,
            sections=sections,
            can_approve=pending and self.can_approve(request) and problem is None,
            can_reject=pending and self.can_approve(request),
            can_withdraw=pending and proposal.proposed_by_id == request.user.pk,
        )

    def decide(self, request, proposal):
        here = reverse(f"{self.admin_site.name}:editorial_proposal_change", args=[proposal.pk])
        if "_approve" in request.POST:
            if not self.can_approve(request):
                raise PermissionDenied
            self.approve(request, proposal)
        elif "_reject" in request.POST:
            if not self.can_approve(request):
                raise PermissionDenied
            self.close(request, proposal, Proposal.Status.REJECTED, _("Rejected. The page was not changed."))
        elif "_withdraw" in request.POST:
            if proposal.proposed_by_id != request.user.pk:
                raise PermissionDenied
            self.close(request, proposal, Proposal.Status.WITHDRAWN, _("Withdrawn. The page was not changed."))
        return HttpResponseRedirect(here)

    def close(self, request, proposal, status, done):
        if proposals.close(proposal=proposal, status=status, user=request.user):
            self.message_user(request, done, messages.SUCCESS)
        else:
            self.message_user(request, _("This proposal was already decided."), messages.WARNING)

    def approve(self, request, proposal):
        target_admin = self.target_admin(proposal)
        try:
            saved = proposals.approve(model_admin=target_admin, request=request, proposal=proposal)
        except proposals.ProposalUnusable as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        except PermissionDenied:
            self.message_user(
                request, _("You may not make this change yourself, so you cannot approve it."), messages.ERROR
            )
            return
        log = target_admin.log_addition if proposal.object_id is None else target_admin.log_change
        log(request, saved, [{"changed": {"fields": []}}] if proposal.object_id else [{"added": {}}])
        self.message_user(
            request,
            _("Approved: %(proposal)s is now on the site.") % {"proposal": proposal},
            messages.SUCCESS,
        )
