"""Checking a spec again and again as it is typed, reusing what did not change.

`protocol check` is the contract: the server's final answer for a text is
`compile_spec` on it, every check included, so the editor shows exactly what
the command prints.  What a warm process adds is memory:

- every file parsed is kept by its text, so an edit re-parses the edited file
  only, never the libraries it uses (nor a library edited and then restored),
  and of the edited file only the declaration the edit is in (`reparse`);
- the solver's findings are kept by the texts of the spec and its libraries,
  so saving, re-opening or checking a file that `use`s an unchanged one does
  not ask the solver again;
- a check first runs without the solver (`quick`), which is what most edits
  need to see at once; the solver's findings of the previous text are carried
  over to the new one (moved with the edit, dropped where it touched them)
  until its own run has finished;
- the solver checks about single criteria (conditional collection, dead
  alternatives) are asked again only when what they encode changed
  (`criterion_solver`);
- the full check of a text runs only the solver's check again: every other
  check's findings on the same texts are those of the quick check (`same_text`);
- the solver's check of the whole set of criteria asks again only about the
  criteria an edit can have changed the answers for, when the edit changed
  criteria only: the parts of the spec they are in (`whole_set`); the others
  keep their findings, moved with the edit;
- the solver's check works in z3 contexts made between checks, and the terms
  of the last check are freed between checks (`tidy`), not on the way from an
  edit to its findings; each check still has contexts of its own, as in a
  fresh process;
- a check made of one question per declaration asks it only of the declarations
  the re-parse did not keep, and the nodes that carry marks (`allow`, `was`) are
  looked for only in those (`declaration_findings`);
- a check that finds its findings criterion by criterion asks again only about
  the criteria the re-parse did not keep, while the other declarations are kept
  (`criterion_findings`); so does the type pass the type, unit and unused-item
  checks share (`typed`);
- a declaration the re-parse moved (it stands after the edit) is kept all the
  same: the memories above follow it (`lineage`) and move its findings with it;
- each module parsed has a content number, shared by the module of the next
  text when the declaration the edit re-parsed is equal to what it was (spans
  aside: a space typed, a line re-indented).  When every module of the spec
  has the content number of the last check, the checks' findings are those of
  the last check moved with the edit (`reuse`), not found again.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from protocol_dsl import model as m
from protocol_dsl.checks import Check, all_checks, logic, run_checks_allowing
from protocol_dsl.compiler import CompileResult
from protocol_dsl.diagnostics import Diagnostic, Label, has_errors, sorted_diagnostics
from protocol_dsl.lsp import reuse
from protocol_dsl.lsp.criterion_findings import CriterionFindings
from protocol_dsl.lsp.criterion_solver import CriterionSolverChecks
from protocol_dsl.lsp.declaration_findings import DeclarationFindings
from protocol_dsl.lsp.lineage import Lineage
from protocol_dsl.lsp.reparse import edited_region, reparse
from protocol_dsl.lsp.same_text import SameTextFindings
from protocol_dsl.lsp.typed import TypedSpecs
from protocol_dsl.lsp.whole_set import WholeSetChecks
from protocol_dsl.spec import Spec
from protocol_dsl.syntax.loader import Reader, load
from protocol_dsl.syntax.parser import parse_module

if TYPE_CHECKING:  # z3 is imported only for a spec with formal criteria
    from protocol_dsl.solver.logic import Workspace

ParseResult = tuple[m.Module | None, list[Diagnostic]]

#: How many parsed files and solver answers are kept (a few open specs and their libraries).
PARSED_KEPT = 64
SOLVED_KEPT = 16


class Checker:
    """Compiles specs with a memory of parsed files and solver findings."""

    def __init__(self) -> None:
        self._parsed: OrderedDict[tuple[str, str], ParseResult] = OrderedDict()
        self._solved: OrderedDict[str, list[Diagnostic]] = OrderedDict()
        #: The last text parsed of each file and its module, to re-parse one declaration.
        self._last: dict[str, tuple[str, m.Module]] = {}
        self.reparses = 0
        #: Which declarations of each kept module are those of the module it was re-parsed
        #: from, moved by the edit (`lineage`): the memories of findings by declaration
        #: follow them.
        self.lineage = Lineage()
        #: The digest of the text each kept module was parsed from, by the module's id.
        self._texts: dict[int, tuple[m.Module, str]] = {}
        self.parses = 0
        self.solver_runs = 0
        #: The content number of each kept module, by the module's id (see the docstring).
        self._contents: dict[int, tuple[m.Module, int]] = {}
        self._numbers = itertools.count()
        #: The last findings of each spec and kind of check, with what they were found on:
        #: (content numbers, texts, active findings, allowed findings).
        self._findings: dict[tuple[str, str], _Findings] = {}
        self.reused = 0
        #: The last findings of the solver checks about single criteria (collection,
        #: alternatives), asked again only when what they encode changed.
        self.criterion_solver = CriterionSolverChecks(self.lineage)
        #: Each check's findings on the texts checked last: the full check of a text
        #: runs only the solver's check again after the quick one (`same_text`).
        self.same_text = SameTextFindings()
        #: The findings of the checks made of one question per declaration, by
        #: declaration object (`declaration_findings`).
        self.declarations = DeclarationFindings(self.lineage)
        #: The findings about each criterion of the checks that find them criterion by
        #: criterion, by criterion object (`criterion_findings`).
        self.criteria = CriterionFindings(self.lineage)
        #: Held while Lark parses: its collection of comments is shared by the process,
        #: and the solver's check may run in another thread.
        self.lock = threading.RLock()
        #: Held by a full check: z3's default context is not safe to share between threads.
        self.solving = threading.Lock()
        #: Where the solver's check of the whole set of criteria runs: a z3 context made
        #: between checks, the last check's terms freed between checks (`tidy`).
        self.solver_workspace: Workspace | None = None
        #: The last analysis of each spec's criteria: an edit that changed criteria only
        #: has only the criteria it touched analysed again (`whole_set`).
        self.whole_set = WholeSetChecks(self.lineage)
        #: The last type pass of each spec, by criterion (`typed`).
        self.typed = TypedSpecs(self.lineage)

    def parse(self, source: str, path: str) -> ParseResult:
        with self.lock:
            return self._parse(source, path)

    def _parse(self, source: str, path: str) -> ParseResult:
        key = (path, _digest(source))
        found = self._parsed.get(key)
        if found is None:
            found = self._reparse(source, path)
            self._parsed[key] = found
            if found[0] is not None:
                self._texts[id(found[0])] = (found[0], key[1])
            if len(self._parsed) > PARSED_KEPT:
                _, (old, _problems) = self._parsed.popitem(last=False)
                self._texts.pop(id(old), None)
                self._contents.pop(id(old), None)
                if old is not None:
                    self.lineage.forget(old)
        else:
            self._parsed.move_to_end(key)
        module, diagnostics = found
        return module, list(diagnostics)

    def _reparse(self, source: str, path: str) -> ParseResult:
        """Parse `source`, re-parsing only the edited declaration of the file's last text."""
        last = self._last.get(path)
        found = reparse(last[0], last[1], source, parse_module) if last is not None else None
        kept = None
        if found is None:
            self.parses += 1
            found = parse_module(source, path)
        else:
            self.reparses += 1
            assert last is not None
            if found[0] is not None:
                self.lineage.record(last[1], found[0])
            if found[0] is not None and _same_content(last[1], found[0]):
                kept = self._contents.get(id(last[1]))
                kept = kept if kept is not None and kept[0] is last[1] else None
        module = found[0]
        if module is not None:
            number = kept[1] if kept is not None else next(self._numbers)
            self._contents[id(module)] = (module, number)
            self._last[path] = (source, module)
        return found

    def quick(self, path: str, source: str, reader: Reader) -> CompileResult:
        """Every check but the solver's."""
        checks = [check for check in all_checks() if check is not logic.check]
        return self._compile(path, source, reader, checks, "quick")

    def full(self, path: str, source: str, reader: Reader) -> CompileResult:
        """What `protocol check` reports, the solver's findings reused when the texts match."""
        with self.solving:
            return self._compile(path, source, reader, all_checks(), "full")

    def _compile(
        self, path: str, source: str, reader: Reader, checks: list[Check], kind: str
    ) -> CompileResult:
        """`compile_spec` with these checks, their findings moved from the last check of
        the same content when there is one (the tests compare the two)."""
        spec, diagnostics, sources = load(path, source, reader, self.parse)
        if spec is None or has_errors(diagnostics):
            return CompileResult(spec, sorted_diagnostics(diagnostics), sources)
        contents = self._content_key(spec)
        last = self._findings.get((path, kind))
        found: tuple[list[Diagnostic], list[Diagnostic]] | None = None
        if last is not None and contents is not None and last.contents == contents:
            active = reuse.moved(last.active, last.sources, sources)
            allowed = reuse.moved(last.allowed, last.sources, sources)
            if active is not None and allowed is not None:
                self.reused += 1
                found = active, allowed
        if found is None:
            # the type pass, from the last one where the edit kept its declarations
            self.typed.provide(spec, path)
            if kind == "full":
                checks = [self._solver_check(check, path, sources) for check in checks]
            marked = self.declarations.marked_nodes(spec)
            running = self.criteria.wrap(
                self.declarations.wrap(self.criterion_solver.wrap(checks, path, sources), marked)
            )
            found = run_checks_allowing(
                spec,
                self.same_text.wrap(checks, running, path, sources),
                marked=marked,
                # the full check is every check: an `allow` that silences nothing is N0905
                every_check=kind == "full",
            )
        if contents is not None:
            self._findings[(path, kind)] = _Findings(contents, dict(sources), *found)
        return CompileResult(
            spec, sorted_diagnostics(diagnostics + found[0]), sources, sorted_diagnostics(found[1])
        )

    def _content_key(self, spec: Spec) -> tuple[tuple[str, int], ...] | None:
        """The content numbers of the spec's modules; None when one is not known."""
        numbers = []
        for owner in spec.all_specs():
            kept = self._contents.get(id(owner.module))
            if kept is None or kept[0] is not owner.module:
                return None
            numbers.append((owner.path, kept[1]))
        return tuple(sorted(numbers))

    def _solver_check(self, check: Check, path: str, sources: dict[str, str]) -> Check:
        if check is not logic.check:
            return check

        def solver(spec: Spec) -> list[Diagnostic]:
            key = self._family_key(spec)
            found = self._solved.get(key) if key is not None else None
            if found is None:
                self.solver_runs += 1
                remembered = self.whole_set.remembered(path, sources, self._workspace(spec))
                found = list(logic.check(spec, remembered=remembered))
                if key is None:
                    return found
                self._solved[key] = found
                if len(self._solved) > SOLVED_KEPT:
                    self._solved.popitem(last=False)
            return list(found)

        # the check's family name (`logic`) comes from its module, for E0999 and N0903
        solver.__module__ = logic.check.__module__
        return solver

    def _workspace(self, spec: Spec) -> Workspace | None:
        """The solver's workspace, made when a spec first has formal criteria (z3 is
        imported only then, as by the check itself)."""
        if self.solver_workspace is None and any(c.rule is not None for c in spec.criteria):
            from protocol_dsl.solver.logic import Workspace

            self.solver_workspace = Workspace()
        return self.solver_workspace

    def tidy(self) -> None:
        """Between checks: free what the last solver's checks made and make the z3 contexts
        of the next ones (`solver.logic.Workspace`, `criterion_solver`), off the path from
        an edit to its findings."""
        with self.solving:
            if self.solver_workspace is not None:
                self.solver_workspace.tidy()
            self.criterion_solver.tidy()

    def _family_key(self, spec: Spec) -> str | None:
        """The texts the solver's question is made of: the spec's and its libraries'."""
        digests = []
        for owner in spec.all_specs():
            kept = self._texts.get(id(owner.module))
            if kept is None or kept[0] is not owner.module:
                return None
            digests.append(f"{owner.path}\0{kept[1]}")
        return _digest("\0".join(sorted(digests)))


