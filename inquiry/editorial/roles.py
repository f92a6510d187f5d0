"""The two editorial roles, as Django groups. Superusers do everything else (users, groups, settings).

- Editor: add, change and view every content model, preview drafts, see history and revert;
  delete only the rows edited inline on another page (a step, a chapter, a state change).
  Cannot publish, unpublish or change a publish date.
- Publisher: everything an Editor can, and publish (each publishable model's `publish_<model>`).

`grant_editorial_permissions` is called from data migrations: the one here for the content apps
that exist now, and one more in each app that brings content models later (the guide).
"""

EDITOR = "Editor"
PUBLISHER = "Publisher"


def grant_editorial_permissions(apps, *, app_label, models, inline_models=(), publish_codenames=()):
    """Give both groups their permissions on `models` of `app_label` (model names, lower case).

    `inline_models` may also be deleted (they are edited as rows of another page);
    `publish_codenames` (e.g. "publish_article") go to Publishers only.
    """
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; a data migration needs them now.
    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name=EDITOR)
    publisher, _ = Group.objects.get_or_create(name=PUBLISHER)

    codenames = [f"{action}_{model}" for model in models for action in ("add", "change", "view")]
    codenames += [f"delete_{model}" for model in inline_models]
    editing = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
    missing = set(codenames) - {permission.codename for permission in editing}
    publishing = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=publish_codenames))
    missing |= set(publish_codenames) - {permission.codename for permission in publishing}
    if missing:
        raise RuntimeError(f"permissions not found in {app_label}: {sorted(missing)}")
    editor.permissions.add(*editing)
    publisher.permissions.add(*editing, *publishing)


def publish_permission(model):
    """'app_label.publish_<model>': the permission to publish `model`."""
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"
