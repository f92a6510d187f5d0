"""Proposals as revisions: an Editor's validated change to live content, kept as JSON until a Publisher decides.

A proposal holds the cleaned values of the edit form and of its inline rows (in the spirit of Wagtail's
`Revision.content`), never the request that sent them:

    {"format": 2,
     "fields": {"short_answer_en": "…", "citations": [12, 14], "published_at": "2026-12-03T09:00:00+00:00"},
     "inlines": {"steps": [{"id": 7, "seen_version": 3, "fields": {"title_en": "…"}},
                           {"id": null, "fields": {…}},            # a row added
                           {"id": 9, "seen_version": 1, "delete": true}]}}

Existing rows the Editor left alone are not stored. To show or apply a proposal, `bound_forms` builds
the page's own admin form and formsets for the Publisher's request, bound to the object's current
values with the proposed ones laid over them, and the version the proposal started from: the same
validation runs as for a save (versions, a published guide's soundness), and `approve` saves through
`services.content_save`, inside one transaction, or writes nothing.
"""

import datetime
import decimal

from django import forms
from django.contrib.admin.helpers import AdminErrorList
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.forms.formsets import DELETION_FIELD_NAME, all_valid
from django.forms.models import InlineForeignKeyField
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.translation import gettext as _

from .forms import MERGE_DECISION, MERGE_FIELDS, SEEN_VERSION, write_value
from .models import Proposal
from .services import content_save

FORMAT = 2
# Form fields a proposal does not keep: the version (kept as `base_version` / a row's `seen_version`),
# the merge of a conflict (its result is in the fields), the row machinery and the inline's link to its parent.
NOT_KEPT = {SEEN_VERSION, MERGE_FIELDS, DELETION_FIELD_NAME, "ORDER"}


class ProposalUnusable(Exception):
    """The proposal cannot be read or applied; the message says why, for the Publisher."""


# --- storing --------------------------------------------------------------------------------------


def _as_json(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set | frozenset):
        return [_as_json(item) for item in value]
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _kept_fields(form):
    pk_name = form._meta.model._meta.pk.name
    return {
        name: _as_json(form.cleaned_data[name])
        for name, field in form.fields.items()
        if name not in NOT_KEPT
        and not name.startswith(MERGE_DECISION)
        and name in form.cleaned_data
        and not isinstance(field, InlineForeignKeyField)
        and not (name == pk_name and isinstance(field.widget, forms.HiddenInput))
    }


def _kept_rows(formset):
    rows = []
    for row in formset.forms:
        existing = row.instance.pk is not None and not row.instance._state.adding
        deleting = formset.can_delete and formset._should_delete_form(row)
        if not existing and (deleting or not row.has_changed()):
            continue  # an empty extra row
        if existing and not deleting and not row.has_changed():
            continue  # left alone
        item = {"id": _as_json(row.instance.pk) if existing else None}
        if existing and SEEN_VERSION in row.cleaned_data:
            item["seen_version"] = row.cleaned_data[SEEN_VERSION]
        if deleting:
            item["delete"] = True
        else:
            item["fields"] = _kept_fields(row)
        rows.append(item)
    return rows


def proposal_content(form, formsets):
    """The JSON a proposal keeps of a validated form and its validated inline formsets."""
    return {
        "format": FORMAT,
        "fields": _kept_fields(form),
        "inlines": {formset.prefix: _kept_rows(formset) for formset in formsets},
    }


@transaction.atomic
def propose(*, model, obj, form, formsets, user):
    """Keep the validated, unsaved change of `obj` (None: a new object) as a proposal; nothing else is written."""
    base_version = None
    if obj is not None and any(field.name == "version" for field in model._meta.concrete_fields):
        seen = form.cleaned_data.get(SEEN_VERSION)
        base_version = seen if seen is not None else obj.version
    return Proposal.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id=None if obj is None else str(obj.pk),
        object_repr=str(obj if obj is not None else form.instance)[:200],
        data=proposal_content(form, formsets),
        base_version=base_version,
        proposed_by=user,
    )


