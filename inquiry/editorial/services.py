"""Every editorial write goes through here: a save from a form, a revert, a bulk action.

- `content_save`: an object from its validated admin form and inline formsets (the admin's save, an
  approved proposal), or from plain values (the shipped-content loader).
- `revert_to_version`: an object as one of its historical records holds it.
- `change_rows`: one change to many rows at once (publish, unpublish, mark reviewed).

Each is one transaction, writes exactly one history record per object it changes, records a redirect
when a slug changes, and is one change of the page-cache generation however many rows and relations
it writes (`inquiry.core.generation.one_change`). Revert and bulk actions check, inside the transaction,
the versions the editor saw, and write nothing if any row moved on meanwhile; forms check theirs in
their own validation (`forms.VersionCheckedForm`), which runs in the same transaction as the save.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.utils.translation import gettext as _

from inquiry.core.generation import one_change
from inquiry.core.plain_text import validate_plain_text
from inquiry.core.redirects import has_slug_route, record_slug_change

from .history import content_fields, history_m2m_fields, is_tracked, m2m_values, record_version


class StaleVersions(Exception):
    """Rows changed after the editor looked at them; nothing was written."""

    def __init__(self, stale):
        self.stale = stale  # [(object as stored now, the version the editor saw)]
        super().__init__(f"{len(stale)} row(s) changed meanwhile")


class RevertError(Exception):
    """The old version cannot be brought back as it is (its topic was deleted, its slug is taken …).

    `problems` lists the details, when there are several (what a published guide would be left with).
    """

    def __init__(self, message, problems=()):
        super().__init__(message)
        self.problems = list(problems)


@dataclass
class RevertResult:
    obj: object
    from_version: int


def stamp(obj, user):
    """Who created and who last changed a content row (EditableContent's created_by/updated_by)."""
    if not hasattr(obj, "updated_by_id") or user is None or not getattr(user, "is_authenticated", False):
        return
    obj.updated_by = user
    if obj._state.adding and obj.created_by_id is None:
        obj.created_by = user


def content_save(*, obj, form=None, formsets=(), user=None, reason=None, relations=None):
    """Save `obj` with its many-to-many fields and inline rows: one transaction, one version, one change.

    With `form` (a validated ModelForm whose instance is `obj`) and `formsets` (validated inline
    formsets of `obj`), the form's values, its many-to-many fields and the rows added, changed and
    deleted in the formsets are written. Without a form, `obj` is saved as it is and `relations`
    ({many-to-many field name: objects}) are set. Exactly one history record of `obj` is written,
    after its relations, so it holds them as saved; each changed inline row gets its own record.
    Returns `obj`.
    """
    if form is not None and form.instance is not obj:
        raise ValueError("content_save: the form is not the form of this object")
    model = type(obj)
    if form is None:
        # A form ran the model's checks already; the shipped-content loader and bulk actions did not.
        validate_plain_text(obj)
    adding = obj._state.adding
    old_slug = None
    if form is not None and not adding and "slug" in form.changed_data:
        old_slug = form.initial.get("slug")
    using = router.db_for_write(model)
    with transaction.atomic(using=using), one_change(using=using):
        stamp(obj, user)
        tracked = is_tracked(model)
        if tracked:
            # One save, one version: the record is written below, after the relations and inline rows.
            obj.skip_history_when_saving = True
        try:
            if form is not None:
                form.save(commit=False)  # sets up form.save_m2m(); `obj` holds the cleaned values already
            obj.save()
            if form is not None:
                form.save_m2m()
            for name, items in (relations or {}).items():
                getattr(obj, name).set(items)
            for formset in formsets:
                _save_rows(formset, user=user, reason=reason)
        finally:
            obj.__dict__.pop("skip_history_when_saving", None)
        if tracked:
            record_version(obj, user=user, reason=reason, history_type="+" if adding else "~")
        if old_slug and has_slug_route(model):
            record_slug_change(obj=obj, old_slug=old_slug)
    return obj


def _save_rows(formset, *, user, reason):
    """The rows of one inline formset: deletions, then additions and changes (each its own version)."""
    instances = formset.save(commit=False)
    for row in formset.deleted_objects:
        row.delete()
    changed_slugs = {
        row_form.instance.pk: row_form.initial.get("slug")
        for row_form in formset.initial_forms
        if "slug" in row_form.changed_data
    }
    for row in instances:
        stamp(row, user)
        if reason:
            row._change_reason = reason
        if user is not None and getattr(user, "is_authenticated", False):
            row._history_user = user
        row.save()
        if row.pk in changed_slugs and has_slug_route(type(row)):
            record_slug_change(obj=row, old_slug=changed_slugs[row.pk])
    formset.save_m2m()


def _lock(model, pks):
    return {obj.pk: obj for obj in model._default_manager.select_for_update().filter(pk__in=pks)}


@one_change()
@transaction.atomic
def revert_to_version(*, model, pk, record, seen_version, user, keep_fields=(), validate=None):
    """Make object `pk` hold what historical `record` holds again, as a new version by `user`.

    `keep_fields` stay as they are now (a user who may not publish cannot revert the status).
    `validate(obj)` runs once the reverted object is saved, inside this transaction, for rules that
    span several rows (a published guide must stay sound); a ValidationError from it undoes the revert.
    Raises StaleVersions if the object is no longer at `seen_version`, RevertError if the old
    values are no longer valid.
    """
    current = _lock(model, [pk]).get(pk)
    if current is None:
        raise RevertError(_("This item no longer exists."))
    if current.version != seen_version:
        raise StaleVersions([(current, seen_version)])
    old_slug = getattr(current, "slug", None)
    for model_field in content_fields(model):
        if model_field.name in keep_fields:
            continue
        setattr(current, model_field.attname, getattr(record, model_field.attname))
    try:
        current.full_clean(validate_unique=True)
    except ValidationError as error:
        raise RevertError("; ".join(error.messages)) from error
    relations = {
        m2m_field.name: m2m_field.related_model._default_manager.filter(
            pk__in=m2m_values([record], m2m_field)[record.history_id]
        )
        for m2m_field in history_m2m_fields(model)
    }
    reason = _("Reverted to version %(version)s") % {"version": record.version}
    content_save(obj=current, user=user, reason=reason, relations=relations)
    if validate is not None:
        try:
            validate(current)
        except ValidationError as error:
            # Raised inside the atomic block, so everything written above is rolled back.
            raise RevertError(error.messages[0], problems=error.messages[1:]) from error
    if old_slug and has_slug_route(model) and current.slug != old_slug:
        record_slug_change(obj=current, old_slug=old_slug)
    return RevertResult(obj=current, from_version=record.version)


@one_change()
@transaction.atomic
def change_rows(*, model, seen_versions, user, change, reason):
    """Apply `change(obj)` to every row in `seen_versions` ({pk: version the editor saw}).

    `change` returns False to leave a row alone. All or nothing: if any row is no longer at the
    version the editor saw, StaleVersions is raised and nothing is written.
    """
    rows = _lock(model, list(seen_versions))
    stale = [(obj, seen_versions[pk]) for pk, obj in rows.items() if obj.version != seen_versions[pk]]
    if stale:
        raise StaleVersions(stale)
    changed = []
    for obj in rows.values():
        if change(obj) is False:
            continue
        content_save(obj=obj, user=user, reason=reason)
        changed.append(obj)
    return changed
