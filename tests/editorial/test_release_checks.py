"""The release check (`manage.py check --database default`) lists pending proposals that name fields,
inline rows or models the release no longer has: approving them would be refused."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import checks

from inquiry.cards.models import Procedure
from inquiry.editorial.models import Proposal
from inquiry.faq.models import Article

pytestmark = pytest.mark.django_db


def proposal_warnings():
    return [
        message.msg
        for message in checks.run_checks(tags=[checks.Tags.database], databases=["default"])
        if message.id == "editorial.W005"
    ]


def propose(editor, model, data, status=Proposal.Status.PENDING, content_type=None):
    return Proposal.objects.create(
        content_type=content_type or ContentType.objects.get_for_model(model),
        object_id="1",
        object_repr="Some page",
        data=data,
        proposed_by=editor,
        status=status,
    )


def test_proposals_whose_fields_exist_are_not_listed(editor):
    propose(editor, Article, {"format": 2, "fields": {"title_en": "A", "short_answer_zh_hans": "答", "citations": []}})
    propose(
        editor,
        Procedure,
        {"format": 2, "fields": {"title_en": "B"}, "inlines": {"steps": [{"id": None, "fields": {"title_en": "C"}}]}},
    )
    assert proposal_warnings() == []


def test_a_pending_proposal_naming_a_removed_field_row_or_model_is_listed(editor):
    gone_field = propose(editor, Article, {"format": 2, "fields": {"title_en": "A", "old_summary_en": "x"}})
    gone_rows = propose(
        editor,
        Procedure,
        {
            "format": 2,
            "fields": {},
            "inlines": {"steps": [{"id": 3, "fields": {"old_hint": "y"}}], "old_rows": [{"id": None, "fields": {}}]},
        },
    )
    removed_model = ContentType.objects.create(app_label="faq", model="notice")
    gone_model = propose(editor, None, {"format": 2, "fields": {}}, content_type=removed_model)
    # Decided proposals are history: never listed.
    propose(editor, Article, {"format": 2, "fields": {"old_summary_en": "x"}}, status=Proposal.Status.REJECTED)

    warnings = proposal_warnings()
    assert len(warnings) == 3
    assert f"Pending proposal #{gone_field.pk} (Some page) names what no longer exists: old_summary_en." in warnings
    assert f"#{gone_rows.pk} (Some page) names what no longer exists: steps.old_hint, the rows old_rows." in " ".join(
        warnings
    )
    assert f"#{gone_model.pk} (Some page) names what no longer exists: the model faq.notice." in " ".join(warnings)
