"""The index follows every save and delete of indexed content, wherever it comes from (the admin,
load_content, import_law, the shell).

These receivers only hand over to `services`. They are signals because the arrows point one way:
search depends on the content apps, so the content apps cannot call search, and the admin saves
models directly. A receiver runs in the saving code's transaction (the admin, load_content and
import_law all write inside one), so the content and its documents commit or roll back together.
Bulk writes (QuerySet.update, bulk_create) send no signals: run `manage.py rebuild_search_index`
after them.
"""

from django.db.models.signals import post_delete, post_save

from . import services
from .providers import all_providers, dependents_of, providers_for_model


def _object_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the fixture's own documents, if any, are loaded as they are
        return
    for provider in providers_for_model(sender):
        services.index_object(provider=provider, object_id=instance.pk)


def _object_deleted(sender, instance, **kwargs):
    for provider in providers_for_model(sender):
        services.remove_object(provider=provider, object_id=instance.pk)


def _dependency_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    for provider, affected in dependents_of(sender):
        services.index_objects(provider=provider, object_ids=affected(instance).values_list("pk", flat=True))


def connect_index_updates():
    models = {provider.model for provider in all_providers()}
    dependencies = {model for provider in all_providers() for model in provider.depends_on}
    for model in models:
        uid = f"search:{model._meta.label}"
        post_save.connect(_object_saved, sender=model, dispatch_uid=f"{uid}:saved")
        post_delete.connect(_object_deleted, sender=model, dispatch_uid=f"{uid}:deleted")
    for model in dependencies:
        uid = f"search:{model._meta.label}:dependency"
        post_save.connect(_dependency_changed, sender=model, dispatch_uid=uid)
        # Deleting one (a guide's answer, say) changes the documents that read it just as much.
        post_delete.connect(_dependency_changed, sender=model, dispatch_uid=f"{uid}:deleted")
