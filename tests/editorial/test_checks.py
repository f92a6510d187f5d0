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


def test_an_inline_with_a_formset_of_its_own_keeps_the_version_check():
    """The guide's answers have a formset with a graph check; the rows' version check runs as well."""
    from django.forms.models import BaseInlineFormSet

    from inquiry.cards.models import Procedure, ProcedureStep
    from inquiry.editorial.admin import EditorialInlineMixin
    from inquiry.editorial.forms import VersionCheckedInlineFormSet
    from inquiry.guide.admin import ChoiceFormSet, ChoiceInline
    from inquiry.guide.models import Question

    class OwnFormSet(BaseInlineFormSet):
        pass

    class StepInline(EditorialInlineMixin, admin.TabularInline):
        model = ProcedureStep
        formset = OwnFormSet

    formset = StepInline(Procedure, admin.site).formset
    assert issubclass(formset, VersionCheckedInlineFormSet) and issubclass(formset, OwnFormSet)
    assert ChoiceInline(Question, admin.site).formset is ChoiceFormSet
    assert issubclass(ChoiceFormSet, VersionCheckedInlineFormSet)
