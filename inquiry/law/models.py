from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inquiry.core.markdown import render_markdown_fields
from inquiry.core.models import EditableContent


class Law(EditableContent):
    slug = models.SlugField(_("slug"), max_length=100, unique=True, help_text=_("Part of the URL. ASCII, stable."))
    title = models.CharField(_("title"), max_length=200)
    short_title = models.CharField(_("short title"), max_length=100, blank=True)
    # Not `version`: that name is the edit counter every content model carries.
    edition = models.CharField(_("version"), max_length=200, blank=True, help_text=_("Amendment or decree and dates."))
    source_url = models.URLField(_("official source"), blank=True)
    source_note = models.TextField(_("about the text"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("law")
        verbose_name_plural = _("laws")

    def __str__(self):
        return self.short_title or self.title

    def get_absolute_url(self):
        return reverse("law:law_detail", kwargs={"law_slug": self.slug})


class Chapter(EditableContent):
    law = models.ForeignKey(Law, verbose_name=_("law"), on_delete=models.CASCADE, related_name="chapters")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["law", "number"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        constraints = [models.UniqueConstraint(fields=["law", "number"], name="law_chapter_unique_number")]

    def __str__(self):
        return self.title


class LawArticleQuerySet(models.QuerySet):
    def with_law(self):
        return self.select_related("law", "chapter")


class LawArticle(EditableContent):
    """One numbered article. The Chinese text is authoritative; English is an unofficial translation."""

    law = models.ForeignKey(Law, verbose_name=_("law"), on_delete=models.CASCADE, related_name="articles")
    chapter = models.ForeignKey(
        Chapter, verbose_name=_("chapter"), null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    number = models.PositiveIntegerField(_("number"))
    label = models.CharField(_("label"), max_length=50, help_text=_("As printed, e.g. 第十四条 / Article 14."))
    text = models.TextField(_("text"), blank=True, help_text=_("The article's text, one paragraph per line."))
    english_is_unofficial = models.BooleanField(
        _("English text is an unofficial translation"),
        default=True,
        help_text=_("Shown as a label next to the English text."),
    )
    summary = models.TextField(
        _("plain-language summary"), blank=True, help_text=_("Written by the editors. Markdown.")
    )
    summary_html = models.TextField(editable=False, blank=True)

    objects = LawArticleQuerySet.as_manager()

    class Meta:
        ordering = ["law", "number"]
        verbose_name = _("law article")
        verbose_name_plural = _("law articles")
        constraints = [models.UniqueConstraint(fields=["law", "number"], name="law_article_unique_number")]

    def __str__(self):
        return f"{self.law} {self.label}"

    def save(self, *args, **kwargs):
        render_markdown_fields(self, ["summary"])
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("law:article_detail", kwargs={"law_slug": self.law.slug, "number": self.number})

    @property
    def citation_key(self):
        return f"{self.law.slug}:{self.number}"

    def paragraphs(self, text=None):
        return [line.strip() for line in (self.text if text is None else text).splitlines() if line.strip()]


class SourceQuerySet(models.QuerySet):
    def carrying(self):
        """Sources strong enough to carry an answer on their own: law and official material ([A]/[B])."""
        return self.filter(strength__in=Source.CARRYING_STRENGTHS)


class Source(EditableContent):
    """Where a fact outside the law texts comes from: an official notice or page, a news report, a third party.

    Strength follows the tags of the research notes: [A] law, [B] official or state media, [C] a third
    party. An answer resting only on [C] material is hedged ("in many places") and sends the reader to
    12333 or the local bureau; the content audit (inquiry.law.checks) holds the site to that.
    """

    class Kind(models.TextChoices):
        LAW = "law", _("law or regulation")
        OFFICIAL_NOTICE = "official_notice", _("official notice")
        OFFICIAL_PAGE = "official_page", _("official service page")
        # An official text read on another website because the official page could not be found: the
        # strength follows the text (a page naming MOHRSS as its source is [B]), the kind says where it sits.
        MIRROR = "mirror", _("copy on another website")
        OTHER = "other", _("news or other page")

    class Strength(models.TextChoices):
        LAW = "A", _("[A] law")
        OFFICIAL = "B", _("[B] official or state media")
        THIRD_PARTY = "C", _("[C] third party")

    CARRYING_STRENGTHS = (Strength.LAW, Strength.OFFICIAL)

    slug = models.SlugField(_("slug"), max_length=100, unique=True, help_text=_("ASCII, stable: content cites it."))
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    strength = models.CharField(_("strength"), max_length=1, choices=Strength.choices, default=Strength.THIRD_PARTY)
    seen_on = models.DateField(_("seen on"), null=True, blank=True, help_text=_("When an editor last read it."))

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["strength", "slug"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return f"{self.title} ({self.publisher})" if self.publisher else self.title