# --- reading: the admin's own forms, bound to the proposal ----------------------------------------------


def _content(proposal):
    data = proposal.data
    unreadable = ProposalUnusable(_("The proposal's form data cannot be read."))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise unreadable
    fields, inlines = data.get("fields"), data.get("inlines", {})
    if not isinstance(fields, dict) or not isinstance(inlines, dict):
        raise unreadable
    for rows in inlines.values():
        if not isinstance(rows, list):
            raise unreadable
        for row in rows:
            if (
                not isinstance(row, dict)
                or not isinstance(row.get("fields", {}), dict)
                or not isinstance(row.get("id"), int | str | type(None))
                or not isinstance(row.get("seen_version", 0), int)
            ):
                raise unreadable
    return fields, inlines


def _from_json(form_field, value):
    """A stored value as the form field's widget reads it back (dates from ISO text, many ids as a set)."""
    if isinstance(value, str):
        parse = None
        if isinstance(form_field, forms.DateTimeField | forms.SplitDateTimeField):
            parse = parse_datetime
        elif isinstance(form_field, forms.DateField):
            parse = parse_date
        elif isinstance(form_field, forms.TimeField):
            parse = parse_time
        if parse is not None:
            try:
                parsed = parse(value)
            except ValueError:
                parsed = None
            if parsed is None:
                raise ProposalUnusable(_("The proposal's form data cannot be read."))
            if isinstance(parsed, datetime.datetime) and timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed)
            return parsed
    if isinstance(form_field, forms.ModelMultipleChoiceField) and isinstance(value, list):
        return set(value)
    if isinstance(value, dict | list) and not isinstance(form_field, forms.MultipleChoiceField):
        raise ProposalUnusable(_("The proposal's form data cannot be read."))
    return value


def _fill(data, form, proposed=None, seen_version=None):
    """Write `form`'s current values into `data`, the proposed ones (by field name) instead where given."""
    proposed = proposed or {}
    for name, form_field in form.fields.items():
        if name == DELETION_FIELD_NAME:
            continue
        if name == SEEN_VERSION and seen_version is not None:
            value = seen_version
        elif name in proposed and name not in NOT_KEPT:
            value = _from_json(form_field, proposed[name])
        else:
            value = form.get_initial_for_field(form_field, name)
        if isinstance(form_field, forms.ModelMultipleChoiceField) and not isinstance(value, set):
            value = {getattr(item, "pk", item) for item in value or ()}
        try:
            write_value(data, form.add_prefix(name), form_field, value)
        except (TypeError, ValueError, AttributeError) as error:  # a stored value of the wrong kind
            raise ProposalUnusable(_("The proposal's form data cannot be read.")) from error


def _inline_formsets(model_admin, request, obj):
    """[(FormSet class, inline, prefix)] as the admin's change form numbers them."""
    found, prefixes = [], {}
    args = [request] if obj is None else [request, obj]
    for formset_class, inline in model_admin.get_formsets_with_inlines(*args):
        prefix = formset_class.get_default_prefix()
        prefixes[prefix] = prefixes.get(prefix, 0) + 1
        if prefixes[prefix] != 1 or not prefix:
            prefix = f"{prefix}-{prefixes[prefix]}"
        found.append((formset_class, inline, prefix))
    return found


