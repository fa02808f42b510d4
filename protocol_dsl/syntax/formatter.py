"""The one canonical layout of .trial source: what `protocol fmt` writes.

`format_source(source, path)` parses a file and prints it back in canonical
layout with every comment kept.  A file with syntax errors is not formatted:
`format_source` raises `FormatError`, which carries the syntax diagnostics.
`format_module(module, comments=(), source=None)` prints a parsed or a
generated module (without `source`, blank lines between members are not
known and comments are placed by their spans only).

The layout:

* 2-space indentation; blank lines only where the writer put them (a run of
  them becomes one; none right after `{` or before `}`), so formatting never
  adds one (a module printed without its source gets one blank line between
  declarations that are not a run of one-liners of one kind);
* inside blocks (form items, code-list entries, table rows, score items, dose
  levels, header fields) and across a run of one-line declarations of one
  kind, the columns are aligned; a cell longer than `CELL_WIDTH` is not
  padded and does not widen its column;
* criterion rules start on their own line with `  = `; a rule or definition
  that does not fit in `WIDTH` columns is broken at its top-level `and`/`or`,
  each continuation line starting under the first operand (`all … satisfy`
  and long `where` filters continue two columns in);
* strings, numbers and units are printed canonically (`printer.quote`
  escapes what must be escaped and nothing else).

Comments: a comment on a line of its own stays before the declaration,
member or continuation line it precedes; a comment after code stays at the
end of that line (a second one on the same line moves above it).  A rule or
definition that holds a comment is broken where the comment is, so that it
keeps its place: after a definition's name, between operands, before
`satisfy`.  A comment where no line can break (inside a comparison, a
clause, the last operand of a rule) moves once: a comment after code to the
end of the line it is on, a comment on a line of its own to before the next
line, taking that line's blank line.  The layout is idempotent, and parsing
the output gives a model equal to the input's.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, cast

import attrs

from protocol_dsl import model as m
from protocol_dsl.diagnostics import Diagnostic
from protocol_dsl.errors import UserError
from protocol_dsl.syntax import printer
from protocol_dsl.syntax.parser import Comment, parse_with_comments

__all__ = ["CELL_WIDTH", "WIDTH", "FormatError", "format_module", "format_source"]

#: Lines are broken to fit in this many columns where the language allows it.
WIDTH = 100
#: Aligned columns are padded to their longest cell of at most this width.
CELL_WIDTH = 32
INDENT = 2

# Precedence contexts of the expression printer (see `printer`): the formatter
# breaks long rules where the printer would put the same operators.
_LOWEST = printer._LOWEST
_IMPLIES = printer._IMPLIES
_OR = printer._OR
_AND = printer._AND


class FormatError(UserError):
    """The file has syntax errors: nothing can be formatted until they are fixed."""

    def __init__(self, path: str, source: str, diagnostics: Sequence[Diagnostic]):
        super().__init__(f"{path}: {len(diagnostics)} syntax error(s)")
        self.path = path
        self.source = source
        self.diagnostics = list(diagnostics)


def format_source(source: str, path: str = "<string>") -> str:
    """The canonical text of `source`; raises `FormatError` if it does not parse."""
    module, diagnostics, comments = parse_with_comments(source, path)
    errors = [d for d in diagnostics if d.is_error]
    if module is None or errors:
        raise FormatError(path, source, errors or diagnostics)
    return format_module(module, comments, source=source)


def format_module(
    module: m.Module, comments: Iterable[Comment] = (), *, source: str | None = None
) -> str:
    """The canonical text of a module, with `comments` put back where they were."""
    return _Formatter(list(comments), source).module(module)


# ---------------------------------------------------------------- lines


@attrs.define
class _Line:
    """One output line before comments are woven in.

    `anchor` is the source offset of the node the line starts with (None for
    lines that print no node of their own, e.g. a `timeframe` clause), used
    to put comments back.  Lines of an aligned block carry `cells` and the id
    of their alignment `group`; their text is computed from the cells, then
    the `parts` (if any) are filled after them, continuing on `more` lines
    (one indentation step in) when the line would pass `WIDTH`.
    """

    indent: int
    text: str = ""
    anchor: int | None = None
    anchor_line: int | None = None
    cells: list[str] | None = None
    parts: list[str] | None = None
    more: list[str] = attrs.Factory(list)
    group: int | None = None
    blank_before: bool = False
    closing: bool = False
    comment: str | None = None
    # the first line of a declaration or of a block member: the writer's blank lines
    # before it (and before the comments above it) are kept; never inside a rule
    spaced: bool = False


@attrs.frozen
class _KeywordLine:
    """Where a line that starts with a keyword begins in the source (see `_keyword_line`)."""

    span: m.Span


def _anchored(indent: int, text: str, node: object | None) -> _Line:
    span = getattr(node, "span", None)
    if span is None or span.end <= 0:
        return _Line(indent, text)
    return _Line(indent, text, span.start, span.line)


_QUANTITY_TEXT = re.compile(
    r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"
    r"(?:[ \t]*[A-Za-z%\[{][A-Za-z0-9_%\[\]{}.*/^']*|\s*'[^'\n]+')"
)
_TITER_TEXT = re.compile(r"1:\d+")
#: What may stand between a comment and the line it precedes without being code of its own:
#: a line may start with an opening parenthesis the source has before the node.
_BLANK_OR_OPENING = " \t\r\n("


# ---------------------------------------------------------------- the formatter


class _Formatter:
    def __init__(self, comments: list[Comment], source: str | None):
        self.comments = sorted(comments, key=lambda c: c.start)
        self.comment_offsets = [c.start for c in self.comments]
        self.source = source
        self.source_lines = source.split("\n") if source is not None else None
        self._groups = itertools.count()
        # each printer takes the declarations of its key's class: `Any` says so to a checker
        self.declaration_printers: dict[type, Callable[[Any], list[_Line]]] = {
            m.Trial: self.trial,
            m.Use: self.use,
            m.CodeList: self.codelist,
            m.Table: self.table,
            m.Form: self.form,
            m.Collect: self.collect,
            m.Define: self.define,
            m.Conversion: self.conversion,
            m.Score: self.score,
            m.ScoreVariant: self.score_variant,
            m.Criterion: self.criterion,
            m.Anchor: self.anchor,
            m.Epoch: self.epoch,
            m.Visit: self.visit,
            m.Cycle: self.cycle,
            m.Repeat: self.repeat,
            m.Activity: self.activity,
            m.Element: self.element,
            m.Arm: self.arm,
            m.Intervention: self.intervention,
            m.DoseFinding: self.dose_finding,
            m.Regimen: self.regimen,
            m.Objective: self.objective,
            m.Amendment: self.amendment,
            m.Mapping: self.mapping,
            m.Randomisation: self.randomisation,
            m.Masking: self.masking,
            m.Population: self.population,
            m.Statistics: self.statistics,
            m.Narrative: self.narrative,
        }

    # ------------------------------------------------------------ module

    def module(self, module: m.Module) -> str:
        lines: list[_Line] = []
        printed_declarations: list[tuple[object, list[_Line]]] = []
        for decl in module.declarations:
            printed = self.declaration_printers[type(decl)](decl)
            first = printed[0]
            if printed_declarations:
                prev_decl, prev_lines = printed_declarations[-1]
                one_liners = len(prev_lines) == 1 and len(printed) == 1
                if self.source_lines is not None:
                    # the writer's blank lines, never one of ours: a blank line
                    # the formatter added would be the writer's on the next run
                    first.blank_before = self._blank_before(decl)
                elif not one_liners:
                    first.blank_before = True
                else:
                    first.blank_before = type(prev_decl) is not type(decl)
            first.spaced = True
            lines += printed
            printed_declarations.append((decl, printed))
        # comments first: a comment moved before a declaration takes its blank line, and
        # runs are cut where the output has a blank line, as the next run will see it
        woven = self._weave(lines)
        _group_runs(printed_declarations, self._groups)
        _align(woven)
        return self._render(woven)

    def _blank_before(self, node: object) -> bool:
        """Whether the writer put a blank line right before `node` (their grouping).

        Only for a node that starts its source line: the blank line before a
        line that holds two members belongs to the first of them.  What lies
        before the node is what counts (not what follows the member before it,
        whose span may end before its closing brace).
        """
        span = getattr(node, "span", None)
        if self.source is None or span is None or span.end <= 0:
            return False
        line_start = self.source.rfind("\n", 0, span.start) + 1
        if self.source[line_start : span.start].strip():
            return False
        return self._blank_line(span.line - 1)

    def _keyword_line(self, word: str, node: m.Ref) -> _KeywordLine:
        """The line a keyword the model keeps no node for starts (`keys sq`), so that the
        writer's blank line is read before the keyword, not before the name after it."""
        start = self._keyword_before(word, node.span.start)
        line = node.span.line
        if self.source is not None:
            line -= self.source.count("\n", start, node.span.start)
        # mypy's attrs plugin knows only attrs' own decorators, not `model.node`
        return _KeywordLine(attrs.evolve(node.span, start=start, line=line))  # type: ignore[misc]

    def _blank_line(self, line: int) -> bool:
        if self.source_lines is None or not 1 <= line <= len(self.source_lines):
            return False
        return not self.source_lines[line - 1].strip()

    def _comments_between(self, low: int, high: int) -> list[int]:
        """The offsets of the comments strictly between source offsets `low` and `high`."""
        first = bisect.bisect_right(self.comment_offsets, low)
        last = bisect.bisect_left(self.comment_offsets, high)
        return self.comment_offsets[first:last]

    def _keyword_before(self, word: str, offset: int) -> int:
        """The offset of `word` when only blanks, opening brackets and comments separate it
        from `offset` in the source; else `offset` itself."""
        if self.source is None:
            return offset
        ends = {c.start + len(c.text): c.start for c in self.comments}
        position = offset
        while position > 0:
            if position in ends:
                position = ends[position]
            elif self.source[position - 1].isspace() or self.source[position - 1] in "{(":
                position -= 1
            else:
                break
        start = position - len(word)
        bounded = not word[0].isalpha() or start == 0 or not _word_char(self.source[start - 1])
        if start >= 0 and self.source[start:position] == word and bounded:
            return start
        return offset

    # A comment after code is put back at the end of the output line it is on, a
    # comment on a line of its own before the output line it precedes, or, when
    # it stands inside that line's code, above the line (`_weave`).  For `fmt` to
    # be idempotent, a comment breaks a node over lines only where it will still
    # be inside the node once put back: after code, before the node's last line
    # of its own (`satisfy`, `else`, the last operand of a chain); on a line of
    # its own, right before one of those lines or inside one after the first.
    # Elsewhere it ends up at the end of the node or above it, where the next run
    # finds it outside; so it breaks nothing, unless it breaks a part of the node.

    def _forced(self, node: m.Expr) -> bool:
        """Whether a comment inside `node` must break it over lines to keep its place."""
        span = node.span
        if span.end <= span.start or not self._comments_between(span.start, span.end):
            return False
        parts = _line_parts(node)
        if not parts:
            return False
        breaks = self._own_breaks(node)
        for offset in self._comments_between(span.start, span.end):
            if self._breaks_at(offset, breaks):
                return True
            inside = next((p for p in parts if p.span.start <= offset < p.span.end), None)
            if inside is not None and self._forced(inside):
                return True
        return False

    def _forced_after(self, start: int, expr: m.Expr) -> bool:
        """Whether `head = expr` (from `start`) must be broken before its `=` for a comment to
        keep its place, or because a comment breaks the expression."""
        if expr.span.end <= 0:
            return False
        breaks = [self._keyword_before("=", expr.span.start)]
        return any(
            self._breaks_at(offset, breaks)
            for offset in self._comments_between(start, expr.span.end)
        ) or self._forced(expr)

    def _own_breaks(self, node: m.Expr) -> list[int]:
        """Where the lines of `node`'s own after its first begin in the source (their keyword)."""
        if isinstance(node, m.Logic) and not printer.is_chain(node):
            operands = _chain_operands(node)[1:]
            return [self._keyword_before(word, _start(operand)) for word, operand, _c in operands]
        if isinstance(node, m.Quantifier) and node.kind == "all" and node.satisfy is not None:
            return [self._keyword_before("satisfy", _start(node.satisfy))]
        if isinstance(node, m.Conditional):
            return [
                self._keyword_before("then", _start(node.then)),
                self._keyword_before("else", _start(node.otherwise)),
            ]
        return []

    def _breaks_at(self, offset: int, breaks: list[int]) -> bool:
        """Whether the comment at `offset` stays inside a node whose lines after the first
        begin at `breaks` only if the node is broken there (see above)."""
        if not breaks:
            return False
        comment = self.comments[self.comment_offsets.index(offset)]
        if self._is_trailing(comment, []):
            return offset < breaks[-1]
        if offset > breaks[0]:
            return True
        following = next((b for b in breaks if b > offset), None)
        return following is not None and not self._code_between(comment, following)

    # ------------------------------------------------------------ comments

    def _is_trailing(self, comment: Comment, lines: list[_Line]) -> bool:
        if self.source is not None:
            line_start = self.source.rfind("\n", 0, comment.start) + 1
            return bool(self.source[line_start : comment.start].strip())
        return any(
            line.anchor_line == comment.line and line.anchor is not None
            for line in lines
            if line.anchor is not None and line.anchor < comment.start
        )

    def _weave(self, lines: list[_Line]) -> list[_Line]:
        """Put every comment back: at the end of its line, or before what it precedes."""
        before: dict[int, list[tuple[Comment, bool]]] = {}
        at_end: list[Comment] = []
        self._anchor_at_line_starts(lines)
        anchored = [(line.anchor, i) for i, line in enumerate(lines) if line.anchor is not None]
        for comment in self.comments:
            if self._is_trailing(comment, lines):
                target = _last_before(anchored, comment.start)
                if target is not None and lines[target].comment is None:
                    lines[target].comment = comment.text
                    continue
                if target is not None:  # that line has its comment already
                    before.setdefault(target, []).append((comment, True))
                    continue
            target = next((i for anchor, i in anchored if anchor > comment.start), None)
            # a comment inside a line's code (`visit\n# c\nV day 1`) moves above that
            # line: like a trailing comment moved above its line, it takes the line's
            # blank line, not the writer's blank lines around it
            following = lines[target].anchor if target is not None else None
            moved = self._code_between(comment, following)
            inside = _last_before(anchored, comment.start) if moved else None
            if inside is not None:
                before.setdefault(inside, []).append((comment, True))
            elif target is None:
                at_end.append(comment)
            else:
                before.setdefault(target, []).append((comment, False))
        woven: list[_Line] = []
        for i, line in enumerate(lines):
            group = before.get(i)
            if group:
                indent = line.indent + (INDENT if line.closing else 0)
                blank = line.blank_before
                for comment, moved in group:
                    if not moved and line.spaced and self.source is not None:
                        blank = self._blank_line(comment.line - 1)
                    woven.append(_Line(indent, comment.text, blank_before=blank))
                    blank = not moved and line.spaced and self._blank_line(comment.line + 1)
                line.blank_before = blank
            woven.append(line)
        blank = bool(at_end) and self._blank_line(at_end[0].line - 1)
        for comment in at_end:
            woven.append(_Line(0, comment.text, blank_before=blank))
            blank = self._blank_line(comment.line + 1)
        return woven

    def _anchor_at_line_starts(self, lines: list[_Line]) -> None:
        """Anchor each line where its text begins in the source, not where its node does:
        `= rule`, `and x`, `satisfy x`, `form F` begin with a word before their node, and a
        comment between that word and the node is inside the line, not before it."""
        if self.source is None:
            return
        for line in lines:
            if line.anchor is None:
                continue
            text = line.cells[0] if line.cells else line.text
            word = text.split(" ", 1)[0]
            if not word or self._word_at(word, line.anchor):
                continue
            start = self._keyword_before(word, line.anchor)
            if start != line.anchor:
                if line.anchor_line is not None:
                    line.anchor_line -= self.source.count("\n", start, line.anchor)
                line.anchor = start

    def _word_at(self, word: str, offset: int) -> bool:
        """Whether the source has `word` at `offset` (a whole word: `or` is not `ore`)."""
        assert self.source is not None
        end = offset + len(word)
        if not self.source.startswith(word, offset):
            return False
        return (
            not _word_char(word[-1]) or end >= len(self.source) or not _word_char(self.source[end])
        )

    def _code_between(self, comment: Comment, offset: int | None) -> bool:
        """Whether code (not blanks or comments) lies between the end of `comment` and
        `offset` (None: the end) in the source."""
        if self.source is None:
            return False
        if offset is None:
            offset = len(self.source)
        position = comment.start + len(comment.text)
        for start in self._comments_between(comment.start, offset):
            if self.source[position:start].strip(_BLANK_OR_OPENING):
                return True
            position = start + len(self.comments[self.comment_offsets.index(start)].text)
        return bool(self.source[position:offset].strip(_BLANK_OR_OPENING))

    @staticmethod
    def _render(lines: list[_Line]) -> str:
        out: list[str] = []
        opened = False  # the line before opened a block: no blank line right after `{`
        for line in lines:
            if line.blank_before and out and not line.closing and not opened:
                out.append("")
            last = line.more[-1] if line.more else line.text
            opened = last.endswith("{") and not last.lstrip().startswith("#")
            text = line.text
            if line.comment is not None:
                text = f"{text}  {line.comment}" if text else line.comment
            out.append((" " * line.indent + text).rstrip())
            out += [(" " * (line.indent + INDENT) + more).rstrip() for more in line.more]
        return "\n".join(out) + "\n" if out else ""

    # ------------------------------------------------------------ small parts

    @staticmethod
    def string(text: str) -> str:
        # one printer for every string: the same text is spelled the same way
        # wherever it is, whatever escapes the writer used
        return printer.quote(text)

    def clauses(self, *clauses: tuple[str, str | None]) -> list[str]:
        """`keyword "text"` for each clause whose text is given, in order."""
        return [f"{keyword} {self.string(text)}" for keyword, text in clauses if text is not None]

    def label(self, text: str | None) -> str:
        return self.string(text) if text is not None else ""

    def mark(self, mark: m.Mark) -> str:
        if mark.kind == "provisional":
            return "provisional"
        if mark.kind == "allow":
            return f"allow {mark.code} {self.string(mark.text)}"
        if mark.kind == "was":
            return f"was {mark.text}"
        return f"{mark.kind} {self.string(mark.text)}"

    def marks(self, marks: m.Marks) -> list[str]:
        return [self.mark(k) for k in marks]

    @staticmethod
    def codes(codes: Iterable[m.Code]) -> list[str]:
        return [printer.code(c) for c in codes]

    def value(self, v: m.Value) -> str:
        """A field value, as written where the text still says the same thing."""
        text = v.text
        if v.kind == "quantity" and _QUANTITY_TEXT.fullmatch(text):
            return text
        if v.kind == "titer" and _TITER_TEXT.fullmatch(text) and int(text[2:]) == v.value:
            return text
        if v.kind == "string":
            return self.string(str(v.value))
        return printer.value(v)

    def field_cells(self, f: m.Field) -> list[str]:
        rest = [", ".join(self.value(v) for v in f.values), *self.codes(f.codes)]
        return [f.key, _join([*rest, *self.marks(f.marks)])]

    def fields(self, fields: Iterable[m.Field], indent: int) -> list[tuple[object, list[_Line]]]:
        group = next(self._groups)
        return [(f, self.field_lines(f, indent, group)) for f in fields]

    def field_lines(self, f: m.Field, indent: int, group: int) -> list[_Line]:
        """A field's row; with details, the row opens a block of their own aligned rows."""
        cells = self.field_cells(f)
        if not f.details:
            return [self.row(indent, cells, f, group)]
        cells[-1] = _join([cells[-1], "{"])
        lines = [self.row(indent, cells, f, group)]
        for _detail, detail_lines in self.fields(f.details, indent + INDENT):
            lines += detail_lines
        lines.append(self.closing(indent, f))
        return lines

    def row(self, indent: int, cells: list[str], node: object, group: int) -> _Line:
        line = _anchored(indent, "", node)
        line.cells = cells
        line.group = group
        return line

    def header(self, indent: int, head: list[str], parts: list[str], node: object) -> list[_Line]:
        """A block header `head parts… {`, filled onto continuation lines when too long."""
        return self.filled(indent, head, parts, "{", node)

    def filled(
        self, indent: int, head: list[str], parts: list[str], suffix: str, node: object
    ) -> list[_Line]:
        texts = [_join(head)]
        parts = [p for p in parts if p]
        for k, part in enumerate(parts):
            tail = len(suffix) + 1 if suffix and k == len(parts) - 1 else 0
            current_indent = indent if len(texts) == 1 else indent + INDENT
            fits = current_indent + len(texts[-1]) + 1 + len(part) + tail <= WIDTH
            if fits or (len(texts) > 1 and texts[-1] == ""):
                texts[-1] = _join([texts[-1], part])
            else:
                texts.append(part)
        if suffix:
            texts[-1] = _join([texts[-1], suffix])
        lines = [_anchored(indent, texts[0], node)]
        lines += [_Line(indent + INDENT, t) for t in texts[1:]]
        return lines

    def closing(self, indent: int, node: object | None) -> _Line:
        line = _Line(indent, "}", closing=True, spaced=True)
        span = getattr(node, "span", None)
        if span is not None and span.end > 0:
            line.anchor = span.end - 1
            line.anchor_line = span.end_line
        return line

    def block(
        self,
        opening: list[_Line],
        members: Sequence[tuple[object, list[_Line]]],
        node: object | None,
    ) -> list[_Line]:
        """Opening lines, members (each a list of lines) in order, and the closing brace."""
        lines = list(opening)
        printed = [(member, member_lines) for member, member_lines in members if member_lines]
        for k, (member, member_lines) in enumerate(printed):
            if k:
                member_lines[0].blank_before = self._blank_before(member)
            member_lines[0].spaced = True
            lines += member_lines
        lines.append(self.closing(opening[0].indent, node))
        return lines

    def mark_lines(self, indent: int, marks: m.Marks) -> list[_Line]:
        return [_anchored(indent, self.mark(k), k) for k in marks]

    # ------------------------------------------------------------ expressions

    def rule_lines(
        self, indent: int, prefix: str, expr: m.Expr, *, one_per_line: bool = False
    ) -> list[_Line]:
        """`prefix` then the rule at `indent`, broken to fit (first line anchored on the rule).

        With `one_per_line` (criteria), a top-level `and`/`or` chain, or the
        filter of a top-level `any`/`all`, is broken even when it would fit.
        """
        laid = self.layout(expr, indent + len(prefix), _LOWEST, force=one_per_line)
        _column, first_text, _anchor = laid[0]
        lines = [_anchored(indent, prefix + first_text, expr)]
        for col, text, anchor in laid[1:]:
            lines.append(_anchored(col, text, anchor))
        return lines

    def layout(
        self, node: m.Expr, col: int, context: int, *, force: bool = False
    ) -> list[tuple[int, str, object]]:
        """The lines of an expression placed at column `col`: (column, text, anchor node)."""
        flat = printer._expr(node, context)
        breakable = (
            isinstance(node, (m.Logic, m.Quantifier))
            and not printer.is_chain(node)
            and flat == printer.expr(node)
        )
        if col + len(flat) <= WIDTH and not self._forced(node) and not (force and breakable):
            return [(col, flat, node)]
        if flat != printer.expr(node):  # parenthesised in this context
            return _enclose(self.layout(node, col + 1, _LOWEST))
        if isinstance(node, m.Logic) and not printer.is_chain(node):
            return self.chain(node, col, col)
        if isinstance(node, m.Quantifier):
            return self.quantifier(node, col, force=force)
        if isinstance(node, m.Conditional):
            return self.conditional(node, col)
        if isinstance(node, m.Not):
            inner = flat[len("not ") :]
            if inner != printer.expr(node.expr):
                laid = _enclose(self.layout(node.expr, col + len("not ("), _LOWEST))
                return _prefixed("not ", laid, node)
        return [(col, flat, node)]

    def chain(self, node: m.Logic, col: int, continuation: int) -> list[tuple[int, str, object]]:
        """`a or b or c` as one operand per line, each continuation at `continuation`."""
        operands = _chain_operands(node)
        _keyword, first, context = operands[0]
        laid = self.layout(first, col, context)
        for keyword, operand, context in operands[1:]:
            sub = self.layout(operand, continuation + len(keyword) + 1, context)
            laid.append((continuation, f"{keyword} {sub[0][1]}", sub[0][2]))
            laid += sub[1:]
        return laid

    def quantifier(
        self, node: m.Quantifier, col: int, *, force: bool = False
    ) -> list[tuple[int, str, object]]:
        head = f"{node.kind} {node.form}"
        laid: list[tuple[int, str, object]]
        if node.where is None:
            laid = [(col, head, node)]
        else:
            head += " where "
            where_col = col + len(head)
            where_flat = printer._expr(node.where, _IMPLIES)
            chain = (
                isinstance(node.where, m.Logic)
                and not printer.is_chain(node.where)
                and where_flat == printer.expr(node.where)
            )
            fits = where_col + len(where_flat) <= WIDTH and not self._forced(node.where)
            if fits and not (force and chain):
                laid = [(col, head + where_flat, node)]
            else:
                if chain:
                    sub = self.chain(cast(m.Logic, node.where), where_col, col + INDENT)
                else:
                    sub = self.layout(node.where, where_col, _IMPLIES)
                laid = [(col, head + sub[0][1], node), *sub[1:]]
        if node.kind == "all" and node.satisfy is not None:
            sub = self.layout(node.satisfy, col + INDENT + len("satisfy "), _LOWEST)
            laid.append((col + INDENT, f"satisfy {sub[0][1]}", sub[0][2]))
            laid += sub[1:]
        return laid

    def conditional(self, node: m.Conditional, col: int) -> list[tuple[int, str, object]]:
        laid = _prefixed("if ", self.layout(node.condition, col + 3, _LOWEST), node)
        for word, part in (("then", node.then), ("else", node.otherwise)):
            sub = self.layout(part, col + INDENT + len(word) + 1, _LOWEST)
            laid.append((col + INDENT, f"{word} {sub[0][1]}", sub[0][2]))
            laid += sub[1:]
        return laid

    # ------------------------------------------------------------ declarations

    def trial(self, decl: m.Trial) -> list[_Line]:
        opening = [_anchored(0, f"trial {decl.name} {{", decl)]
        return self.block(opening, self.fields(decl.fields, INDENT), decl)

    def use(self, decl: m.Use) -> list[_Line]:
        return [self.one_liner(f"use {self.string(decl.path)}", None, [f"as {decl.alias}"], decl)]

    def codelist(self, decl: m.CodeList) -> list[_Line]:
        head = ["codelist", decl.name, self.label(decl.label)]
        opening = self.header(0, head, [*self.codes(decl.codes), *self.marks(decl.marks)], decl)
        group = next(self._groups)
        members: list[tuple[object, list[_Line]]] = []
        for entry in decl.entries:
            rest = _join([*self.codes(entry.codes), *self.marks(entry.marks)])
            cells = [entry.name, self.label(entry.label), rest]
            members.append((entry, [self.row(INDENT, cells, entry, group)]))
        return self.block(opening, members, decl)

    def table(self, decl: m.Table) -> list[_Line]:
        opening = self.header(
            0, ["table", decl.name, self.label(decl.label)], self.marks(decl.marks), decl
        )
        members: list[tuple[object, list[_Line]]] = []
        if decl.version is not None:
            members.append((None, [_Line(INDENT, f"version {self.string(decl.version)}")]))
        if decl.keys is not None:
            line = _anchored(INDENT, f"keys {decl.keys.dotted}", decl.keys)
            members.append((self._keyword_line("keys", decl.keys), [line]))
        group = next(self._groups)
        for row in decl.rows:
            cells = [row.key, self.value(row.value), _join(self.marks(row.marks))]
            members.append((row, [self.row(INDENT, cells, row, group)]))
        return self.block(opening, members, decl)

    # -- forms

    def form(self, decl: m.Form) -> list[_Line]:
        parts = ["repeating" if decl.repeating else ""]
        if decl.visits:
            parts.append("at " + ", ".join(decl.visits))
        if decl.none_recorded_by is not None:
            parts.append("none_recorded_by " + decl.none_recorded_by.dotted)
        parts += [*self.codes(decl.codes), *self.marks(decl.marks)]
        opening = self.header(0, ["form", decl.name, self.label(decl.label)], parts, decl)
        group = next(self._groups)
        members: list[tuple[int, int, object, list[_Line]]] = []
        order = itertools.count()
        grouped = _items_by_group(decl)
        for entry in grouped:
            if isinstance(entry, m.Item):
                line = self.row(INDENT, self.item_cells(entry), entry, group)
                members.append((_start(entry), next(order), entry, [line]))
            else:
                item_group, items = entry
                members.append(
                    (
                        _start(item_group),
                        next(order),
                        item_group,
                        self.item_group(item_group, items),
                    )
                )
        for derive in decl.derives:
            members.append((_start(derive), next(order), derive, self.derive(derive)))
        members.sort(key=lambda member: (member[0], member[1]))
        return self.block(opening, [(node, lines) for _s, _o, node, lines in members], decl)

    def item_cells(self, item: m.Item) -> list[str]:
        kind = item.type.kind
        if kind == "quantity":
            type_text = f"quantity {printer.unit(item.type.unit or '')}"
        elif kind == "choice" and item.type.codelist is not None:
            type_text = f"choice {item.type.codelist.dotted}"
        else:
            type_text = kind
        rest: list[str] = []
        if item.range is not None:
            rest.append(f"range {_bound(item.range.low)} .. {_bound(item.range.high)}")
        if item.required:
            rest.append("required")
        if item.for_reporting:
            rest.append("for_reporting")
        if item.partial:
            rest.append("partial" + (f" impute {item.impute}" if item.impute else ""))
        if item.visits is not None:
            rest.append("collected at " + ", ".join(item.visits))
        if item.when is not None:
            rest.append(f"when {printer.expr(item.when)}")
        rest += [*self.codes(item.codes), *self.marks(item.marks)]
        return [item.name, type_text, self.label(item.label), _join(rest)]

    def item_group(self, group: m.ItemGroup, items: list[m.Item]) -> list[_Line]:
        opening = [
            _anchored(INDENT, _join(["group", group.name, self.label(group.label), "{"]), group)
        ]
        table = next(self._groups)
        members = [
            (item, [self.row(2 * INDENT, self.item_cells(item), item, table)]) for item in items
        ]
        return self.block(opening, members, group)

    def derive(self, derive: m.Derive) -> list[_Line]:
        head = _join(["derive", derive.name, self.label(derive.label)])
        return self.definition(INDENT, head, derive.expr, derive.marks, derive)

    def definition(
        self, indent: int, head: str, expr: m.Expr, marks: m.Marks, node: object
    ) -> list[_Line]:
        """`head = expr marks` on one line if it fits, else the rule and marks below it."""
        one_line = _join([head, "=", printer.expr(expr), *self.marks(marks)])
        if indent + len(one_line) <= WIDTH and not self._forced_after(_start(node), expr):
            return [_anchored(indent, one_line, node)]
        lines = [_anchored(indent, head, node)]
        lines += self.rule_lines(indent + INDENT, "= ", expr)
        lines += self.mark_lines(indent + INDENT, marks)
        return lines

    def collect(self, decl: m.Collect) -> list[_Line]:
        rest = [f"at {', '.join(decl.visits)}", *self.marks(decl.marks)]
        return [self.one_liner(f"collect {decl.form.dotted}", None, rest, decl)]

    def define(self, decl: m.Define) -> list[_Line]:
        name = f"{decl.name}({', '.join(decl.params)})" if decl.params else decl.name
        head = _join(["define", name, self.label(decl.label)])
        return self.definition(0, head, decl.expr, decl.marks, decl)

    def conversion(self, decl: m.Conversion) -> list[_Line]:
        """`conversion NAME "label" from U to U = formula [codes] marks`, the formula and codes
        on a line of their own when it does not fit."""
        head = _join(
            [
                "conversion",
                decl.name,
                self.label(decl.label),
                f"from {printer.unit(decl.source)} to {printer.unit(decl.target)}",
            ]
        )
        formula = _join(["=", printer.expr(decl.expr), *self.codes(decl.codes)])
        one_line = _join([head, formula, *self.marks(decl.marks)])
        if len(one_line) <= WIDTH and not self._forced_after(_start(decl), decl.expr):
            return [_anchored(0, one_line, decl)]
        # the formula line is anchored on the formula, so that a comment before it stays there
        lines = [
            _anchored(0, head, decl),
            _anchored(INDENT, formula, decl.expr),
        ]
        lines += self.mark_lines(INDENT, decl.marks)
        return lines

    # -- scores

    def score(self, decl: m.Score) -> list[_Line]:
        opening = self.header(0, ["score", decl.name, self.label(decl.label)], [], decl)
        members: list[tuple[object, list[_Line]]] = []
        for mark in decl.marks:
            members.append((mark, [_anchored(INDENT, self.mark(mark), mark)]))
        if decl.form is not None:
            line = _anchored(INDENT, f"form {decl.form.dotted}", decl.form)
            members.append((self._keyword_line("form", decl.form), [line]))
        if decl.rule != "sum_all":
            members.append((None, [_Line(INDENT, f"rule {decl.rule}")]))
        if decl.lookback is not None:
            members.append((None, [_Line(INDENT, f"lookback {printer.quantity(decl.lookback)}")]))
        if decl.range is not None:
            low, high = decl.range
            members.append(
                (None, [_Line(INDENT, f"range {printer.number(low)} .. {printer.number(high)}")])
            )
        for domain in decl.domains:
            members.append((domain, self.score_domain(domain)))
        return self.block(opening, members, decl)

    def score_domain(self, domain: m.ScoreDomain) -> list[_Line]:
        head = _join(["domain", domain.name, self.label(domain.label), *domain.tags, "{"])
        opening = [_anchored(INDENT, head, domain)]
        group = next(self._groups)
        members: list[tuple[object, list[_Line]]] = []
        for item in domain.items:
            rest = [f"= {printer.expr(item.expr)}"] if item.expr is not None else []
            cells = [
                item.name,
                printer.number(item.weight),
                self.label(item.label),
                _join([*rest, *self.marks(item.marks)]),
            ]
            members.append((item, [self.row(2 * INDENT, cells, item, group)]))
        return self.block(opening, members, domain)

    def score_variant(self, decl: m.ScoreVariant) -> list[_Line]:
        rest = [f"= {decl.base.dotted} without {', '.join(decl.without)}", *self.marks(decl.marks)]
        return [self.one_liner(f"score {decl.name}", decl.label, rest, decl)]

    # -- eligibility

    def criterion(self, decl: m.Criterion) -> list[_Line]:
        lines = [_anchored(0, f"{decl.kind} {decl.id} {self.string(decl.text)}", decl)]
        if decl.rule is not None:
            lines += self.rule_lines(INDENT, "= ", decl.rule, one_per_line=True)
        elif decl.attested:
            attestation = decl.attestation
            text = "= attested" + (
                f" {self.string(attestation)}" if attestation is not None else ""
            )
            lines.append(_Line(INDENT, text))
        lines += self.mark_lines(INDENT, decl.marks)
        return lines

    # -- schedule

    def anchor(self, decl: m.Anchor) -> list[_Line]:
        marks = self.marks(decl.marks)
        if decl.expr is not None and decl.visit is None:
            head = _join(["anchor", decl.name, self.label(decl.label)])
            target = f"= {printer.expr(decl.expr)}"
            too_long = len(_join([head, target, *marks])) > WIDTH
            if too_long or self._forced_after(_start(decl), decl.expr):
                return self.definition(0, head, decl.expr, decl.marks, decl)
        else:
            target = f"= visit {decl.visit}"
        return [self.one_liner(f"anchor {decl.name}", decl.label, [target, *marks], decl)]

    def one_liner(self, head: str, label: str | None, rest: list[str], node: object) -> _Line:
        """A one-line declaration: aligned with its neighbours of the same kind, the rest
        of its clauses continued on further lines when it does not fit."""
        line = _anchored(0, "", node)
        line.cells = [head, self.label(label)]
        line.parts = [p for p in rest if p]
        return line

    def epoch(self, decl: m.Epoch) -> list[_Line]:
        return [self.one_liner(f"epoch {decl.name}", decl.label, self.marks(decl.marks), decl)]

    def visit(self, decl: m.Visit) -> list[_Line]:
        rest: list[str] = []
        if decl.week is not None:
            rest.append(f"week {decl.week}")
        elif decl.day is not None:
            day = f"day {decl.day}"
            if decl.day_end is not None:
                day += f" .. {decl.day_end}"
            rest.append(day)
        if decl.window_before or decl.window_after:
            before = f"-{decl.window_before}" if decl.window_before else "0"
            after = f"+{decl.window_after}" if decl.window_after else "0"
            rest.append(f"window {before} {after}")
        if decl.epoch is not None:
            rest.append(f"in {decl.epoch}")
        if decl.number is not None:
            rest.append(f"number {printer.number(decl.number)}")
        if decl.unscheduled:
            rest.append("unscheduled")
        if decl.early_termination:
            rest.append("early_termination")
        rest += self.clauses(
            ("when", decl.condition), ("starts", decl.start_rule), ("ends", decl.end_rule)
        )
        if decl.after is not None:
            rest.append(printer.position(decl.after))
        rest += self.marks(decl.marks)
        return [self.one_liner(f"visit {decl.name}", decl.label, rest, decl)]

    @staticmethod
    def window(before: int, after: int) -> list[str]:
        if not before and not after:
            return []
        if before == after:
            return [f"window ± {before}"]
        return [f"window {f'-{before}' if before else '0'} {f'+{after}' if after else '0'}"]

    def cycle(self, decl: m.Cycle) -> list[_Line]:
        parts = [f"lasts {printer.quantity(decl.length)}"]
        if decl.epoch is not None:
            parts.append(f"in {decl.epoch}")
        if decl.count is not None:
            parts.append(f"count {decl.count}")
        if decl.up_to is not None:
            parts.append(f"up_to {decl.up_to}")
        parts += self.clauses(("until", decl.until), ("names", decl.names))
        if decl.start is not None:
            parts.append(f"starts {printer.position(decl.start)}")
        parts += self.marks(decl.marks)
        opening = self.header(0, ["cycle", decl.name, self.label(decl.label)], parts, decl)
        members: list[tuple[object, list[_Line]]] = []
        for visit in decl.visits:
            members.append((visit, self.cycle_visit(visit)))
        return self.block(opening, members, decl)

    def cycle_visit(self, visit: m.CycleVisit) -> list[_Line]:
        parts: list[str] = []
        if visit.day is not None:
            day = f"day {visit.day}"
            if visit.day_end is not None:
                day += f" .. {visit.day_end}"
            parts.append(day)
        parts += self.window(visit.window_before, visit.window_after)
        if visit.epoch is not None:
            parts.append(f"in {visit.epoch}")
        parts += self.clauses(("when", visit.condition))
        if visit.cycles_from is not None:
            if visit.single_cycle:
                parts.append(f"cycles {visit.cycles_from}")
            elif visit.cycles_to is None:
                parts.append(f"cycles {visit.cycles_from} ..")
            else:
                parts.append(f"cycles {visit.cycles_from} .. {visit.cycles_to}")
        parts += self.marks(visit.marks)
        head = ["visit", visit.name, self.label(visit.label)]
        if not visit.timepoints:
            return self.filled(INDENT, head, parts, "", visit)
        opening = self.header(INDENT, head, parts, visit)
        group = next(self._groups)
        members: list[tuple[object, list[_Line]]] = []
        for point in visit.timepoints:
            rest: list[str] = []
            if point.offset is not None and point.direction is not None:
                rest.append(f"{printer.quantity(point.offset)} {point.direction} {point.reference}")
            if point.window is not None:
                rest.append(f"window ± {printer.quantity(point.window)}")
            cells = [
                f"timepoint {point.name}",
                self.label(point.label),
                _join([*rest, *self.marks(point.marks)]),
            ]
            members.append((point, [self.row(2 * INDENT, cells, point, group)]))
        return self.block(opening, members, visit)

    def repeat(self, decl: m.Repeat) -> list[_Line]:
        start = "from" if decl.start_inclusive else "after"
        rest = [f"every {printer.quantity(decl.every)}", f"{start} {printer.position(decl.start)}"]
        if decl.end is not None:
            rest.append(f"to {printer.position(decl.end)}")
        rest += self.clauses(("until", decl.until))
        if decl.at_most is not None:
            rest.append(f"at_most {decl.at_most}")
        rest += self.window(decl.window_before, decl.window_after)
        if decl.epoch is not None:
            rest.append(f"in {decl.epoch}")
        rest += self.clauses(("when", decl.condition), ("names", decl.names))
        rest += self.marks(decl.marks)
        return [self.one_liner(f"repeat {decl.name}", decl.label, rest, decl)]

    def activity(self, decl: m.Activity) -> list[_Line]:
        rest = ["at " + ", ".join(decl.visits), *self.clauses(("when", decl.condition))]
        rest += self.marks(decl.marks)
        return [self.one_liner(f"activity {decl.name}", decl.label, rest, decl)]

    def element(self, decl: m.Element) -> list[_Line]:
        rest = self.clauses(("starts", decl.start), ("ends", decl.end))
        if decl.duration is not None:
            rest.append(f"lasts {printer.quantity(decl.duration)}")
        if decl.dose is not None:
            rest.append(f"dose {printer.quantity(decl.dose)}")
        if decl.regimen is not None:
            rest.append(f"dosing {decl.regimen}")
        rest += self.marks(decl.marks)
        return [self.one_liner(f"element {decl.name}", decl.label, rest, decl)]

    def arm(self, decl: m.Arm) -> list[_Line]:
        parts: list[str] = []
        if decl.type is not None:
            parts.append(f"type {decl.type}")
        if decl.receives:
            parts.append("receives " + ", ".join(decl.receives))
        if decl.description is not None:
            parts.append(f"description {self.string(decl.description)}")
        if decl.regimens:
            parts.append("dosing " + ", ".join(decl.regimens))
        parts += self.marks(decl.marks)
        head = ["arm", decl.name, self.label(decl.label)]
        if not decl.steps:
            return self.filled(0, head, parts, "", decl)
        opening = self.header(0, head, parts, decl)
        group = next(self._groups)
        members: list[tuple[object, list[_Line]]] = []
        for step in decl.steps:
            rest = [f"in {step.epoch}"]
            if step.branch is not None:
                rest.append(f"branch {self.string(step.branch)}")
            if step.transition is not None:
                rest.append(f"transition {self.string(step.transition)}")
            members.append((step, [self.row(INDENT, [step.element, _join(rest)], step, group)]))
        return self.block(opening, members, decl)

    # -- intervention and dose finding

    def intervention(self, decl: m.Intervention) -> list[_Line]:
        opening = self.header(0, ["intervention", decl.name, self.label(decl.label)], [], decl)
        return self.block(opening, self.fields(decl.fields, INDENT), decl)

    def dose_finding(self, decl: m.DoseFinding) -> list[_Line]:
        opening = [_anchored(0, f"dose_finding {decl.intervention} {{", decl)]
        members: list[tuple[int, int, object, list[_Line]]] = []
        order = itertools.count()
        if decl.levels or decl.levels_marks:
            first = min((n for n in (*decl.levels, *decl.levels_marks)), key=_start, default=None)
            members.append((_start(first), next(order), first, self.dose_levels(decl)))
        if decl.design is not None:
            members.append(
                (_start(decl.design), next(order), decl.design, self.design(decl.design))
            )
        window = decl.dlt_window
        if window is not None:
            if window.cycle is not None or window.duration is None:
                head = f"dlt_window cycle {window.cycle}"
            else:
                head = f"dlt_window {printer.quantity(window.duration)} from {window.anchor}"
            text = _join([head, *self.marks(window.marks)])
            members.append((_start(window), next(order), window, [_anchored(INDENT, text, window)]))
        if decl.regimen is not None:
            # the model keeps no node for the clause: it goes before the other members
            members.append((-1, next(order), None, [_Line(INDENT, f"regimen {decl.regimen}")]))
        dlt = decl.dlt_definition
        if dlt is not None:
            text = _join([f"dlt {self.string(dlt.text)}", *self.marks(dlt.marks)])
            members.append((_start(dlt), next(order), dlt, [_anchored(INDENT, text, dlt)]))
        for step_up in decl.step_ups:
            members.append((_start(step_up), next(order), step_up, self.step_up(step_up)))
        for f, lines in self.fields(decl.fields, INDENT):
            members.append((_start(f), next(order), f, lines))
        for scenario in decl.scenarios:
            rates = ", ".join(printer.signed(r) for r in scenario.rates)
            text = _join(
                [
                    "scenario",
                    scenario.name,
                    self.label(scenario.label),
                    f"= {rates}",
                    *self.marks(scenario.marks),
                ]
            )
            members.append(
                (_start(scenario), next(order), scenario, [_anchored(INDENT, text, scenario)])
            )
        members.sort(key=lambda member: (member[0], member[1]))
        return self.block(opening, [(node, lines) for _s, _o, node, lines in members], decl)

    def regimen(self, decl: m.Regimen) -> list[_Line]:
        head = ["regimen", decl.name, self.label(decl.label), f"of {decl.intervention}"]
        opening = self.header(0, head, self.marks(decl.marks), decl)
        members: list[tuple[object, list[_Line]]] = []
        if decl.dose is not None or decl.per is not None:
            text = "dose" if decl.dose is None else f"dose {printer.quantity(decl.dose)}"
            if decl.per is not None:
                text += f" per {decl.per.dotted}"
            members.append((None, [_Line(INDENT, text)]))
        if decl.days is not None:
            days = decl.days
            members.append((days, [_anchored(INDENT, dosing_days(days), days)]))
        if decl.at_most is not None:
            members.append((None, [_Line(INDENT, f"at_most {decl.at_most} administrations")]))
        if decl.reductions:
            members.append((None, self.reductions(decl.reductions)))
        # the clauses in one order (the model keeps no node for three of them), then the
        # settings as written
        members += self.fields(decl.fields, INDENT)
        return self.block(opening, members, decl)

    def reductions(self, reductions: tuple[m.DoseReduction, ...]) -> list[_Line]:
        opening = [_Line(INDENT, "reduce {")]
        group = next(self._groups)
        members: list[tuple[object, list[_Line]]] = []
        for level in reductions:
            cells = [
                level.name,
                printer.quantity(level.dose),
                _join([self.label(level.label), *self.marks(level.marks)]),
            ]
            members.append((level, [self.row(2 * INDENT, cells, level, group)]))
        return self.block(opening, members, None)

    def dose_levels(self, decl: m.DoseFinding) -> list[_Line]:
        opening = [_Line(INDENT, _join(["levels", *self.marks(decl.levels_marks), "{"]))]
        candidates: list[m.DoseLevel | m.Mark] = [*decl.levels, *decl.levels_marks]
        first = min(candidates, key=_start, default=None)
        if first is not None and first.span.end > 0:
            # the `levels` keyword has no node: the line is anchored where it is, so that a
            # comment between it and the first level stays inside the block
            start = self._keyword_before("levels", first.span.start)
            line = first.span.line
            if self.source is not None:
                line -= self.source.count("\n", start, first.span.start)
            opening[0].anchor, opening[0].anchor_line = start, line
        group = next(self._groups)
        members: list[tuple[object, list[_Line]]] = []
        for level in decl.levels:
            cells = [level.name, printer.quantity(level.dose), _join(self.marks(level.marks))]
            members.append((level, [self.row(2 * INDENT, cells, level, group)]))
        return self.block(opening, members, None)

    def design(self, design: m.EscalationDesign) -> list[_Line]:
        head = _join(["design", design.kind, *self.marks(design.marks), "{"])
        opening = [_anchored(INDENT, head, design)]
        return self.block(opening, self.fields(design.parameters, 2 * INDENT), design)

    def step_up(self, step_up: m.StepUp) -> list[_Line]:
        head = _join(["step_up at " + ", ".join(step_up.levels), *self.marks(step_up.marks), "{"])
        opening = [_anchored(INDENT, head, step_up)]
        group = next(self._groups)
        members: list[tuple[object, list[_Line]]] = []
        for step in step_up.steps:
            cells = [
                f"day {step.day}:",
                printer.quantity(step.amount),
                _join(self.marks(step.marks)),
            ]
            members.append((step, [self.row(2 * INDENT, cells, step, group)]))
        return self.block(opening, members, step_up)

    # -- objectives, amendments, mappings

    def objective(self, decl: m.Objective) -> list[_Line]:
        head = ["objective", decl.name, decl.level, self.string(decl.text)]
        opening = self.header(0, head, self.marks(decl.marks), decl)
        members: list[tuple[object, list[_Line]]] = [
            (endpoint, self.endpoint(endpoint)) for endpoint in decl.endpoints
        ]
        members += [(estimand, self.estimand(estimand)) for estimand in decl.estimands]
        # endpoints and estimands in the order written (a stable sort keeps the
        # canonical order of a module built without source)
        members.sort(key=lambda member: _start(member[0]))
        return self.block(opening, members, decl)

    def estimand(self, estimand: m.Estimand) -> list[_Line]:
        """The five attributes in ICH E9(R1)'s order, one clause per line."""
        head = ["estimand", estimand.name, self.label(estimand.label)]
        opening = self.header(INDENT, head, self.marks(estimand.marks), estimand)
        indent = 2 * INDENT
        members: list[tuple[object, list[_Line]]] = []
        if estimand.treatment or estimand.comparator:
            arms = " versus ".join(
                ", ".join(ref.dotted for ref in side)
                for side in (estimand.treatment, estimand.comparator)
                if side
            )
            first = (estimand.treatment or estimand.comparator)[0]
            members.append((None, [_anchored(indent, f"treatment {arms}", first)]))
        for word, ref in (("population", estimand.population), ("variable", estimand.variable)):
            if ref is not None:
                members.append((None, [_anchored(indent, f"{word} {ref.dotted}", ref)]))
        if estimand.no_intercurrent:
            members.append((None, [_Line(indent, "intercurrent none")]))
        for event in estimand.intercurrent:
            head = ["intercurrent", self.string(event.text), event.strategy]
            parts = [self.label(event.detail)]
            if event.occurs is not None:
                parts.append(f"when {printer.expr(event.occurs)}")
            parts += self.marks(event.marks)
            members.append((event, self.filled(indent, head, parts, "", event)))
        if estimand.summary is not None:
            members.append((None, [_Line(indent, f"summary {self.string(estimand.summary)}")]))
        return self.block(opening, members, estimand)

    # -- analysis sets and statistics

    def population(self, decl: m.Population) -> list[_Line]:
        """`population NAME "label" = rule [codes] marks`, the rule below when it does not fit."""
        head = _join([decl.kind, decl.name, self.label(decl.label)])
        codes = self.codes(decl.codes)
        one_line = _join([head, "=", printer.expr(decl.rule), *codes, *self.marks(decl.marks)])
        if len(one_line) <= WIDTH and not self._forced_after(_start(decl), decl.rule):
            return [_anchored(0, one_line, decl)]
        lines = [_anchored(0, head, decl)]
        lines += self.rule_lines(INDENT, "= ", decl.rule)
        if codes:
            lines.append(_anchored(INDENT, _join(codes), decl.codes[0]))
        lines += self.mark_lines(INDENT, decl.marks)
        return lines

    def narrative(self, decl: m.Narrative) -> list[_Line]:
        """`narrative KEY \"\"\"` with the text below, indented, and the closing quotes
        with the marks; a short text, or one a block cannot hold as it is, quoted."""
        marks = self.marks(decl.marks)
        block = printer.text_block(decl.text, " " * INDENT)
        one_line = _join(["narrative", decl.name, self.string(decl.text), *marks])
        if block is None or ("\n" not in decl.text and len(one_line) <= WIDTH):
            return [_anchored(0, one_line, decl)]
        lines = [_anchored(0, f"narrative {decl.name} {block[0]}", decl)]
        lines += [_Line(0, line) for line in block[1:-1]]
        closing = _Line(0, _join([block[-1], *marks]))
        # the closing quotes anchor the line that ends the text: a comment after them stays
        # there (on the opening line it would be read back as the text's first words)
        if self.source is not None and decl.span.end > 0:
            opening = self.source.find('"""', decl.span.start, decl.span.end)
            if opening >= 0:
                closing.anchor = self.source.find('"""', opening + 3, decl.span.end)
                closing.anchor_line = decl.span.line + self.source.count(
                    "\n", decl.span.start, closing.anchor
                )
        lines.append(closing)
        return lines

    def statistics(self, decl: m.Statistics) -> list[_Line]:
        opening = self.header(0, ["statistics"], self.marks(decl.marks), decl)
        members: list[tuple[object, list[_Line]]] = []
        for sample_size in decl.sample_sizes:
            head = ["sample_size", sample_size.method, self.label(sample_size.label)]
            inner = self.header(INDENT, head, self.marks(sample_size.marks), sample_size)
            fields = self.fields(sample_size.parameters, 2 * INDENT)
            members.append((sample_size, self.block(inner, fields, sample_size)))
        for analysis in decl.analyses:
            members.append((None, [_Line(INDENT, f"analysis {self.string(analysis)}")]))
        return self.block(opening, members, decl)

    def endpoint(self, endpoint: m.Endpoint) -> list[_Line]:
        head = f"endpoint {endpoint.name} {self.string(endpoint.text)}"
        clauses: list[str] = list(printer.endpoint_kind(endpoint))
        if endpoint.visits:
            clauses.append(f"by visit {', '.join(endpoint.visits)}")
        if endpoint.timeframe is not None:
            clauses.append(f"timeframe {self.string(endpoint.timeframe)}")
        if endpoint.until is not None:
            clauses.append(
                f"until {printer.quantity(endpoint.until)} after {endpoint.until_anchor}"
            )
        marks = self.marks(endpoint.marks)
        rule = endpoint.rule
        one_line = _join([head, *clauses, f"= {printer.expr(rule)}" if rule else "", *marks])
        if INDENT + len(one_line) <= WIDTH and (
            rule is None or not self._forced_after(_start(endpoint), rule)
        ):
            return [_anchored(INDENT, one_line, endpoint)]
        lines = [_anchored(INDENT, head, endpoint)]
        lines += [_Line(2 * INDENT, clause) for clause in clauses]
        if rule is not None:
            lines += self.rule_lines(2 * INDENT, "= ", rule)
        lines += self.mark_lines(2 * INDENT, endpoint.marks)
        return lines

    def amendment(self, decl: m.Amendment) -> list[_Line]:
        opening = [_anchored(0, f"amendment {printer.number(decl.number)} {{", decl)]
        members: list[tuple[object, list[_Line]]] = []
        if decl.date is not None:
            members.append((None, [_Line(INDENT, f"date {decl.date.isoformat()}")]))
        if decl.summary is not None:
            members.append((None, [_Line(INDENT, f"summary {self.string(decl.summary)}")]))
        for reason in decl.reasons:
            members.append((None, [_Line(INDENT, f"reason {self.string(reason)}")]))
        for change in decl.changes:
            text = _join(
                [
                    "change",
                    change.target or "",
                    self.string(change.text),
                    *self.marks(change.marks),
                    *(self.override(o) for o in change.overrides),
                ]
            )
            members.append((change, [_anchored(INDENT, text, change)]))
        return self.block(opening, members, decl)

    def override(self, override: m.ClassificationOverride) -> str:
        words = ["override", override.regulation or "", override.verdict]
        return _join([*words, self.string(override.reason)])

    def mapping(self, decl: m.Mapping) -> list[_Line]:
        opening = self.header(0, ["mapping", decl.name, self.label(decl.label)], [], decl)
        group = next(self._groups)
        members: list[tuple[object, list[_Line]]] = []
        for rule in decl.rules:
            rest = [f"from {rule.source.dotted}"]
            if rule.where is not None:
                rest.append(f"where {self.string(rule.where[0])} = {self.string(rule.where[1])}")
            for word, ref in (("date", rule.date), ("visit", rule.visit), ("unit", rule.unit)):
                if ref is not None:
                    rest.append(f"{word} {ref.dotted}")
            if rule.impute is not None:
                rest.append(f"impute {rule.impute}")
            rest += self.marks(rule.marks)
            cells = [rule.target.dotted, _join(rest)]
            members.append((rule, [self.row(INDENT, cells, rule, group)]))
        for complete in decl.complete:
            text = f"complete {complete.form.dotted} for {complete.domain}"
            members.append((complete, [_anchored(INDENT, text, complete)]))
        members.sort(key=lambda member: _start(member[0]))
        return self.block(opening, members, decl)

    # -- randomisation and blinding

    def randomisation(self, decl: m.Randomisation) -> list[_Line]:
        opening = [_anchored(0, _join(["randomisation", *self.marks(decl.marks), "{"]), decl)]
        members: list[tuple[int, int, object, list[_Line]]] = []
        order = itertools.count()
        if decl.ratio:
            first = decl.ratio[0]
            entries = ", ".join(
                f"{entry.arm} {printer.number(entry.weight)}" for entry in decl.ratio
            )
            text = _join([f"ratio {entries}", *self.marks(decl.ratio_marks)])
            # the `ratio` keyword has no node: the line is anchored where it is
            keyword = self._keyword_line("ratio", first)  # type: ignore[arg-type]
            members.append(
                (keyword.span.start, next(order), keyword, [_anchored(INDENT, text, keyword)])
            )
        method = decl.method
        if method is not None:
            text = _join(["method", self.allocation_method(method), *self.marks(method.marks)])
            members.append((_start(method), next(order), method, [_anchored(INDENT, text, method)]))
        for factor in decl.factors:
            members.append((_start(factor), next(order), factor, self.stratification(factor)))
        members.sort(key=lambda member: (member[0], member[1]))
        return self.block(opening, [(node, lines) for _s, _o, node, lines in members], decl)

    @staticmethod
    def allocation_method(method: m.AllocationMethod) -> str:
        if method.kind == "permuted_blocks":
            sizes = ", ".join(printer.number(size) for size in method.block_sizes)
            return f"permuted_blocks block_sizes {sizes}"
        if method.kind == "minimisation":
            probability = printer.number(
                method.probability if method.probability is not None else Decimal(1)
            )
            text = f"minimisation factors {', '.join(method.factors)} probability {probability}"
            return text + (f" measure {method.measure}" if method.measure else "")
        return method.kind

    def stratification(self, factor: m.StratificationFactor) -> list[_Line]:
        head = ["stratify_by", factor.name, self.label(factor.label)]
        opening = self.header(INDENT, head, self.marks(factor.marks), factor)
        members: list[tuple[object, list[_Line]]] = []
        for stratum in factor.strata:
            stratum_head = _join([stratum.name, self.label(stratum.label)])
            lines = self.definition(2 * INDENT, stratum_head, stratum.rule, stratum.marks, stratum)
            members.append((stratum, lines))
        return self.block(opening, members, factor)

    def masking(self, decl: m.Masking) -> list[_Line]:
        opening = [_anchored(0, _join(["masking", *self.marks(decl.marks), "{"]), decl)]
        members: list[tuple[object, list[_Line]]] = []
        for roles in decl.blinded:
            text = _join(["blinded " + ", ".join(roles.roles), *self.marks(roles.marks)])
            members.append((roles, [_anchored(INDENT, text, roles)]))
        for rule in decl.unblinding:
            text = _join([f"unblinding {self.string(rule.text)}", *self.marks(rule.marks)])
            members.append((rule, [_anchored(INDENT, text, rule)]))
        members.sort(key=lambda member: _start(member[0]))
        return self.block(opening, members, decl)


