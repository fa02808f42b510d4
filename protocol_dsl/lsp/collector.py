"""When Python's cyclic garbage collector runs in the server: between checks, not in them.

A warm server holds a large heap (a 10,000-line spec checked, with the parsed
texts kept: some 650,000 objects), and a full collection walks all of it: 0.1
to 0.3 s.  The objects a check leaves alive (a re-parse's copies of the
declarations after an edit, the new spec) trigger about one full collection per
edit, inside the next check.  Almost nothing a check discards is cyclic (a few
hundred objects per check; reference counting frees the rest at once), so the
objects alive after a check are frozen (`gc.freeze`: the collector no longer
walks them) and collected once the writer pauses, when the frozen objects are
released, collected and frozen again.  Whoever types for a long time without a
pause has them collected every `CHECKS_FROZEN` checks all the same.
"""

from __future__ import annotations

import gc

#: How many checks may pass without a collection of the frozen objects.
CHECKS_FROZEN = 200


class Collector:
    """Freezes the heap after each check; collects it in a pause."""

    def __init__(self) -> None:
        self.checks = 0

    def after_check(self) -> None:
        """A check has ended: what it left alive is not walked again until a pause."""
        self.checks += 1
        gc.freeze()

    def between_checks(self) -> None:
        """The diagnostics are published: collect if no pause came for too long."""
        if self.checks >= CHECKS_FROZEN:
            self.in_pause()

    def in_pause(self) -> None:
        """Nothing is being checked: collect everything, then freeze what is left."""
        self.checks = 0
        gc.unfreeze()
        gc.collect()
        gc.freeze()
