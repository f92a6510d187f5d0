from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .page_tags import saw


class EditableContent(models.Model):
    """What every piece of editable content carries: when and by whom it was made and changed.

    `version` counts saves; an edit form carries the version it started from, so a save over a
    colleague's newer version can be refused instead of silently overwriting it.
    """

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Every save of an existing row is a new version (see the class docstring).
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        # The page being rendered shows this row: its stored copy is retired when the row changes
        # (page_tags.py). Cheap when no page is being rendered for the cache.
        instance = super().from_db(db, field_names, values)
        saw(instance)
        return instance

    def clean(self):
        super().clean()
        from .plain_text import validate_plain_text

        validate_plain_text(self)


class PublishableQuerySet(models.QuerySet):
    def published(self, now=None):
        """Published and due: content with a future publish date stays hidden until then."""
        return self.filter(status=Publishable.Status.PUBLISHED, published_at__lte=now or timezone.now())


class Publishable(EditableContent):
    """Content the public sees only once published and due, and that someone checks regularly.

    Publishing in the future needs no scheduler: `published()` filters on the date. The admin lists
    content whose last review is older than SOCSEC_REVIEW_AFTER_MONTHS.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publish date"), null=True, blank=True, help_text=_("Hidden from the public until this time.")
    )
    last_reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    # The publishing steps change the object and leave the saving to the caller, which saves as
    # editorial writes do (`inquiry.editorial.services.change_rows`: versions checked, one history record).

    def publish(self, now=None):
        """Published, from now; a future publish date stays (the item appears then). False if it already was."""
        if self.status == self.Status.PUBLISHED:
            return False
        self.status = self.Status.PUBLISHED
        self.published_at = self.published_at or now or timezone.now()
        return True

    def unpublish(self):
        """Back to draft (the publish date stays, for when it is published again). False if it was a draft."""
        if self.status == self.Status.DRAFT:
            return False
        self.status = self.Status.DRAFT
        return True

    def mark_reviewed(self, user, day=None):
        """Someone checked it is still right: today, or `day`."""
        self.last_reviewed_on = day or timezone.localdate()
        self.reviewed_by = user
        return True


class ShippedRecord(models.Model):
    """What `load_content` last wrote for one shipped object.

    `fingerprint` is a digest of the field values the loader wrote. If the object's values still match
    it, no editor has touched the object and a newer shipped text may replace it; otherwise the
    editor's version wins.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    loaded_at = models.DateTimeField(_("loaded"), auto_now=True)

    class Meta:
        verbose_name = _("shipped content record")
        verbose_name_plural = _("shipped content records")

    def __str__(self):
        return self.key


class SlugRedirect(models.Model):
    """An old slug of a page whose slug changed, pointing at the object that now has another one.

    It points at the object, not at its new slug, so a chain of renames (a → b → c) always lands
    on the current URL in one 301, and a slug given back to its object stops redirecting at once
    (a live URL is never looked up here: only a 404 is).
    """

    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of page"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("object"))
    target = GenericForeignKey("content_type", "object_id")
    old_slug = models.SlugField(_("old slug"), max_length=100)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("redirect from an old address")
        verbose_name_plural = _("redirects from old addresses")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "old_slug"], name="core_slugredirect_unique_old_slug")
        ]

    def __str__(self):
        return f"{self.content_type.model}: {self.old_slug}"
