from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inquiry.cards.models import AccountState, Procedure
from inquiry.core.markdown import render_markdown_fields
from inquiry.core.models import EditableContent, Publishable
from inquiry.law.models import LawArticle, Source


class Topic(EditableContent):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.CharField(_("description"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("faq:topic_detail", kwargs={"slug": self.slug})


class Article(Publishable):
    """A question and its answer: the short answer first, then the detail and the law behind it."""

    # Listed on the pages of the law articles it cites (inquiry.law.citations).
    citing_label = _("Questions and answers")
    citing_order = 10

    slug = models.SlugField(_("slug"), max_length=100, unique=True, help_text=_("Part of the URL. ASCII."))
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="articles")
    title = models.CharField(_("question"), max_length=200, help_text=_("As a person would ask it."))
    short_answer = models.TextField(_("short answer"), help_text=_("The answer first, in one to three sentences."))
    body = models.TextField(_("detail"), blank=True, help_text=_("Markdown."))
    body_html = models.TextField(editable=False, blank=True)
    also_asked = models.TextField(
        _("also asked as"),
        blank=True,
        help_text=_(
            "Other ways people ask this question, one per line, in their own words. Search finds the "
            "article by them as it does by its question; they are not shown on the page."
        ),
    )
    citations = models.ManyToManyField(
        LawArticle, verbose_name=_("legal basis"), blank=True, related_name="faq_articles"
    )
    sources = models.ManyToManyField(
        Source,
        verbose_name=_("sources"),
        blank=True,
        related_name="faq_articles",
        help_text=_("Official notices, pages and reports the answer rests on, besides the law."),
    )
    procedures = models.ManyToManyField(Procedure, verbose_name=_("procedures"), blank=True, related_name="+")
    states = models.ManyToManyField(AccountState, verbose_name=_("account states"), blank=True, related_name="+")
    related = models.ManyToManyField(
        "self", verbose_name=_("related questions"), blank=True, symmetrical=False, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["topic__order", "order", "id"]
        verbose_name = _("FAQ article")
        verbose_name_plural = _("FAQ articles")
        # Editors write and preview; only a Publisher (or a superuser) makes an article public.
        permissions = [("publish_article", _("Can publish and unpublish FAQ articles"))]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="faq_article_published_has_date",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        render_markdown_fields(self, ["body"])
        super().save(*args, **kwargs)

    @classmethod
    def public_citing(cls):
        """The published articles (inquiry.law.citations)."""
        return cls.objects.published().only("id", "slug", "title_zh_hans", "title_en")

    def get_absolute_url(self):
        return reverse("faq:article_detail", kwargs={"slug": self.slug})
