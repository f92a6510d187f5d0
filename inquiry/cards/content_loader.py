from inquiry.core.shipped import ShippedContentError, content_dir, read_content, translated_fields
from inquiry.law.content_loader import article_lookup, source_lookup

from .models import Account, AccountState, Procedure, ProcedureStep, StateTransition


def resolve(lookup, keys, what, owner):
    try:
        return [lookup[key] for key in keys or []]
    except KeyError as error:
        raise ShippedContentError(f"{owner}: unknown {what} {error.args[0]!r}") from None


def load(loader):
    data = read_content(content_dir(__file__), "cards")
    articles, sources = article_lookup(), source_lookup()
    procedures = {}
    for order, item in enumerate(data.get("procedures", [])):
        slug = item["slug"]
        procedure = loader.sync(
            f"cards:procedure:{slug}",
            Procedure,
            {"slug": slug},
            {**translated_fields(item, "title", "summary", required=("title",)), "order": order},
            {"citations": resolve(articles, item.get("citations"), "law article", slug)},
        )
        procedures[slug] = procedure
        for number, step in enumerate(item.get("steps", []), start=1):
            loader.sync(
                f"cards:procedure:{slug}:step:{number}",
                ProcedureStep,
                {"procedure": procedure, "order": number},
                translated_fields(step, "title", "where", "bring", "outcome", required=("title",)),
                {"sources": resolve(sources, step.get("sources"), "source", f"{slug} step {number}")},
            )

    states = {}
    for order, item in enumerate(data.get("accounts", [])):
        account = loader.sync(
            f"cards:account:{item['slug']}",
            Account,
            {"slug": item["slug"]},
            {
                **translated_fields(item, "name", "description", required=("name",)),
                "kind": item["kind"],
                "order": order,
            },
        )
        for position, state in enumerate(item.get("states", [])):
            states[state["slug"]] = loader.sync(
                f"cards:state:{state['slug']}",
                AccountState,
                {"slug": state["slug"]},
                {
                    **translated_fields(
                        state, "name", "what_you_see", "what_you_can_do", required=("name", "what_you_see")
                    ),
                    "account": account,
                    "is_initial": position == 0,
                    "order": position,
                },
                {"sources": resolve(sources, state.get("sources"), "source", state["slug"])},
            )
        for position, transition in enumerate(item.get("transitions", [])):
            source = resolve(states, [transition["from"]], "state", item["slug"])[0]
            target = resolve(states, [transition["to"]], "state", item["slug"])[0]
            procedure_slug = transition.get("procedure")
            loader.sync(
                f"cards:transition:{transition['from']}:{transition['to']}",
                StateTransition,
                {"source": source, "target": target},
                {
                    **translated_fields(transition, "label", required=("label",)),
                    "procedure": resolve(procedures, [procedure_slug], "procedure", item["slug"])[0]
                    if procedure_slug
                    else None,
                    "order": position,
                },
            )


def procedure_lookup():
    return {procedure.slug: procedure for procedure in Procedure.objects.all()}


def state_lookup():
    return {state.slug: state for state in AccountState.objects.all()}
