from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.demo.activity import build_activity
from fangkong.demo.builder import DEMO_PASSWORD, build
from fangkong.demo.checkpoints import build_checkpoints, build_clinics, build_coldchain
from fangkong.demo.vaccsupply import build_vaccsupply
from fangkong.regions.models import Region


class Command(BaseCommand):
    help = "Load the demo district (濮阳经济技术开发区) with synthetic residents and one account per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="do nothing when data is already there")
        parser.add_argument("--people-per-village", type=int, default=24)
        parser.add_argument(
            "--force",
            action="store_true",
            help="load into a production install anyway (a demo server): eleven accounts with a published password",
        )

    def handle(
        self, *args: Any, if_empty: bool, people_per_village: int, force: bool, **options: Any
    ) -> None:
        has_data = Region.objects.exists() or User.objects.exists()
        if has_data:
            if if_empty:
                # `make demo` runs this on every start: a loaded database is the normal case, not an error.
                self.stdout.write("the database is not empty; nothing loaded")
                if not settings.PRODUCTION:
                    self._print_accounts()
                return
            raise CommandError("the database is not empty; use a fresh database for the demo")
        if settings.PRODUCTION and not force:
            # Its accounts share a published password: never on a real install by accident.
            raise CommandError(
                "refusing to load the demo district in production (DEBUG and DEMO are off): its eleven "
                f"accounts use the published password {DEMO_PASSWORD!r}. Use --force for a demo server."
            )
        summary = build(people_per_village=people_per_village)
        summary.update(build_activity(timezone.now()))
        summary.update(build_vaccsupply(timezone.now()))  # vaccination and supplies (issue 15a)
        from fangkong.demo.supervision_activity import build_supervision, build_venues_and_publicity

        summary.update(build_supervision(timezone.now()))
        summary.update(build_venues_and_publicity(timezone.now()))
        summary.update(build_checkpoints(timezone.now()))  # issue 14
        from fangkong.demo.testing import build_testing

        summary.update(build_testing(timezone.now()))
        summary.update(build_clinics(timezone.now()))  # issue 14
        summary.update(build_coldchain(timezone.now()))  # issue 14
        from fangkong.demo.fieldwork import build_fieldwork

        summary.update(build_fieldwork(timezone.now()))  # issue 17
        self.stdout.write("demo district loaded: " + ", ".join(f"{k}={v}" for k, v in summary.items()))
        self._print_accounts()

    def _print_accounts(self) -> None:
        self.stdout.write(f"demo accounts (password {DEMO_PASSWORD}):")
        for user in User.objects.exclude(role="").select_related("region").order_by("id"):
            self.stdout.write(f"  {user.username:<14} {user.get_role_display()} · {user.region}")
