from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "inquiry.places"
    label = "places"
    verbose_name = _("Places and their local rules")

    def ready(self):
        from inquiry.core.markdown import register_placeholder_text

        from . import resolver
        from .keys import national_wording

        resolver.install()
        guard_local_keys()
        register_placeholder_text(national_wording)

    def load_shipped_content(self, loader):
        from .content_loader import load

        load(loader)


def guard_local_keys():
    """Every text field of every content model refuses `[[local:…]]` naming a key the site does not know,
    so the admin says so on save (the model's own validation, run by every admin form)."""
    from django.apps import apps
    from django.db import models

    from inquiry.core.models import EditableContent

    from .models import validate_local_keys

    for model in apps.get_models():
        if not issubclass(model, EditableContent):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and validate_local_keys not in field.validators:
                field.validators.append(validate_local_keys)
