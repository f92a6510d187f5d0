"""Building flows for tests: as plain graphs for the engine, and as database rows for pages."""

from django.utils import timezone

from inquiry.guide.engine import ChoiceNode, FlowGraph, QuestionNode
from inquiry.guide.models import Choice, Flow, Outcome, Question

MAIN = "what-happened-to-my-money"
SECOND = "can-i-take-money-out"
THIRD = "my-card-does-not-work"
FOURTH = "someone-contacted-me"


def graph(first, questions, outcomes, slug="test-flow"):
    """`questions`: {question: [(choice, target)]}, a target being a question slug or "@outcome"."""
    return FlowGraph(
        slug=slug,
        first_question=first,
        questions=[
            QuestionNode(
                question,
                [
                    ChoiceNode(choice, outcome=target[1:])
                    if target.startswith("@")
                    else ChoiceNode(choice, next_question=target)
                    for choice, target in choices
                ],
            )
            for question, choices in questions.items()
        ],
        outcomes=outcomes,
    )


def make_flow(slug, questions, outcomes, first, *, published=True, title=None):
    """The same spec as `graph`, written to the database (bypassing the admin's checks on purpose)."""
    flow = Flow.objects.create(
        slug=slug,
        title_zh_hans=title or f"测试向导 {slug}",
        title_en=title or f"Test guide {slug}",
        intro_zh_hans="介绍。",
        intro_en="Introduction.",
    )
    outcome_rows = {
        name: Outcome.objects.create(
            flow=flow,
            slug=name,
            heading_zh_hans=f"结果 {name}",
            heading_en=f"Outcome {name}",
            what_happened_zh_hans="发生了什么。",
            what_happened_en="What happened.",
        )
        for name in outcomes
    }
    question_rows = {
        name: Question.objects.create(
            flow=flow, slug=name, prompt_zh_hans=f"问题 {name}？", prompt_en=f"Question {name}?", order=index
        )
        for index, name in enumerate(questions)
    }
    # bulk_create skips save(), which only bumps `version`: fine for rows made once.
    Choice.objects.bulk_create(
        Choice(
            question=question_rows[name],
            slug=choice,
            label_zh_hans=f"选项 {choice}",
            label_en=f"Answer {choice}",
            order=index,
            next_question=None if target.startswith("@") else question_rows[target],
            outcome=outcome_rows[target[1:]] if target.startswith("@") else None,
        )
        for name, choices in questions.items()
        for index, (choice, target) in enumerate(choices)
    )
    flow.first_question = question_rows.get(first)
    if published:
        flow.status = Flow.Status.PUBLISHED
        flow.published_at = timezone.now() - timezone.timedelta(minutes=1)
    flow.save()
    return flow


