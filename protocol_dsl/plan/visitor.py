"""Typed visitors over the screening plan's nodes: every back end handles every node kind.

The same mechanism as the model's `ExprVisitor` (`protocol_dsl.visitor`): one
abstract method per node class, named from the class (`InSet` -> `visit_in_set`),
and a dispatch table built once per walker class.  Two trees are walked:

- `PlanVisitor`: any node, as a single value (a condition, number, date, ...);
- `IntervalVisitor`: a node of kind ``interval``, as a pair of bounds; only the
  classes of `nodes.INTERVAL_TYPES` make intervals, so only they have methods.
"""

from __future__ import annotations

import abc
from typing import ClassVar, ParamSpec, TypeVar

from protocol_dsl.plan import nodes as n
from protocol_dsl.visitor import Visitor, check_methods, method_name

T = TypeVar("T")
P = ParamSpec("P")


class _IntervalMethods(Visitor[n.Node, T, P]):
    """The methods of the classes that make intervals (`nodes.INTERVAL_TYPES`): both
    visitors have them, each sets which node classes it dispatches (`_methods`)."""

    @abc.abstractmethod
    def visit_arith(self, node: n.Arith, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_negate(self, node: n.Negate, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_scale(self, node: n.Scale, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_if(self, node: n.If, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_extreme(self, node: n.Extreme, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_count(self, node: n.Count, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_total(self, node: n.Total, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_weighted(self, node: n.Weighted, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_interval_sum(
        self, node: n.IntervalSum, /, *args: P.args, **kwargs: P.kwargs
    ) -> T: ...

    @abc.abstractmethod
    def visit_interval_max(
        self, node: n.IntervalMax, /, *args: P.args, **kwargs: P.kwargs
    ) -> T: ...

    @abc.abstractmethod
    def visit_bounds(self, node: n.Bounds, /, *args: P.args, **kwargs: P.kwargs) -> T: ...


class PlanVisitor(_IntervalMethods[T, P]):
    """Walks a plan tree; one method per node class, each returning a `T` (the methods
    of the classes that make intervals are declared in `_IntervalMethods`)."""

    _methods: ClassVar[dict[type, str]] = {cls: method_name(cls) for cls in n.NODE_TYPES}

    @abc.abstractmethod
    def visit_const(self, node: n.Const, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_item(self, node: n.Item, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_field(self, node: n.Field, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_visit_date(self, node: n.VisitDate, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_attested(self, node: n.Attested, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_not(self, node: n.Not, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_logic(self, node: n.Logic, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_compare(self, node: n.Compare, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_in_set(self, node: n.InSet, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_contains(self, node: n.Contains, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_known(self, node: n.Known, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_extremum(self, node: n.Extremum, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_abs(self, node: n.Abs, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_math(self, node: n.Math, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_average(self, node: n.Average, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_collapse(self, node: n.Collapse, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_shift_date(self, node: n.ShiftDate, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_day_of(self, node: n.DayOf, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_elapsed(self, node: n.Elapsed, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_lookup(self, node: n.Lookup, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_any_record(self, node: n.AnyRecord, /, *args: P.args, **kwargs: P.kwargs) -> T: ...

    @abc.abstractmethod
    def visit_all_records(self, node: n.AllRecords, /, *args: P.args, **kwargs: P.kwargs) -> T: ...


class IntervalVisitor(_IntervalMethods[T, P]):
    """Walks the nodes of kind ``interval``; one method per class that makes intervals."""

    _methods: ClassVar[dict[type, str]] = {cls: method_name(cls) for cls in n.INTERVAL_TYPES}


check_methods(PlanVisitor, n.NODE_TYPES)
check_methods(IntervalVisitor, n.INTERVAL_TYPES)