@attrs.frozen
class _Findings:
    contents: tuple[tuple[str, int], ...]
    sources: dict[str, str]
    active: list[Diagnostic]
    allowed: list[Diagnostic]


def _same_content(before: m.Module, after: m.Module) -> bool:
    """Whether `after`, re-parsed from `before` (one declaration parsed again, the others
    kept or moved), means the same: the one re-parsed declaration is equal."""
    if before is after:
        return True
    old, new = before.declarations, after.declarations
    if len(old) != len(new):
        return False
    for first, second in zip(old, new, strict=True):
        if first is not second:
            return first == second  # the re-parsed one; those after it are moved copies
    return True


def solver_findings(full: CompileResult, quick: CompileResult) -> list[Diagnostic]:
    """The findings of a full check that the quick one did not have: the solver's."""
    seen = {_identity(d) for d in quick.diagnostics}
    return [d for d in full.diagnostics if _identity(d) not in seen]


def carried_over(
    findings: Iterable[Diagnostic], before: dict[str, str], after: dict[str, str]
) -> list[Diagnostic]:
    """Findings about the texts `before`, moved onto the texts `after`.

    A finding outside the edited region moves with the text; one the edit touches
    (its span or a label's) is dropped, since its rule may have changed.
    """
    moves = {path: _Move(before[path], text) for path, text in after.items() if path in before}
    kept: list[Diagnostic] = []
    for finding in findings:
        span = _moved(finding.span, moves)
        labels = [_moved(label.span, moves) for label in finding.labels]
        if span is None or any(label is None for label in labels):
            continue
        kept.append(
            attrs.evolve(
                finding,
                span=span,
                labels=tuple(
                    Label(moved, label.message)
                    for moved, label in zip(labels, finding.labels, strict=True)
                    if moved is not None
                ),
            )
        )
    return kept


class _Move:
    """One edit seen as the region where two texts differ."""

    def __init__(self, before: str, after: str) -> None:
        self.after = after
        self.same = before == after
        self.edit_start, self.edit_end = edited_region(before, after)
        self.delta = len(after) - len(before)

    def offset(self, offset: int) -> int | None:
        if offset <= self.edit_start:
            return offset
        if offset >= self.edit_end:
            return offset + self.delta
        return None


def _moved(span: m.Span, moves: dict[str, _Move]) -> m.Span | None:
    move = moves.get(span.file)
    if move is None or move.same:
        return span
    start, end = move.offset(span.start), move.offset(span.end)
    if start is None or end is None or (span.start < move.edit_start < span.end):
        return None
    line, column = _line_column(move.after, start)
    end_line, end_column = _line_column(move.after, end)
    return m.Span(span.file, line, column, end_line, end_column, start, end)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _identity(d: Diagnostic) -> tuple:
    return (d.code, d.span.file, d.span.start, d.span.end, d.message)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
