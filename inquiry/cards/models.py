from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inquiry.core.markdown import render_markdown_fields
from inquiry.core.models import EditableContent
from inquiry.law.models import LawArticle, Source


class Procedure(EditableContent):
    """Something a cardholder does, as ordered steps: where to go, what to bring, what happens."""

    # Listed on the pages of the law articles it cites (inquiry.law.citations): the procedure, not its steps.
    citing_label = _("Step-by-step procedures")
    citing_order = 30

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, help_text=_("What this does and when. Markdown."))
    summary_html = models.TextField(editable=False, blank=True)
    citations = models.ManyToManyField(LawArticle, verbose_name=_("legal basis"), blank=True, related_name="procedures")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        render_markdown_fields(self, ["summary"])
        super().save(*args, **kwargs)

    @classmethod
    def public_citing(cls):
        """Every procedure has a public page (inquiry.law.citations)."""
        return cls.objects.only("id", "slug", "title_zh_hans", "title_en")

    def get_absolute_url(self):
        return reverse("cards:procedure_detail", kwargs={"slug": self.slug})


class ProcedureStep(EditableContent):
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("what to do"), max_length=200)
    where = models.TextField(_("where to go"), blank=True)
    bring = models.TextField(_("what to bring"), blank=True, help_text=_("Markdown; a list works well."))
    bring_html = models.TextField(editable=False, blank=True)
    outcome = models.TextField(_("what happens"), blank=True)
    sources = models.ManyToManyField(
        Source,
        verbose_name=_("sources"),
        blank=True,
        related_name="procedure_steps",
        help_text=_("Official notices, pages and reports the answer rests on, besides the law."),
    )

    class Meta:
        ordering = ["procedure", "order", "id"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        render_markdown_fields(self, ["bring"])
        super().save(*args, **kwargs)


class Account(EditableContent):
    """One of the card's two accounts."""

    class Kind(models.TextChoices):
        SOCIAL_SECURITY = "social_security", _("social security account")
        FINANCIAL = "financial", _("financial (bank) account")

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    description_html = models.TextField(editable=False, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        render_markdown_fields(self, ["description"])
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cards:card") + f"#{self.slug}"


class AccountState(EditableContent):
    """A state an account can be in, what the holder sees then, and what they can do."""

    account = models.ForeignKey(Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="states")
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=200)
    what_you_see = models.TextField(_("what the holder sees"), blank=True, help_text=_("Markdown."))
    what_you_see_html = models.TextField(editable=False, blank=True)
    what_you_can_do = models.TextField(_("what the holder can do"), blank=True, help_text=_("Markdown."))
    what_you_can_do_html = models.TextField(editable=False, blank=True)
    is_initial = models.BooleanField(_("starting state"), default=False)
    sources = models.ManyToManyField(
        Source,
        verbose_name=_("sources"),
        blank=True,
        related_name="account_states",
        help_text=_("Official notices, pages and reports the answer rests on, besides the law."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["account", "order", "id"]
        verbose_name = _("account state")
        verbose_name_plural = _("account states")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        render_markdown_fields(self, ["what_you_see", "what_you_can_do"])
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cards:card") + f"#state-{self.slug}"


class StateTransition(EditableContent):
    """A way from one state to another, and the procedure that takes the holder there."""

    source = models.ForeignKey(
        AccountState, verbose_name=_("from"), on_delete=models.CASCADE, related_name="transitions_out"
    )
    target = models.ForeignKey(
        AccountState, verbose_name=_("to"), on_delete=models.CASCADE, related_name="transitions_in"
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    label = models.CharField(_("label"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["source", "order", "id"]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="cards_transition_unique"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="cards_transition_not_loop"),
        ]

    def __str__(self):
        return f"{self.source} → {self.target}"
