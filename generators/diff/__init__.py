"""The semantic diff of two protocol versions: classified changes and their renderings.

`compare.diff(old, new)` compares two loaded specs (their models, never their
text) and returns `changes.Change` records; `rules` is the catalogue that
classifies each kind of change (USDM impact category, substantial or not under
EU CTR 536/2014 and FDA 21 CFR 312.30, with the reasoning); `render` writes
the changes as text, JSON, Markdown, DOCX, GitHub annotations and SARIF;
`subjects` re-screens subject data under both versions.

Most comparisons are rule tables (`walk`): to compare a new field of the
model, add a row to its class's table, which fails at import until every
field is accounted for.  The order in which the modules import each other is
described in `compare` and checked by the tests.
"""