# ---------------------------------------------------------------- helpers


def dosing_days(days: m.DosingDays) -> str:
    """`on days 1, 15, 29 then every 4 weeks to week 48` (`on day 1` for a single day)."""
    word = days.unit if len(days.numbers) == 1 else f"{days.unit}s"
    text = f"on {word} " + ", ".join(str(n) for n in days.numbers)
    if days.every is not None:
        text += f" then every {printer.quantity(days.every)}"
        if days.until is not None:
            text += f" to {days.until.unit} {days.until.number}"
    if days.cycle is not None:
        text += f" of each {days.cycle}"
    return text


def _join(parts: Iterable[str]) -> str:
    return " ".join(p for p in parts if p)


def _start(node: object | None) -> int:
    span = getattr(node, "span", None)
    return span.start if span is not None and span.end > 0 else 0


def _bound(bound: Decimal | m.Quantity) -> str:
    if isinstance(bound, m.Quantity):
        return printer.quantity(bound)
    return printer.signed(bound)


def _last_before(anchored: list[tuple[int, int]], offset: int) -> int | None:
    """The index of the line with the greatest anchor before `offset` (the last such line)."""
    best: tuple[int, int] | None = None
    for anchor, index in anchored:
        if anchor < offset and (best is None or anchor >= best[0]):
            best = (anchor, index)
    return best[1] if best is not None else None


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _line_parts(node: m.Expr) -> list[m.Expr]:
    """The sub-expressions the layout may put on lines of their own when it breaks `node`
    (see `_Formatter.layout`), in order; none for a node it never breaks."""
    if isinstance(node, m.Logic) and not printer.is_chain(node):
        return [operand for _keyword, operand, _context in _chain_operands(node)]
    if isinstance(node, m.Quantifier):
        parts = [node.where] if node.where is not None else []
        if node.kind == "all" and node.satisfy is not None:
            parts.append(node.satisfy)
        return parts
    if isinstance(node, m.Conditional):
        return [node.condition, node.then, node.otherwise]
    if isinstance(node, m.Not):
        inner = printer._expr(node, _LOWEST)[len("not ") :]
        return [node.expr] if inner != printer.expr(node.expr) else []
    return []


