from django.db import transaction

from .models import Feedback


@transaction.atomic
def record_feedback(*, page_kind, object_id, language, helpful, comment="") -> Feedback:
    """Store one anonymous answer. Nothing about who gave it is passed in, so nothing can be stored."""
    return Feedback.objects.create(
        page_kind=page_kind, object_id=object_id, language=language, helpful=helpful, comment=comment
    )
