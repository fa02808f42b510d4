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
`Visitor` is that mechanism for any tree of node classes; the screening plan's
nodes have their own visitors on it (`protocol_dsl.plan.visitor`).
"""

from __future__ import annotations

import abc
import re
from collections.abc import Callable
from typing import Any, ClassVar, Generic, ParamSpec, TypeVar

from protocol_dsl import model as m

N = TypeVar("N")
T = TypeVar("T")
P = ParamSpec("P")


def method_name(cls: type) -> str:
    """The visitor method for a node class: `MemberOf` -> `visit_member_of`."""
    return "visit_" + re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


class Visitor(abc.ABC, Generic[N, T, P]):
    """Dispatch by exact class for one tree of node classes (`N` is their union).

    A tree's visitor base sets `_methods` (node class -> method name) and declares
    one abstract method per node class; each concrete walker gets a table of its
    own methods, built once when its class is created.
    """

    _methods: ClassVar[dict[type, str]] = {}
    #: class of node -> the (unbound) method handling it, per walker class
    _dispatch: ClassVar[dict[type, Callable[..., Any]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        missing = [name for name in cls._methods.values() if not hasattr(cls, name)]
        if missing:  # a node class added to the tree, its visitor base not told
            raise TypeError(f"{cls.__name__} declares no {', '.join(missing)}")
        cls._dispatch = {node: getattr(cls, name) for node, name in cls._methods.items()}

    def visit(self, node: N, /, *args: P.args, **kwargs: P.kwargs) -> T:
        """What this walker makes of `node` (dispatched on its exact class)."""
        method = self._dispatch[type(node)]
        return method(self, node, *args, **kwargs)


def out_of_step(
    visitor: type[Visitor[Any, Any, Any]], node_types: tuple[type, ...]
) -> tuple[set[str], set[str]]:
    """The methods `visitor` lacks for `node_types`, and those it has for no node type."""
    declared = set(visitor.__abstractmethods__)
    expected = {method_name(cls) for cls in node_types}
    return expected - declared, declared - expected


def check_methods(visitor: type[Visitor[Any, Any, Any]], node_types: tuple[type, ...]) -> None:
    """Fail (at import of the visitor's module) when a tree and its visitor disagree."""
    missing, extra = out_of_step(visitor, node_types)
    if missing or extra:
        raise TypeError(
            f"{visitor.__name__} is out of step with its node classes: "
            f"missing {sorted(missing)}, extra {sorted(extra)}"
        )


#: The visitor method of each expression class of the model, in the model's order.
METHOD_NAMES: dict[type, str] = {cls: method_name(cls) for cls in m.EXPR_TYPES}


class ExprVisitor(Visitor[m.Expr, T, P]):
    """Walks an expression tree; one method per node kind, each returning a `T`."""

    _methods: ClassVar[dict[type, str]] = METHOD_NAMES

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

    @abc.abstractmethod
    def visit_at_previous(self, node: m.AtPrevious, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

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
    def visit_contains(self, node: m.Contains, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

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
    def visit_visit_quantifier(
        self, node: m.VisitQuantifier, /, *args: P.args, **kwargs: P.kwargs
    ) -> T: ...

    @abc.abstractmethod
    def visit_aggregate(self, node: m.Aggregate, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_call(self, node: m.Call, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_conditional(self, node: m.Conditional, /, *args: P.args, **kwargs: P.kwargs) -> T: ...


check_methods(ExprVisitor, m.EXPR_TYPES)
