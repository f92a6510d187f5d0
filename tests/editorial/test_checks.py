"""A content model registered without the editorial tools is a system-check error (guards new apps)."""

from django.contrib import admin

from inquiry.editorial.checks import content_models_use_editorial_admin
from inquiry.faq.models import Topic


def test_the_shipped_admins_pass():
    assert content_models_use_editorial_admin(None) == []


def test_a_plain_model_admin_for_content_is_reported():
    original = admin.site._registry[Topic]
    admin.site.unregister(Topic)
    try:
        admin.site.register(Topic, admin.ModelAdmin)
        ids = [error.id for error in content_models_use_editorial_admin(None)]
    finally:
        admin.site.unregister(Topic)
        admin.site._registry[Topic] = original
    assert ids == ["editorial.E001"]
