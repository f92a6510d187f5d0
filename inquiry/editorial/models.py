"""Proposals: an Editor's change to live content, kept until a Publisher approves it (see proposals.py)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

APPROVE_PERMISSION = "editorial.approve_proposal"


class Proposal(models.Model):
    """An Editor's validated change to a live object, not applied: the cleaned values of the edit form and
    of its changed inline rows, as JSON (the shape is in `inquiry/editorial/proposals.py`)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of content"), on_delete=models.CASCADE)
    object_id = models.CharField(
        _("object id"), max_length=64, null=True, blank=True, help_text=_("Empty for a new object.")
    )
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("proposed form data"), default=dict)
    base_version = models.PositiveIntegerField(_("version it started from"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="editorial_proposals",
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_proposal", _("Can approve or reject changes proposed to live content"))]

    def __str__(self):
        kind = self.content_type.model_class()
        kind_name = kind._meta.verbose_name if kind is not None else self.content_type.model
        if self.object_id is None:
            return _("New %(kind)s “%(object)s” (#%(id)s)") % {
                "kind": kind_name,
                "object": self.object_repr,
                "id": self.pk,
            }
        return _("Change to %(kind)s “%(object)s” (#%(id)s)") % {
            "kind": kind_name,
            "object": self.object_repr,
            "id": self.pk,
        }

    @property
    def target_model(self):
        return self.content_type.model_class()

    def target(self):
        """The object as it is now (None for a new object, or if it was deleted since)."""
        model = self.target_model
        if model is None or self.object_id is None:
            return None
        return model._default_manager.filter(pk=self.object_id).first()
