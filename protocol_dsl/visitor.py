"""One typed visitor over expressions: every walker handles every node kind.

A walker subclasses `ExprVisitor[T, P]`, where `T` is what each node gives and
`P` the extra arguments every method takes after the node (a scope, a visit, a
precedence level, ...; `[]` for none), and implements one `visit_<kind>` method
per expression class of the model (`NumberLit` -> `visit_number_lit`).  The
methods are abstract, so a walker that misses a kind is rejected by the type
checker ("Cannot instantiate abstract class") and by Python when instantiated.
A walker that has no meaning for some kind implements its method by raising
the error it reports for it.

`visit(expr, *args)` dispatches on the exact class through a table built once
per walker class: one dict lookup per node, no name built per call (the solver
encoding and the interpreter compilation walk every rule of every check).
"""

from __future__ import annotations

import abc
import re
from collections.abc import Callable
from typing import Any, ClassVar, Generic, ParamSpec, TypeVar

from protocol_dsl import model as m

T = TypeVar("T")
P = ParamSpec("P")


def method_name(cls: type) -> str:
    """The visitor method for an expression class: `MemberOf` -> `visit_member_of`."""
    return "visit_" + re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


#: The visitor method of each expression class of the model, in the model's order.
METHOD_NAMES: dict[type, str] = {cls: method_name(cls) for cls in m.EXPR_TYPES}


class ExprVisitor(abc.ABC, Generic[T, P]):
    """Walks an expression tree; one method per node kind, each returning a `T`."""

    #: class of node -> the (unbound) method handling it, built per subclass
    _dispatch: ClassVar[dict[type, Callable[..., Any]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._dispatch = {node: getattr(cls, name) for node, name in METHOD_NAMES.items()}

    def visit(self, expr: m.Expr, /, *args: P.args, **kwargs: P.kwargs) -> T:
        """What this walker makes of `expr` (dispatched on its exact class)."""
        return self._dispatch[type(expr)](self, expr, *args, **kwargs)  # type: ignore[no-any-return]

    # ------------------------------------------------------------ literals

    @abc.abstractmethod
    def visit_number_lit(self, node: m.NumberLit, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_quantity_lit(
        self, node: m.QuantityLit, /, *args: P.args, **kwargs: P.kwargs
    ) -> T: ...

    @abc.abstractmethod
    def visit_text_lit(self, node: m.TextLit, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_date_lit(self, node: m.DateLit, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_titer_lit(self, node: m.TiterLit, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_bool_lit(self, node: m.BoolLit, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    # ------------------------------------------------------------ names

    @abc.abstractmethod
    def visit_ref(self, node: m.Ref, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_at_visit(self, node: m.AtVisit, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    # ------------------------------------------------------------ operators

    @abc.abstractmethod
    def visit_negate(self, node: m.Negate, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_not(self, node: m.Not, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_arith(self, node: m.Arith, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_logic(self, node: m.Logic, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_compare(self, node: m.Compare, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_between(self, node: m.Between, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_member_of(self, node: m.MemberOf, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_is_known(self, node: m.IsKnown, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_within(self, node: m.Within, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_at_least(self, node: m.AtLeast, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    # ------------------------------------------------------------ records and calls

    @abc.abstractmethod
    def visit_quantifier(self, node: m.Quantifier, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_aggregate(self, node: m.Aggregate, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_call(self, node: m.Call, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_conditional(self, node: m.Conditional, /, *args: P.args, **kwargs: P.kwargs) -> T: ...


def out_of_step(node_types: tuple[type, ...]) -> tuple[set[str], set[str]]:
    """The methods `ExprVisitor` lacks for `node_types`, and those it has for no node type."""
    declared = set(ExprVisitor.__abstractmethods__)
    expected = {method_name(cls) for cls in node_types}
    return expected - declared, declared - expected


def _check_methods() -> None:
    """Fail at import when the model and the visitor's methods disagree."""
    missing, extra = out_of_step(m.EXPR_TYPES)
    if missing or extra:
        raise TypeError(
            "ExprVisitor is out of step with the model's expression classes: "
            f"missing {sorted(missing)}, extra {sorted(extra)}"
        )


_check_methods()