def bound_forms(model_admin, request, proposal, obj):
    """(form, [formsets]): the admin's edit form of `obj` (None: new) for `request`, bound to the proposal.

    Fields the proposer's form did not have (a Publisher sees the publishing fields) keep their current
    values; rows the proposer left alone stay as they are.
    """
    fields, inlines = _content(proposal)
    change = obj is not None
    form_class = model_admin.get_form(request, obj, change=change)
    data = QueryDict(mutable=True)
    _fill(data, form_class(instance=obj), fields, seen_version=proposal.base_version)
    formsets = []
    for formset_class, inline, prefix in _inline_formsets(model_admin, request, obj):
        queryset = inline.get_queryset(request)
        current = formset_class(instance=obj if change else model_admin.model(), prefix=prefix, queryset=queryset)
        rows = inlines.get(prefix, [])
        by_id = {str(row["id"]): row for row in rows if row.get("id") is not None}
        added = [row for row in rows if row.get("id") is None and not row.get("delete")]
        existing = current.initial_forms
        for row_form in existing:
            row = by_id.pop(str(row_form.instance.pk), {})
            _fill(data, row_form, row.get("fields"), seen_version=row.get("seen_version"))
            if row.get("delete"):
                data[row_form.add_prefix(DELETION_FIELD_NAME)] = "on"
        if by_id:
            # A row the proposal changes or deletes is gone: the page changed since the proposal.
            raise ProposalUnusable(_("The page changed since the proposal: a row it changes has been deleted since."))
        for index, row in enumerate(added, start=len(existing)):
            blank = current.empty_form
            blank.prefix = current.add_prefix(index)
            _fill(data, blank, row.get("fields"))
        data[f"{prefix}-TOTAL_FORMS"] = str(len(existing) + len(added))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(existing))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        formsets.append((formset_class, prefix, queryset))
    data._mutable = False
    # Built once every value is in `data`; new rows belong to the form's (new) object, as in the admin.
    form = form_class(data, instance=obj)
    parent = obj if change else form.instance
    built = [
        formset_class(data, instance=parent, prefix=prefix, queryset=queryset)
        for formset_class, prefix, queryset in formsets
    ]
    return form, built


def errors_of(form, formsets):
    """Every error message of a bound form and its formsets, as the admin lists them above the form."""
    return [str(message) for error_list in AdminErrorList(form, formsets) for message in error_list]


# --- deciding ---------------------------------------------------------------------------------------------


def approve(*, model_admin, request, proposal):
    """Apply `proposal` as `request.user`, inside one transaction, or raise ProposalUnusable and write nothing.

    Returns the saved object. PermissionDenied if the Publisher may not make this change themselves.
    """
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
        if locked is None or locked.status != Proposal.Status.PENDING:
            raise ProposalUnusable(_("This proposal was already decided."))
        if model_admin is None:
            raise ProposalUnusable(_("This kind of content can no longer be edited in the admin."))
        obj = proposal.target()
        if proposal.object_id is not None and obj is None:
            raise ProposalUnusable(_("The page this proposal changes has been deleted since."))
        allowed = (
            model_admin.has_add_permission(request) if obj is None else model_admin.has_change_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        form, formsets = bound_forms(model_admin, request, proposal, obj)
        form_valid = form.is_valid()
        if not (all_valid(formsets) and form_valid):
            raise ProposalUnusable(refusal(proposal, obj, errors_of(form, formsets)))
        reason = _("Approved proposal #%(id)s by %(user)s") % {
            "id": proposal.pk,
            "user": proposal.proposed_by.get_username(),
        }
        saved = content_save(obj=form.instance, form=form, formsets=formsets, user=request.user, reason=reason)
        locked.status = Proposal.Status.APPROVED
        locked.decided_by = request.user
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
    return saved


def close(*, proposal, status, user):
    """Reject or withdraw: True if it was still waiting (and is now closed)."""
    return bool(
        Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.PENDING).update(
            status=status, decided_by=user, decided_at=timezone.now()
        )
    )


def refusal(proposal, obj, errors):
    """Why the proposal did not apply, in words for the Publisher."""
    advice = _(
        "Nothing was changed. Reject the proposal and ask %(user)s to make the change again on the page as it is now."
    ) % {"user": proposal.proposed_by.get_username()}
    current = getattr(obj, "version", None)
    if proposal.base_version is not None and current is not None and current != proposal.base_version:
        return " ".join(
            [
                _(
                    "The page changed since the proposal: it was made on version %(base)s, the page is now "
                    "at version %(current)s, so it cannot be applied as it is."
                )
                % {"base": proposal.base_version, "current": current},
                advice,
            ]
        )
    detail = _("The proposal cannot be applied as it is")
    if errors:
        detail = f"{detail}: {' '.join(errors[:5])}"
    return f"{detail}. {advice}"
