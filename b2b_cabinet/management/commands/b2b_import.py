"""``manage.py b2b_import PATH [PATH ...]``: import CommerceML files, folders or zip archives."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from b2b_cabinet.models import ImportRun
from b2b_cabinet.sync.pipeline import import_files
from b2b_cabinet.sync.sources import SourceError, collect_files


class Command(BaseCommand):
    help = (
        "Import CommerceML files (import.xml, offers.xml, prices/rests, split ___ files), folders of them, or zip "
        "archives as 1C exports them. Exit status: 0 success, 1 failed import, 2 usage error."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="XML files, folders or .zip archives")
        parser.add_argument("--dry-run", action="store_true", help="Run the whole import, then roll it back.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar even on a terminal.")

    def handle(self, *args, paths, dry_run, no_progress, **options):
        with tempfile.TemporaryDirectory(prefix="b2b-import-") as scratch:
            try:
                files = collect_files([Path(p) for p in paths], Path(scratch))
            except SourceError as exc:
                self.stderr.write(self.style.ERROR(str(exc)))
                sys.exit(2)
            if not files:
                raise CommandError("No XML files found in the given paths.", returncode=2)
            progress = None if no_progress or not self.stdout.isatty() else self._progress_bar()
            started = time.monotonic()
            run = import_files(files, source=ImportRun.Source.COMMAND, dry_run=dry_run, progress=progress)
            if progress:
                self.stdout.write("")
        self._summary(run, time.monotonic() - started)
        if run.status == ImportRun.Status.FAILED:
            sys.exit(1)

    def _progress_bar(self):
        def show(done: int, total: int) -> None:
            width = 30
            filled = int(width * done / total) if total else width
            self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done / 2**20:,.0f}/{total / 2**20:,.0f} MB",
                              ending="")
            self.stdout.flush()

        return show

    def _summary(self, run: ImportRun, seconds: float) -> None:
        style = self.style.SUCCESS if run.status != ImportRun.Status.FAILED else self.style.ERROR
        self.stdout.write(style(f"Import run #{run.pk}: {run.status} in {seconds:.1f} s"))
        self.stdout.write(
            f"  items {run.items}, new {run.created}, updated {run.updated}, unchanged {run.unchanged}, "
            f"deactivated {run.deactivated}, rejected {run.rejected}"
        )
        for issue in run.issues.exclude(level="error")[:20]:
            where = ", ".join(str(x) for x in (issue.file, f"line {issue.line}" if issue.line else "") if x)
            self.stdout.write(f"  {issue.level}: {where}: {issue.message}")
        if run.error:
            self.stderr.write(self.style.ERROR(run.error))
