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
