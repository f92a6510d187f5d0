from django.db import models
from django.utils.translation import gettext_lazy as _

COMMENT_MAX_LENGTH = 2000


class Feedback(models.Model):
    """One answer to "Was this page helpful?". Deliberately anonymous: no name, no e-mail, no address,
    no cookie, nothing that links two answers to one person. The page is named by kind, id and
    language (see `targets.py`), so any kind of page can ask."""

    page_kind = models.CharField(_("kind of page"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("page id"))
    language = models.CharField(_("language"), max_length=10)
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("feedback answer")
        verbose_name_plural = _("feedback answers")
        indexes = [
            models.Index(fields=["page_kind", "object_id"], name="feedback_page"),
            models.Index(fields=["created_at"], name="feedback_created_at"),
        ]

    def __str__(self):
        return f"{self.page_kind}:{self.object_id} {'yes' if self.helpful else 'no'}"
