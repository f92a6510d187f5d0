"""Every answer path through a guide: for tests that walk each path of a flow (the site itself only ever
needs the shortest one to each outcome, `inquiry.guide.engine.canonical_answers`)."""

from inquiry.guide.engine import OUTCOME, QUESTION, Answer, FlowGraph


def enumerate_paths(graph: FlowGraph, limit=10_000) -> list[tuple[tuple[Answer, ...], str]]:
    """Every answer path from the first question to an outcome, in choice order (at most `limit`).

    A path never visits a question twice. The walk also stops after `limit * 20` steps, so a large
    broken graph (many cycles, no outcome) cannot keep it busy.
    """
    if not isinstance(graph, FlowGraph) or graph.question(graph.first_question) is None:
        return []
    paths, steps = [], 0
    stack = [(QUESTION, (), graph.first_question, frozenset({graph.first_question}))]
    while stack and len(paths) < limit and steps < limit * 20:
        steps += 1
        kind, path, slug, visited = stack.pop()
        if kind == OUTCOME:
            paths.append((path, slug))
            continue
        children = []
        for choice in graph.first_choices(graph.question(slug)):
            target = graph.target(choice)
            if target is None:
                continue
            step = (*path, Answer(slug, choice.slug))
            if target.kind == OUTCOME:
                children.append((OUTCOME, step, target.slug, visited))
            elif target.slug not in visited:
                children.append((QUESTION, step, target.slug, visited | {target.slug}))
        stack.extend(reversed(children))
    return paths
