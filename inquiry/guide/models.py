"""Guided inquiries: a flow of questions whose choices lead to further questions or to outcomes.

Flows are data, edited in the admin. The graph they form is checked (`checks.py`) before a flow can be
published, and walked by the pure functions in `engine.py`.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from inquiry.cards.models import AccountState, Procedure
from inquiry.core.markdown import render_markdown_fields
from inquiry.core.models import EditableContent, Publishable
from inquiry.faq.models import Article
from inquiry.law.models import LawArticle, Source

# "result" is the path segment of outcome pages (guide/<flow>/result/<outcome>/), so no question may use it.
RESERVED_QUESTION_SLUGS = frozenset({"result"})


def validate_question_slug(value):
    if value in RESERVED_QUESTION_SLUGS:
        raise ValidationError(_("“%(slug)s” is reserved. Choose another slug."), params={"slug": value})


class Flow(Publishable):
    """A guided inquiry: a start page and questions, one per page, that lead to an outcome."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True, help_text=_("Part of the URL. ASCII, stable."))
    title = models.CharField(_("title"), max_length=200, help_text=_("The question the flow answers."))
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("One sentence for the list of guides.")
    )
    intro = models.TextField(_("start page text"), blank=True, help_text=_("What the guide covers. Markdown."))
    intro_html = models.TextField(editable=False, blank=True)
    first_question = models.ForeignKey(
        "Question",
        verbose_name=_("first question"),
        null=True,
        blank=True,
        # A flow's start cannot be deleted from under it; deleting the whole flow still works.
        on_delete=models.RESTRICT,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("guided inquiry")
        verbose_name_plural = _("guided inquiries")
        # Editors draft and preview a guide (and its questions, answers and outcomes); only a Publisher
        # (or a superuser) makes it public.
        permissions = [("publish_flow", _("Can publish and unpublish guided inquiries"))]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="guide_flow_published_has_date",
                violation_error_message=_("A published guide needs a publish date."),
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        render_markdown_fields(self, ["intro"])
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("guide:start", kwargs={"flow_slug": self.slug})


class Question(EditableContent):
    flow = models.ForeignKey(Flow, verbose_name=_("guided inquiry"), on_delete=models.CASCADE, related_name="questions")
    slug = models.SlugField(
        _("slug"),
        max_length=60,
        validators=[validate_slug, validate_question_slug],
        help_text=_("Part of the URL and of the answers in it. ASCII; keep it stable once published."),
    )
    prompt = models.CharField(_("question"), max_length=200, help_text=_("Shown as the page heading."))
    hint = models.CharField(_("hint"), max_length=300, blank=True, help_text=_("A short help line under the question."))
    why_we_ask = models.TextField(_("why we ask this"), blank=True, help_text=_("Optional. Plain text."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["flow_id", "order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["flow", "slug"], name="guide_question_unique_slug")]

    def __str__(self):
        return self.prompt

    def get_absolute_url(self):
        return reverse("guide:question", kwargs={"flow_slug": self.flow.slug, "question_slug": self.slug})


class Outcome(EditableContent):
    """Where a path of answers ends: what happened, the account state, the steps to take, the law."""

    # Listed on the pages of the law articles it cites (inquiry.law.citations), in published guides only.
    citing_label = _("Guided answers")
    citing_order = 20

    flow = models.ForeignKey(Flow, verbose_name=_("guided inquiry"), on_delete=models.CASCADE, related_name="outcomes")
    slug = models.SlugField(_("slug"), max_length=100, help_text=_("Part of the URL. ASCII, stable."))
    heading = models.CharField(_("heading"), max_length=200, help_text=_("What happened, in one sentence."))
    what_happened = models.TextField(_("what happened"), help_text=_("Plain words, the answer first. Markdown."))
    what_happened_html = models.TextField(editable=False, blank=True)
    account_state = models.ForeignKey(
        AccountState,
        verbose_name=_("account state"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The state of the account this outcome is about."),
    )
    procedures = models.ManyToManyField(
        Procedure,
        verbose_name=_("procedures"),
        through="OutcomeProcedure",
        blank=True,
        related_name="+",
    )
    citations = models.ManyToManyField(
        LawArticle, verbose_name=_("legal basis"), blank=True, related_name="guide_outcomes"
    )
    faq_articles = models.ManyToManyField(
        Article, verbose_name=_("related questions"), blank=True, related_name="guide_outcomes"
    )
    sources = models.ManyToManyField(
        Source,
        verbose_name=_("sources"),
        blank=True,
        related_name="guide_outcomes",
        help_text=_("Official notices, pages and reports the answer rests on, besides the law."),
    )

    class Meta:
        ordering = ["flow_id", "id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [models.UniqueConstraint(fields=["flow", "slug"], name="guide_outcome_unique_slug")]

    def __str__(self):
        return self.heading

    def save(self, *args, **kwargs):
        render_markdown_fields(self, ["what_happened"])
        super().save(*args, **kwargs)

    @classmethod
    def public_citing(cls):
        """The outcomes a visitor can reach: those of published guides (inquiry.law.citations)."""
        return (
            cls.objects.filter(flow__in=Flow.objects.published())
            .select_related("flow")
            .only("id", "slug", "heading_zh_hans", "heading_en", "flow__id", "flow__slug")
        )

    def get_absolute_url(self):
        # Without answers: the outcome page sends the visitor on to the shortest set of answers that
        # leads here, worked out from the flow as it is now (nothing derived is stored).
        return reverse("guide:outcome", kwargs={"flow_slug": self.flow.slug, "outcome_slug": self.slug})


class OutcomeProcedure(EditableContent):
    """A procedure to follow for an outcome, in the order the visitor should follow them.

    Content in its own right (edited as rows of the outcome's page): each row has its version, so two
    editors reordering the same outcome's procedures cannot overwrite each other, and its history.
    """

    outcome = models.ForeignKey(
        Outcome, verbose_name=_("outcome"), on_delete=models.CASCADE, related_name="procedure_links"
    )
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["outcome_id", "order", "id"]
        verbose_name = _("procedure to follow")
        verbose_name_plural = _("procedures to follow")
        constraints = [models.UniqueConstraint(fields=["outcome", "procedure"], name="guide_outcome_procedure_unique")]

    def __str__(self):
        return str(self.procedure)


class Choice(EditableContent):
    """One answer to a question. It leads to exactly one next question or one outcome of the same flow."""

    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices")
    slug = models.SlugField(
        _("slug"), max_length=60, help_text=_("The answer's value in the URL. ASCII; keep it stable once published.")
    )
    label = models.CharField(_("answer"), max_length=200)
    hint = models.CharField(_("hint"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # RESTRICT: a question or outcome that a choice leads to cannot be deleted on its own, but deleting
    # the whole flow (which removes the choice too) still works.
    next_question = models.ForeignKey(
        Question,
        verbose_name=_("leads to question"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="choices_leading_here",
    )
    outcome = models.ForeignKey(
        Outcome,
        verbose_name=_("leads to outcome"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="choices_leading_here",
    )

    class Meta:
        ordering = ["question_id", "order", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["question", "slug"], name="guide_choice_unique_slug"),
            models.CheckConstraint(
                condition=(
                    models.Q(next_question__isnull=False, outcome__isnull=True)
                    | models.Q(next_question__isnull=True, outcome__isnull=False)
                ),
                name="guide_choice_leads_to_one",
                violation_error_message=_("An answer leads to exactly one thing: a next question or an outcome."),
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        try:
            flow_id = self.question.flow_id
        except Question.DoesNotExist:
            flow_id = None
        targets = [t for t in (self.next_question, self.outcome) if t is not None]
        if flow_id is not None and any(target.flow_id != flow_id for target in targets):
            raise ValidationError(_("An answer can only lead to a question or outcome of the same guide."))
        if self.next_question_id is not None and self.next_question_id == self.question_id:
            raise ValidationError({"next_question": _("An answer cannot lead back to its own question.")})
