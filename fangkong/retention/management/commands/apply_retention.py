"""`manage.py apply_retention [--dry-run] [--now ISO]`: remove the personal data past its retention period."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fangkong.retention.actions import do_apply_retention, preview


class Command(BaseCommand):
    help = "Anonymise or delete the personal records past their retention period (settings.RETENTION)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be removed; change nothing"
        )
        parser.add_argument("--now", help="the moment to apply the policy at (ISO 8601 with a time zone)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            try:
                now = datetime.datetime.fromisoformat(options["now"])
            except ValueError as e:
                raise CommandError(f"--now: not an ISO 8601 time: {options['now']!r}") from e
            if now.tzinfo is None:
                raise CommandError("--now needs a time zone (e.g. 2026-12-01T03:00:00+08:00)")
        if options["dry_run"]:
            lines = preview(now)
            verb = "would remove"
        else:
            _run, lines = do_apply_retention(None, now)
            verb = "removed"
        for line in lines:
            self.stdout.write(
                f"{line.key}: {verb} {line.count} (before {line.cutoff.isoformat()}, {line.how})"
            )
        self.stdout.write(f"total: {verb} {sum(line.count for line in lines)}")