def _enclose(laid: list[tuple[int, str, object]]) -> list[tuple[int, str, object]]:
    laid = list(laid)
    col, text, anchor = laid[0]
    laid[0] = (col - 1, "(" + text, anchor)
    col, text, anchor = laid[-1]
    laid[-1] = (col, text + ")", anchor)
    return laid


def _prefixed(
    prefix: str, laid: list[tuple[int, str, object]], node: object
) -> list[tuple[int, str, object]]:
    col, text, _anchor = laid[0]
    return [(col - len(prefix), prefix + text, node), *laid[1:]]


def _chain_operands(node: m.Logic) -> list[tuple[str, m.Expr, int]]:
    """The operands of a chain of one operator, with the context each is printed in."""
    if node.op == "implies":
        return [("", node.left, _OR), ("implies", node.right, _OR)]
    level = _OR if node.op == "or" else _AND

    def context(operand: m.Expr, default: int) -> int:
        # the printer puts an `and` inside an `or` in parentheses, for the reader
        if node.op == "or" and printer._is_and(operand):
            return _AND + 1
        return default

    tail: list[tuple[str, m.Expr, int]] = []
    current: m.Expr = node
    while isinstance(current, m.Logic) and current.op == node.op and not printer.is_chain(current):
        tail.append((node.op, current.right, context(current.right, level + 1)))
        current = current.left
    return [("", current, context(current, level)), *reversed(tail)]


