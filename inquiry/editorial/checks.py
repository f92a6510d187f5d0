"""System checks that catch a content model left out of the editorial tools (e.g. a new app's models)."""

from django.contrib import admin
from django.core import checks

from inquiry.core.models import EditableContent

from .history import is_tracked


@checks.register(checks.Tags.admin)
def content_models_use_editorial_admin(app_configs, **kwargs):
    from .admin import EditorialAdmin, EditorialInlineMixin

    errors = []
    for model, model_admin in admin.site._registry.items():
        if not issubclass(model, EditableContent):
            continue
        if not isinstance(model_admin, EditorialAdmin):
            errors.append(
                checks.Error(
                    f"{model._meta.label} is content but its admin is not an EditorialAdmin.",
                    hint="Subclass inquiry.editorial.admin.EditorialAdmin (history, version checks, preview).",
                    obj=type(model_admin),
                    id="editorial.E001",
                )
            )
        if not is_tracked(model):
            errors.append(
                checks.Error(
                    f"{model._meta.label} keeps no history.",
                    hint="Call inquiry.editorial.history.track_history() at the end of the app's translation.py.",
                    obj=model,
                    id="editorial.E002",
                )
            )
        for inline in model_admin.inlines:
            if issubclass(inline.model, EditableContent) and not issubclass(inline, EditorialInlineMixin):
                errors.append(
                    checks.Error(
                        f"The inline {inline.__name__} edits content without version checks.",
                        hint="Add inquiry.editorial.admin.EditorialInlineMixin to its bases.",
                        obj=inline,
                        id="editorial.E003",
                    )
                )
    return errors


@checks.register(checks.Tags.database)
def editable_models_reach_the_editors(app_configs, databases=None, **kwargs):
    """Every content model's add, change and view permissions are in both editorial groups.

    A new content model's app must grant them in a data migration (`roles.grant_editorial_permissions`);
    without it the model exists in the admin for superusers only, and nobody notices. A database check:
    it runs with `manage.py check --database default` (CI, the release's step 3), and only on a database
    whose migrations are all applied (`migrate` runs database checks before it applies anything).
    """
    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.db import DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    from .roles import EDITOR, PUBLISHER

    errors = []
    for alias in databases or ():
        try:
            executor = MigrationExecutor(connections[alias])
            if executor.migration_plan(executor.loader.graph.leaf_nodes()):
                continue  # not migrated yet: the grants are in the migrations still to run
            granted = {
                name: set(
                    Permission.objects.using(alias)
                    .filter(group__name=name)
                    .values_list("content_type__app_label", "codename")
                )
                for name in (EDITOR, PUBLISHER)
            }
        except DatabaseError:
            continue  # no database to look at: nothing to say about it
        for model in apps.get_models():
            if not issubclass(model, EditableContent) or model._meta.abstract:
                continue
            needed = {
                (model._meta.app_label, f"{action}_{model._meta.model_name}") for action in ("add", "change", "view")
            }
            for name, permissions in granted.items():
                missing = sorted(codename for _app, codename in needed - permissions)
                if missing:
                    errors.append(
                        checks.Error(
                            f"The {name} group cannot edit {model._meta.label}: it lacks {', '.join(missing)}.",
                            hint="Grant them in a data migration of the model's app with "
                            "inquiry.editorial.roles.grant_editorial_permissions (see docs/architecture.md).",
                            obj=model,
                            id="editorial.E004",
                        )
                    )
    return errors


@checks.register(checks.Tags.database)
def pending_proposals_match_their_models(app_configs, databases=None, **kwargs):
    """Pending proposals whose stored fields (or inline rows, or model) the release no longer has.

    A proposal keeps an edit form's values by field name; a release that renames or removes a field
    leaves such a proposal unusable (approving it is refused). Listed by `manage.py check --database
    default` (the release's step 3), so the Publisher can reject them and the Editors redo the change.
    """
    from django.core.exceptions import FieldDoesNotExist
    from django.db import DatabaseError

    from .models import Proposal

    warnings = []
    for alias in databases or ():
        try:
            pending = list(
                Proposal.objects.using(alias).filter(status=Proposal.Status.PENDING).select_related("content_type")
            )
        except DatabaseError:
            continue  # no table yet (before migrate) or no database
        for proposal in pending:
            model = proposal.content_type.model_class()
            if model is None:
                gone = [f"the model {proposal.content_type.app_label}.{proposal.content_type.model}"]
            else:
                gone = _missing_proposal_fields(model, proposal.data or {}, FieldDoesNotExist)
            if gone:
                warnings.append(
                    checks.Warning(
                        f"Pending proposal #{proposal.pk} ({proposal.object_repr or '-'}) names what no longer "
                        f"exists: {', '.join(gone)}.",
                        hint="A Publisher rejects it in the admin (Proposed changes); the Editor redoes the change.",
                        obj=Proposal,
                        id="editorial.W005",
                    )
                )
    return warnings


def _missing_proposal_fields(model, data, missing_error):
    def absent(in_model, names):
        found = []
        for name in names:
            try:
                in_model._meta.get_field(name)
            except missing_error:
                found.append(name)
        return found

    gone = absent(model, (data.get("fields") or {}).keys())
    # Inline rows are stored under their formset's prefix: the reverse accessor of the row's model.
    related = {relation.get_accessor_name(): relation.related_model for relation in model._meta.related_objects}
    for prefix, rows in (data.get("inlines") or {}).items():
        row_model = related.get(prefix.rsplit("-", 1)[0] if prefix not in related else prefix)
        if row_model is None:
            gone.append(f"the rows {prefix}")
            continue
        names = {name for row in rows for name in (row.get("fields") or {})}
        gone += [f"{prefix}.{name}" for name in sorted(absent(row_model, names))]
    return gone
