"""Collecting a run's rejected items and warnings, saved after the run whatever its outcome."""

from __future__ import annotations

import os

from b2b_cabinet.models import ImportIssue, ImportRun
from b2b_cabinet.sync.errors import CommerceMLError

#: Issues kept per run; a file with 100,000 broken offers needs the first ones and a count.
LIMIT = 1000


class IssueLog:
    """Issues of one run, kept in memory until :meth:`save` (the import transaction may roll back)."""

    def __init__(self, run: ImportRun):
        self.run = run
        self.items: list[ImportIssue] = []
        self.counts = {level: 0 for level in ImportIssue.Level.values}

    def add(self, level: str, message: str, *, path="", line=None, element="", external_id="") -> None:
        """Record one issue; past :data:`LIMIT` only the count grows."""
        self.counts[level] += 1
        if len(self.items) < LIMIT:
            self.items.append(
                ImportIssue(
                    run=self.run, level=level, message=message, file=os.path.basename(str(path or ""))[:500],
                    line=line, element=(element or "")[:100], external_id=(external_id or "")[:100],
                )
            )

    def error(self, exc: CommerceMLError) -> None:
        """The error that failed the run."""
        self.add(ImportIssue.Level.ERROR, str(exc), path=exc.path or "", line=exc.line,
                 element=exc.element or "", external_id=exc.external_id or "")

    def save(self) -> None:
        """Write the kept issues (call outside the import's transaction)."""
        ImportIssue.objects.bulk_create(self.items, batch_size=500)
        self.items = []
