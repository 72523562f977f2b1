"""Rebuild the tested counters of testing rounds and the samples per unit and day from the samples (idempotent;
the nightly job does the same)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fangkong.testing.actions import do_recount_rounds, do_recount_sample_days
from fangkong.testing.models import TestingRound


class Command(BaseCommand):
    help = (
        "Recount the tested counters of the recent rounds (or --all, or --round UUID) and the samples per unit"
        " of the last week's days (or --all) from their samples."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="every round, not only the last week's")
        parser.add_argument("--round", dest="round_uuid", help="one round by its uuid")

    def handle(self, *args: Any, **options: Any) -> None:
        rounds = None
        if options["round_uuid"]:
            try:
                rounds = [TestingRound.objects.get(uuid=options["round_uuid"])]
            except (TestingRound.DoesNotExist, ValueError, ValidationError) as exc:
                raise CommandError(f"no round {options['round_uuid']}") from exc
        elif options["all"]:
            rounds = list(TestingRound.objects.order_by("id"))
        now = timezone.now()
        if not options["round_uuid"]:
            days_drifted = do_recount_sample_days(now, every_day=options["all"])
            self.stdout.write(
                f"samples per unit and day recounted, {'had' if days_drifted else 'had not'} drifted"
            )
        done, drifted = do_recount_rounds(now, rounds)
        self.stdout.write(f"{done} rounds recounted, {drifted} had drifted")
