"""`manage.py run_deadline_sweep [--now ISO8601]`: run the scheduled sweep for any instant (replay, operations)."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fangkong.reporting.actions import do_deadline_sweep, do_escalate_urgent


def parse_instant(raw: str) -> datetime.datetime:
    try:
        value = datetime.datetime.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"not an ISO 8601 instant: {raw!r}") from None
    if value.tzinfo is None:
        raise CommandError("give the offset, e.g. 2021-08-03T12:00:00+08:00")
    return value


class Command(BaseCommand):
    help = "Run the reminders / 12:00 late marking / day-end sweep (and urgent escalation) as of --now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="the instant, ISO 8601 with offset (default: the current time)")
        parser.add_argument("--no-escalation", action="store_true", help="skip escalating urgent reports")

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_instant(options["now"]) if options.get("now") else timezone.now()
        result = do_deadline_sweep(now).as_dict()
        if not options["no_escalation"]:
            result["escalated"] = do_escalate_urgent(now)
        self.stdout.write(json.dumps(result, ensure_ascii=False))
