"""The amended protocol as filed: the clean new version and the version with tracked changes.

Both are the Word protocol the document generator writes (`protocol build`'s
`protocol.docx`); the tracked version compares the old and the new one with
revision marks (`tracked`).  The revisions are signed with the amendment's
author and date, read from the new version of the spec: the sponsor, and the
date of the amendment (else the new version date), so that rebuilding gives
the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from generators.diff.tracked import Revision, compare_documents
from protocol_dsl import model as m
from protocol_dsl.spec import Spec

DOC_KIND = "Clinical trial protocol"
#: who signs the revisions when the spec names no sponsor
NO_SPONSOR = "protocol diff"


def protocol_docx(spec: Spec) -> bytes:
    """The Word protocol of a spec, as `protocol build` writes it."""
    from generators.documents import render_docx
    from generators.documents.content import build_protocol
    from generators.documents.protocol import paper, running_head, sponsor, version_date

    return render_docx.render(
        build_protocol(spec),
        DOC_KIND,
        with_toc=True,
        author=sponsor(spec),
        when=version_date(spec),
        paper=paper(spec),
        running_head=running_head(spec),
    )


def revision_of(new: Spec, amendments: Sequence[m.Amendment]) -> Revision:
    """The author and date of the amendment's revisions."""
    from generators.documents.protocol import sponsor, version_date

    dates = [a.date for a in amendments if a.date is not None]
    when = max(dates) if dates else version_date(new)
    stamp = dt.datetime.combine(when or dt.date(2000, 1, 1), dt.time(), tzinfo=dt.UTC)
    return Revision(author=sponsor(new) or NO_SPONSOR, date=stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))


def tracked_protocol(old: Spec, new: Spec, amendments: Sequence[m.Amendment]) -> bytes:
    """The new protocol with every difference from the old one as a Word revision."""
    return compare_documents(protocol_docx(old), protocol_docx(new), revision_of(new, amendments))