# Every path through the shipped flows and the outcome it must reach.
EXPECTED_PATHS = {
    MAIN: {
        (("money-source", "deposited-myself"), ("activated", "yes"), ("where-you-look", "bank")): "active-not-showing",
        (
            ("money-source", "deposited-myself"),
            ("activated", "yes"),
            ("where-you-look", "social-insurance"),
        ): "check-at-the-bank",
        (
            ("money-source", "deposited-myself"),
            ("activated", "yes"),
            ("where-you-look", "not-sure"),
        ): "check-at-the-bank",
        (("money-source", "deposited-myself"), ("activated", "no")): "deposit-not-activated",
        (("money-source", "deposited-myself"), ("activated", "not-sure")): "check-activation",
        (("money-source", "paid-by-employer"), ("which-insurance", "pension")): "pension-individual-account",
        (("money-source", "paid-by-employer"), ("which-insurance", "medical")): "medical-individual-account",
        (("money-source", "paid-by-employer"), ("which-insurance", "not-sure")): "check-contribution-records",
        (
            ("money-source", "payment-not-arrived"),
            ("payment-account-activated", "yes"),
            ("payment-kind", "pension"),
        ): "pension-not-arrived",
        (
            ("money-source", "payment-not-arrived"),
            ("payment-account-activated", "yes"),
            ("payment-kind", "benefit"),
        ): "benefit-not-arrived",
        (
            ("money-source", "payment-not-arrived"),
            ("payment-account-activated", "yes"),
            ("payment-kind", "not-sure"),
        ): "benefit-not-arrived",
        (("money-source", "payment-not-arrived"), ("payment-account-activated", "no")): "payment-not-activated",
        (
            ("money-source", "payment-not-arrived"),
            ("payment-account-activated", "no-cannot-go"),
        ): "activate-cannot-go-in-person",
        (
            ("money-source", "payment-not-arrived"),
            ("payment-account-activated", "no-away-from-home"),
        ): "activate-away-from-home",
        (
            ("money-source", "payment-not-arrived"),
            ("payment-account-activated", "yes"),
            ("payment-kind", "unemployment"),
        ): "unemployment-benefit-not-arrived",
        (
            ("money-source", "payment-not-arrived"),
            ("payment-account-activated", "yes"),
            ("payment-kind", "subsidy"),
        ): "subsidy-not-arrived",
        (("money-source", "payment-not-arrived"), ("payment-account-activated", "not-sure")): "check-activation",
        (
            ("money-source", "card-lost-or-damaged"),
            ("card-problem", "lost"),
            ("lost-reported", "not-yet"),
        ): "lost-report-now",
        (
            ("money-source", "card-lost-or-damaged"),
            ("card-problem", "lost"),
            ("lost-reported", "temporary"),
        ): "lost-reported-temporary",
        (
            ("money-source", "card-lost-or-damaged"),
            ("card-problem", "lost"),
            ("lost-reported", "formal"),
        ): "lost-get-new-card",
        (
            ("money-source", "card-lost-or-damaged"),
            ("card-problem", "lost"),
            ("lost-reported", "not-sure"),
        ): "lost-report-now",
        (("money-source", "card-lost-or-damaged"), ("card-problem", "damaged")): "damaged-replace-card",
        (("money-source", "money-taken"),): "money-taken-not-by-you",
        (("money-source", "not-sure"), ("where-seen", "bank")): "check-activation",
        (("money-source", "not-sure"), ("where-seen", "social-insurance")): "check-contribution-records",
        (("money-source", "not-sure"), ("where-seen", "not-sure")): "find-which-money",
    },
    SECOND: {
        (("which-money", "bank-account"), ("bank-activated", "yes")): "withdraw-now",
        (("which-money", "bank-account"), ("bank-activated", "no")): "activate-then-withdraw",
        (("which-money", "bank-account"), ("bank-activated", "not-sure")): "activate-then-withdraw",
        (("which-money", "pension-account"), ("pension-situation", "not-retired")): "pension-not-before-retirement",
        (("which-money", "pension-account"), ("pension-situation", "retirement-age")): "pension-monthly",
        (("which-money", "pension-account"), ("pension-situation", "insured-person-died")): "pension-inherit",
        (("which-money", "medical-account"),): "medical-not-cash",
        (("which-money", "not-sure"),): "which-money-explained",
    },
    THIRD: {
        (("what-fails", "services"), ("card-status", "sealed")): "card-sealed",
        (("what-fails", "services"), ("card-status", "reported-lost")): "card-reported-lost",
        (("what-fails", "services"), ("card-status", "cancelled")): "card-cancelled",
        (("what-fails", "services"), ("card-status", "normal")): "status-normal-still-fails",
        (("what-fails", "services"), ("card-status", "not-sure")): "check-status-first",
        (("what-fails", "password"), ("where-password", "bank")): "bank-password-locked",
        (("what-fails", "password"), ("where-password", "social-insurance")): "social-insurance-password-locked",
        (("what-fails", "password"), ("where-password", "e-card")): "which-password",
        (("what-fails", "password"), ("where-password", "not-sure")): "which-password",
        (("what-fails", "bank"), ("bank-activated", "yes")): "bank-active-still-fails",
        (("what-fails", "bank"), ("bank-activated", "no")): "bank-not-activated",
        (("what-fails", "bank"), ("bank-activated", "not-sure")): "bank-not-activated",
        (("what-fails", "expired"),): "card-expired",
        (("what-fails", "several-cards"),): "several-cards",
        (("what-fails", "e-card"), ("physical-card", "normal")): "e-card-check-app",
        (("what-fails", "e-card"), ("physical-card", "reported-lost")): "card-reported-lost",
        (("what-fails", "e-card"), ("physical-card", "cancelled")): "card-cancelled",
        (("what-fails", "e-card"), ("physical-card", "not-sure")): "check-status-first",
        (("what-fails", "not-sure"),): "check-status-first",
    },
    FOURTH: {
        (("already-given", "transferred-money"),): "money-transferred",
        (("already-given", "gave-code"),): "code-given",
        (("already-given", "gave-card"),): "card-handed-over",
        (("already-given", "money-missing"),): "money-taken",
        (("already-given", "not-sure"),): "may-have-given",
        (("already-given", "nothing"), ("what-they-said", "card-frozen")): "frozen-call",
        (("already-given", "nothing"), ("what-they-said", "link")): "text-with-link",
        (("already-given", "nothing"), ("what-they-said", "asked-details")): "asked-for-details",
        (("already-given", "nothing"), ("what-they-said", "pay-or-stop")): "pay-or-stop",
        (("already-given", "nothing"), ("what-they-said", "pension")): "pension-certification",
        (("already-given", "nothing"), ("what-they-said", "wants-card")): "wants-card",
        (("already-given", "nothing"), ("what-they-said", "not-sure")): "check-first",
    },
}


def query(path):
    return "&".join(f"{question}={choice}" for question, choice in path)
