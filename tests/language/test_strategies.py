"""The generated specs of `tests.strategies` are valid: they check without errors.

Other tests (formatter, semantic diff, back-end agreement) rely on this: a
generated spec that does not check would test the checker's error paths
instead of the back end.  Warnings and notes are allowed.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from protocol_dsl.compiler import compile_spec
from protocol_dsl.syntax.parser import keywords, parse_module
from tests.strategies import contexts, expressions, identifiers, specs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_generated_specs_check_without_errors(text: str) -> None:
    result = compile_spec("generated.trial", text)
    errors = [
        f"{d.code} {d.message} (line {d.span.line})" for d in result.diagnostics if d.is_error
    ]
    assert not errors, "\n".join(errors) + "\n\n" + text


@settings(max_examples=100, deadline=None)
@given(identifiers())
def test_identifiers_are_names_and_never_keywords(name: str) -> None:
    assert name not in keywords()
    module, _diagnostics = parse_module(f"define {name} = yes\n", "n.trial")
    assert module is not None


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contexts().flatmap(lambda c: expressions(c).map(lambda e: (c, e))))
def test_expressions_read_only_declared_items(pair) -> None:  # type: ignore[no-untyped-def]
    context, expr = pair
    from protocol_dsl import model as m

    forms = {i.form for i in context.items} | {f for f, _items in context.repeating}
    for node in m.walk(expr):
        if isinstance(node, m.Ref) and len(node.parts) == 2 and node.parts[0] in forms:
            declared = {i.name for i in context.items if i.form == node.parts[0]}
            declared |= {
                i.name for f, items in context.repeating if f == node.parts[0] for i in items
            }
            assert node.parts[1] in declared