def _items_by_group(form: m.Form) -> list[m.Item | tuple[m.ItemGroup, list[m.Item]]]:
    """The form's items in order, those of a group gathered under it (groups in order)."""
    entries: list[m.Item | tuple[m.ItemGroup, list[m.Item]]] = []
    blocks: dict[int, tuple[m.ItemGroup, list[m.Item]]] = {}
    for item in form.items:
        group = _group_of(form, item)
        if group is None:
            entries.append(item)
            continue
        key = id(group)
        if key not in blocks:
            blocks[key] = (group, [])
            entries.append(blocks[key])
        blocks[key][1].append(item)
    for group in form.groups:
        if id(group) not in blocks:
            blocks[id(group)] = (group, [])
            entries.append(blocks[id(group)])
    return entries


def _group_of(form: m.Form, item: m.Item) -> m.ItemGroup | None:
    if item.group is None:
        return None
    named = [g for g in form.groups if g.name == item.group]
    for group in named:  # by position when the spans are known
        if group.span.end > 0 and group.span.start <= item.span.start < group.span.end:
            return group
    return named[0] if named else None


def _group_runs(declarations: list[tuple[object, list[_Line]]], groups: Iterator[int]) -> None:
    """Put each run of one-line declarations of one kind, with no blank line between
    them, in one alignment group: they are aligned as a table."""
    run_group: int | None = None
    previous: tuple[object, list[_Line]] | None = None
    for decl, printed in declarations:
        first = printed[0]
        if previous is not None:
            prev_decl, prev_lines = previous
            same_run = (
                len(prev_lines) == 1
                and len(printed) == 1
                and not first.blank_before
                and type(prev_decl) is type(decl)
                and first.cells is not None
                and prev_lines[0].cells is not None
            )
            if not same_run:
                run_group = None
        if len(printed) == 1 and first.cells is not None:
            if run_group is None:
                run_group = next(groups)
            first.group = run_group
        else:
            run_group = None
        previous = (decl, printed)


