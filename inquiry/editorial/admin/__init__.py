"""The editorial admin: base classes for every content model's admin, and the proposals' pages.

- `EditorialAdmin` (base.py): history, compare and revert (history.py), Markdown preview (preview.py),
  version-checked forms and bulk actions; every save is `services.content_save`.
- `EditorialInlineMixin`, `ChildAdminMixin` (inlines.py): inline rows with their versions and history.
- `PublishingAdminMixin` (publishing.py): draft / published, publish actions for Publishers, review.
- `ProposalAdmin` (proposals.py): an Editor's change to live content, approved or rejected by a Publisher.
"""

from django.contrib import admin

from ..models import Proposal
from .base import EditorialAdmin, has_field, has_version, is_proposer
from .inlines import ChildAdminMixin, EditorialInlineMixin
from .pages import admin_page
from .proposals import ProposalAdmin
from .publishing import PublishingAdminMixin, ReviewDueFilter, months_before, review_cutoff

__all__ = [
    "ChildAdminMixin",
    "EditorialAdmin",
    "EditorialInlineMixin",
    "ProposalAdmin",
    "PublishingAdminMixin",
    "ReviewDueFilter",
    "admin_page",
    "has_field",
    "has_version",
    "is_proposer",
    "months_before",
    "review_cutoff",
]

admin.site.register(Proposal, ProposalAdmin)
