"""The content audit: every public answer must rest on something that carries it.

A published FAQ article, and every outcome a published guide can reach, must cite at least one law
article or one [A]/[B] source (law, official material, state media). An answer whose sources are all
[C] (third party) must send the reader to 12333 or the local bureau in both languages, since a third
party may be wrong or out of date. A figure an answer gives (days, yuan, a percentage, a date) must
come from somewhere: the answer lists a source, or a law article it cites holds that number. An answer
and a law article's summary say the law in the site's own plain words: a long run of a cited article's
own Chinese wording (COPIED_RUN characters or more) is flagged; the citation links to the text itself.

Apps that publish answers register a provider here (the arrows point one way: faq → law), and the
system check below runs the audit over them: `manage.py check`.
"""

import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core import checks
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from .models import LawArticle, Source

UNCITED = "law.E001"
UNHEDGED_THIRD_PARTY = "law.W001"
UNSOURCED_FIGURE = "law.W002"
COPIED_LAW_WORDING = "law.W003"

# A run of this many characters (spaces left out) repeated from a cited law article's Chinese text is
# the law copied, not explained; shorter runs are the law's terms (丧葬补助金和抚恤金, 缴费年限累计计算).
COPIED_RUN = 20

# What sends a reader to check a [C]-only claim, per language.
HEDGES = {"zh_hans": ("12333", "当地"), "en": ("12333", "local")}

# A figure: a number with a unit a reader acts on (a period, an amount, a share) or a date. Counts of
# things ("two accounts") and the 12333 line are not figures.
_ZH_NUMBER = "[0-9０-９]+(?:[.．][0-9]+)?|[一二两三四五六七八九十百千万]+"
FIGURES = {
    "zh_hans": re.compile(
        rf"(?P<date>(?:19|20)\d{{2}}年(?:\d{{1,2}}月(?:\d{{1,2}}日)?)?)"
        rf"|(?P<number>{_ZH_NUMBER})\s*(?:个)?(?:工作日|自然日|天|日内|周岁|年|个月|元|%|％|‰)"
    ),
    "en": re.compile(
        r"(?P<date>\b(?:19|20)\d{2}-\d{2}-\d{2}\b|\b(?:in|since|from|until|by|of) (?:19|20)\d{2}\b)"
        r"|(?P<number>\b\d+(?:\.\d+)?)\s*(?:working days?|calendar days?|days?|years?|months?|weeks?|yuan|%|percent)\b"
    ),
}
_DIGITS = "零一二三四五六七八九"


def _chinese_number(value: int) -> str:
    """1–99 as the law texts write them: 十五, 二十, 六十."""
    if value < 10:
        return _DIGITS[value]
    tens, ones = divmod(value, 10)
    return f"{_DIGITS[tens] if tens > 1 else ''}十{_DIGITS[ones] if ones else ''}"


def _held_by(number: str, text: str) -> bool:
    number = number.translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
    if re.search(rf"(?<![0-9.]){re.escape(number)}(?![0-9])", text):
        return True
    return number.isdigit() and 0 < int(number) < 100 and _chinese_number(int(number)) in text


@dataclass(frozen=True)
class AuditedAnswer:
    """One public answer as the audit sees it."""

    name: str  # how the finding names it: FAQ article “slug”
    obj: object
    law_articles: int  # how many law articles it cites
    strengths: frozenset  # the strengths of its sources
    texts: dict  # language → everything the answer says in that language
    sources: int = 0  # how many sources it lists, of any strength
    cited_text: str = ""  # the text and summaries of the law articles it cites, both languages
    law_wording: str = ""  # the Chinese text of the law articles it cites

    def copied_law_wording(self):
        return copied_runs(self.texts.get("zh_hans") or "", self.law_wording)

    @property
    def carried(self):
        return self.law_articles > 0 or bool(self.strengths & set(Source.CARRYING_STRENGTHS))

    @property
    def third_party_only(self):
        """Its sources are all [C]: the facts beyond the law rest on third parties alone."""
        return bool(self.strengths) and not (self.strengths & set(Source.CARRYING_STRENGTHS))

    def unsourced_figures(self):
        """The figures it gives that nothing on it backs: it lists no source and no law article it
        cites holds the number."""
        if self.sources:
            return []
        found = []
        for language, pattern in FIGURES.items():
            for match in pattern.finditer(self.texts.get(language) or ""):
                number = match.group("number")
                if number is None or not _held_by(number, self.cited_text):
                    found.append(match.group(0).strip())
        return list(dict.fromkeys(found))

    def unhedged_languages(self):
        return [
            language
            for language, words in HEDGES.items()
            if not any(word in (self.texts.get(language) or "") for word in words)
        ]


def copied_runs(text, law_text, length=COPIED_RUN) -> list[str]:
    """The runs of `length` or more characters of `text` that `law_text` holds word for word (spaces
    and line breaks left out of both), longest first."""
    text, law_text = re.sub(r"\s", "", text), re.sub(r"\s", "", law_text)
    if len(text) < length or len(law_text) < length:
        return []
    held = {law_text[i : i + length] for i in range(len(law_text) - length + 1)}
    runs, start = [], 0
    while start <= len(text) - length:
        if text[start : start + length] not in held:
            start += 1
            continue
        end = start + length
        while end < len(text) and text[end - length + 1 : end + 1] in held:
            end += 1
        runs.append(text[start:end])
        start = end
    return sorted(runs, key=len, reverse=True)


