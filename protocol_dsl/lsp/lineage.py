"""Which declarations of a parsed file are those of an earlier parse, moved by the edits.

The re-parse of an edit (`reparse`) parses again the one declaration the edit is
in and keeps every other: the same object before the edit, a copy after it,
equal to the original (spans are not part of a node's meaning) and standing
the edit's length further on.  A memory of findings kept by declaration
(`criterion_findings`, `declaration_findings`, `criterion_solver`) would take
such a copy for a new declaration and ask about it again: on a long spec, a
character typed near its top would make every later declaration new.  The
lineage recorded here tells a copy from a new declaration, and `Moves.span`
moves a finding's positions as the re-parses moved the declarations.

Only re-parses that keep every line where it was are recorded (a character typed,
replaced or deleted on one line): a finding's message may name a line ("first on
line 12"), which moving its span would leave wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.lsp.reuse import moved_finding

#: How many re-parses a lineage is followed through (the memories ask at every check, so
#: one or two re-parses separate a module from the one they remember).
FOLLOWED = 16


@attrs.frozen
class Step:
    """One re-parse: `before` with its declaration number `edited` parsed again."""

    before: m.Module
    edited: int
    #: The edited declaration's first offset, its end and its last line, in `before`.
    start: int
    end: int
    end_line: int
    #: How many characters the edit added (negative: removed).
    delta: int


class Moves:
    """The re-parses from one module of a file to a later one, oldest first."""

    def __init__(self, path: str, steps: tuple[Step, ...]) -> None:
        self.path = path
        self.steps = steps
        #: The declarations (by number) parsed again on the way: every other one is kept.
        self.edited = frozenset(step.edited for step in steps)

    def kept(self, number: int) -> bool:
        """Whether declaration `number` of the later module is the earlier one, moved."""
        return number not in self.edited

    def span(self, span: m.Span) -> m.Span | None:
        """`span` (in the earlier module's text) in the later one's; None when it touches a
        declaration parsed again."""
        if span.file != self.path:
            return span
        start, end = span.start, span.end
        for step in self.steps:
            if end <= step.start:
                continue
            # every declaration after an edited one starts on a later line (`reparse`):
            # its columns are those it had
            if start >= step.end and span.line > step.end_line:
                start, end = start + step.delta, end + step.delta
                continue
            return None
        if start == span.start:
            return span
        return m.Span(span.file, span.line, span.column, span.end_line, span.end_column, start, end)


class Shift:
    """The moves of every file of a spec: where a finding about one file's declaration
    now points, its labels in the other files included."""

    def __init__(self, moves: Iterable[Moves]) -> None:
        self._by_file = {one.path: one for one in moves if one.steps}

    def span(self, span: m.Span) -> m.Span | None:
        moves = self._by_file.get(span.file)
        return span if moves is None else moves.span(span)

    def findings(self, found: Sequence[object]) -> list[object] | None:
        """`found` (findings, or values without a position) moved; None when one cannot be."""
        if not self._by_file or not found:
            return list(found)
        result: list[object] = []
        for one in found:
            if isinstance(one, Diagnostic):
                moved = moved_finding(one, self.span)
                if moved is None:
                    return None
                one = moved
            result.append(one)
        return result


class Lineage:
    """The re-parse each kept module came from, by the module's id."""

    def __init__(self) -> None:
        self._steps: dict[int, tuple[m.Module, Step]] = {}

    def record(self, before: m.Module, after: m.Module) -> None:
        """`after` was re-parsed from `before` (`reparse`): one declaration parsed again."""
        old, new = before.declarations, after.declarations
        if len(old) != len(new) or before.span.end_line != after.span.end_line:
            return  # a line added or removed: not followed (see the module's docstring)
        edited = next(
            (n for n, (a, b) in enumerate(zip(old, new, strict=True)) if a is not b), None
        )
        if edited is None:
            return
        span = old[edited].span
        step = Step(
            before, edited, span.start, span.end, span.end_line, after.span.end - before.span.end
        )
        self._steps[id(after)] = (after, step)

    def forget(self, module: m.Module) -> None:
        self._steps.pop(id(module), None)

    def criteria_moves(
        self, then: dict[str, m.Module], now: dict[str, m.Module], *, same_ids: bool = False
    ) -> dict[str, Moves] | None:
        """The moves from the modules `then` to `now` (by path), when the re-parses changed
        criteria only (with `same_ids`, keeping their ids); None otherwise."""
        if then.keys() != now.keys():
            return None
        found: dict[str, Moves] = {}
        for path, module in now.items():
            moves = self.moves(then[path], module)
            if moves is None:
                return None
            before = then[path].declarations
            for n in moves.edited:
                old, new = before[n], module.declarations[n]
                if not isinstance(old, m.Criterion) or not isinstance(new, m.Criterion):
                    return None
                if same_ids and old.id != new.id:
                    return None
            found[path] = moves
        return found

    def moves(self, then: m.Module, now: m.Module) -> Moves | None:
        """How `now` came from `then` by re-parses; None when it did not (parsed whole)."""
        steps: list[Step] = []
        current = now
        while current is not then:
            found = self._steps.get(id(current))
            if found is None or found[0] is not current or len(steps) >= FOLLOWED:
                return None
            steps.append(found[1])
            current = found[1].before
        return Moves(now.span.file, tuple(reversed(steps)))
