"""`manage.py generate_briefing --day 2021-08-05`: generate one day's briefing now (a new version)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fangkong.briefing.actions import district_counties, do_generate_briefing
from fangkong.briefing.models import Trigger
from fangkong.lib.reporting_day import local_date
from fangkong.regions.models import Level, Region


def _day(raw: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"--day must be YYYY-MM-DD, got {raw!r}") from None


class Command(BaseCommand):
    help = "Generate the daily briefing (DOCX and PDF) of one day; old versions are kept."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="YYYY-MM-DD (default: today in Beijing)")
        parser.add_argument("--county", help="code of the county (default: every active county)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        day = _day(options["day"]) if options["day"] else local_date(now)
        if options["county"]:
            counties = list(Region.objects.active().filter(level=Level.COUNTY, code=options["county"]))
            if not counties:
                raise CommandError(f"no active county with code {options['county']!r}")
        else:
            counties = district_counties()
            if not counties:
                raise CommandError("no county in the region tree; import the regions first")
        for county in counties:
            try:
                version = do_generate_briefing(None, county, day, now, trigger=Trigger.COMMAND)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            b = version.briefing
            self.stdout.write(
                f"{county.name} {day} issue {b.year}-{b.issue_no} v{version.number}: "
                f"docx {version.docx_size} B, pdf {version.pdf_size} B, {version.duration_ms} ms"
            )