def law_wording(law_articles) -> str:
    """The cited law articles' own Chinese wording (what an answer must not repeat at length)."""
    return "\n".join(article.text_zh_hans or "" for article in law_articles)


def cited_text(law_articles) -> str:
    """What the cited law articles say, in both languages (text and summary): where a figure may come from."""
    return "\n".join(
        getattr(article, f"{name}_{language}") or ""
        for article in law_articles
        for name in ("text", "summary")
        for language in ("zh_hans", "en")
    )


_providers: list[Callable[[str], Iterable[AuditedAnswer]]] = []


def register_answers(provider):
    """`provider(using)` yields an AuditedAnswer for every answer the public sees."""
    if provider not in _providers:
        _providers.append(provider)


def audited_answers(using=DEFAULT_DB_ALIAS):
    for provider in _providers:
        yield from provider(using)


def findings(answers) -> list[checks.CheckMessage]:
    messages = []
    for answer in answers:
        if not answer.carried:
            messages.append(
                checks.Error(
                    f"{answer.name} cites no law article and no [A]/[B] source.",
                    hint="Cite the law article or the official source that carries the answer "
                    "(sources: inquiry/law/content/sources/), or take it off the site.",
                    obj=answer.obj,
                    id=UNCITED,
                )
            )
        if answer.third_party_only and answer.unhedged_languages():
            messages.append(
                checks.Warning(
                    f"{answer.name} rests on third-party [C] sources only and does not send the reader "
                    f"to 12333 or the local bureau ({', '.join(answer.unhedged_languages())}).",
                    hint="Word the claim as “in many places” / “很多地方” and add “check with 12333 or the "
                    "local bureau” / “以当地规定为准，可拨打12333”, or cite an official source.",
                    obj=answer.obj,
                    id=UNHEDGED_THIRD_PARTY,
                )
            )
        figures = answer.unsourced_figures()
        if figures:
            messages.append(
                checks.Warning(
                    f"{answer.name} gives figures that nothing on it backs: {', '.join(figures[:5])}.",
                    hint="List the source the figure comes from (or cite the law article that holds it); "
                    "where the value is set locally, say who sets it instead of giving a number.",
                    obj=answer.obj,
                    id=UNSOURCED_FIGURE,
                )
            )
        copied = answer.copied_law_wording()
        if copied:
            messages.append(_copied_wording(answer.name, answer.obj, copied))
    return messages


def _copied_wording(name, obj, runs):
    return checks.Warning(
        f"{name} repeats the cited law's own wording: “{runs[0]}”"
        + (f" and {len(runs) - 1} more" if len(runs) > 1 else "")
        + ".",
        hint="Say it in plain words of your own (short sentences, the same facts and conditions); the "
        "citation links to the law's text.",
        obj=obj,
        id=COPIED_LAW_WORDING,
    )


def copied_summaries(using=DEFAULT_DB_ALIAS) -> list[checks.CheckMessage]:
    """A law article's plain-language summary that repeats the article's own wording at length."""
    messages = []
    summarised = LawArticle.objects.using(using).exclude(summary_zh_hans="").exclude(summary_zh_hans=None)
    for article in summarised.select_related("law"):
        runs = copied_runs(article.summary_zh_hans, article.text_zh_hans or "")
        if runs:
            messages.append(_copied_wording(f"The summary of {article}", article, runs))
    return messages


def _tables_exist(using):
    with connections[using].cursor() as cursor:
        tables = set(connections[using].introspection.table_names(cursor))
    return {LawArticle._meta.db_table, Source._meta.db_table} <= tables


def _another_command_is_running():
    """Whether this process is a management command other than `check` (migrate, runserver, …).

    Every command runs the system checks first and refuses to go on after an error. An audit finding
    is about content an editor fixes in the admin: it must not stop a deploy's `migrate`, a
    `runserver` or a `load_content`. `manage.py check` (and the tests) report it.
    """
    program = sys.argv[0] if sys.argv else ""
    command_line = os.path.basename(program) in ("manage.py", "django-admin") or program.endswith(
        os.path.join("django", "__main__.py")
    )
    return command_line and len(sys.argv) > 1 and sys.argv[1] != "check"


@checks.register("content")
def content_audit(app_configs=None, databases=None, **kwargs):
    """The audit over the database's content. A database not migrated yet, or not reachable, is
    skipped: the check is about content, and `migrate` runs checks before it creates the tables."""
    if app_configs is not None and not any(config.label == "law" for config in app_configs):
        return []
    if _another_command_is_running():
        return []
    using = DEFAULT_DB_ALIAS
    try:
        if not _tables_exist(using):
            return []
        return findings(audited_answers(using)) + copied_summaries(using)
    except DatabaseError:
        return []