def _align(lines: list[_Line]) -> None:
    """Compute the text of every aligned line from its cells and its group's columns."""
    groups: dict[int, list[_Line]] = {}
    for line in lines:
        if line.cells is not None:
            groups.setdefault(line.group if line.group is not None else -id(line), []).append(line)
    for rows in groups.values():
        columns = max(len(row.cells or ()) for row in rows)
        padded = columns if rows[0].parts is not None else columns - 1
        widths = []
        for k in range(padded):
            sizes = [len(row.cells[k]) for row in rows if row.cells and k < len(row.cells)]
            widths.append(max((s for s in sizes if s <= CELL_WIDTH), default=0))
        for row in rows:
            cells = row.cells or []
            text = ""
            for k, cell in enumerate(cells):
                if k == len(cells) - 1 and row.parts is None:
                    text += cell
                elif widths[k] == 0 and not cell:
                    continue
                else:
                    text += cell.ljust(widths[k]) + " "
            row.text = text.rstrip()
            if row.parts:
                _fill(row, text)


def _fill(row: _Line, padded: str) -> None:
    """Append the row's parts after its padded cells, continuing on further lines past `WIDTH`."""
    texts = [padded]
    for part in row.parts or ():
        indent = row.indent if len(texts) == 1 else row.indent + INDENT
        candidate = texts[-1] + part if texts[-1] in ("", padded) else f"{texts[-1]} {part}"
        if indent + len(candidate.rstrip()) <= WIDTH or (len(texts) > 1 and not texts[-1]):
            texts[-1] = candidate
        else:
            texts.append(part)
    row.text, row.more = texts[0].rstrip(), texts[1:]
