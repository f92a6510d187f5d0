"""Editorial writes: revert to an earlier version, and changes to many rows at once (bulk actions).

Both check the versions the editor saw, inside the transaction that writes, and write nothing if
any row moved on meanwhile.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from inquiry.core.redirects import has_slug_route, record_slug_change

from .history import content_fields, history_m2m_fields, m2m_values, record_version


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


def _lock(model, pks):
    return {obj.pk: obj for obj in model._default_manager.select_for_update().filter(pk__in=pks)}


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
    current.updated_by = user
    current.skip_history_when_saving = True
    try:
        current.save()
        for m2m_field in history_m2m_fields(model):
            ids = m2m_values([record], m2m_field)[record.history_id]
            target = m2m_field.related_model
            getattr(current, m2m_field.name).set(target._default_manager.filter(pk__in=ids))
    finally:
        del current.skip_history_when_saving
    if validate is not None:
        try:
            validate(current)
        except ValidationError as error:
            # Raised inside the atomic block, so everything written above is rolled back.
            raise RevertError(error.messages[0], problems=error.messages[1:]) from error
    record_version(current, user=user, reason=_("Reverted to version %(version)s") % {"version": record.version})
    if old_slug and has_slug_route(model) and current.slug != old_slug:
        record_slug_change(obj=current, old_slug=old_slug)
    return RevertResult(obj=current, from_version=record.version)


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
        obj.updated_by = user
        obj._change_reason = reason
        obj._history_user = user
        obj.save()
        changed.append(obj)
    return changed
