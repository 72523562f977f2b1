"""`manage.py import_push_list FILE [--name NAME] [--deadline-hours 24] [--user USERNAME]`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.pushlists.actions import do_import_push_list
from fangkong.pushlists.models import BatchStatus


class Command(BaseCommand):
    help = "Import a big-data push list (CSV or XLSX) as one batch, all rows or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--name", default="")
        parser.add_argument("--deadline-hours", type=int, default=24)
        parser.add_argument("--user", default="", help="username recorded as the importer")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No such user: {options['user']}")

        def report(done: int, total: int) -> None:
            if sys.stderr.isatty():
                self.stderr.write(f"\r{done}/{total}", ending="")

        batch = do_import_push_list(
            actor, path, options["name"] or path.name, timezone.now(), options["deadline_hours"], report
        )
        if batch.status != BatchStatus.DONE:
            raise CommandError(f"Import failed: {batch.failure}")
        self.stdout.write(
            f"batch {batch.uuid}: {batch.rows_total} rows, {batch.rows_imported} imported, "
            f"{batch.rows_error} with errors, {batch.rows_unroutable} waiting for routing, "
            f"{batch.people_created} people created, {batch.people_matched} matched"
        )
