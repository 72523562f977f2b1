"""`manage.py create_first_account USERNAME --region CODE [--full-name NAME] [--password-stdin]`.

The first command-office account of an install, with its role and its county — what `createsuperuser`
cannot give without a shell. Every later account is opened by that account on the accounts page. Refused
once an active command-office account exists; the creation is audited (actor: the command line).
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.accounts.permissions import Role
from fangkong.audit.actions import record
from fangkong.audit.models import AuditAction
from fangkong.regions.models import Level, Region


class Command(BaseCommand):
    help = "Create the first command-office (指挥部办公室) account of the install, in its county; audited."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--region", required=True, help="the county's region code (import regions first)")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument(
            "--password-stdin", action="store_true", help="read the password from the first line of stdin"
        )

    def handle(
        self, *args: Any, username: str, region: str, full_name: str, phone: str, **options: Any
    ) -> None:
        county = Region.objects.filter(code=region, is_active=True).first()
        if county is None:
            raise CommandError(f"No active region with code {region!r}; run import_regions first.")
        if county.level != Level.COUNTY:
            raise CommandError(f"{county.name} is a {county.level}; the command office works at a county.")
        if User.objects.filter(role=Role.COMMAND_OFFICE, is_active=True).exists():
            raise CommandError(
                "A command-office account exists already; open further accounts on the accounts page."
            )
        try:
            User.username_validator(username)
        except ValidationError:
            raise CommandError("A username has letters, digits and @ . + - _ only.") from None
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"The username {username!r} is taken.")
        password = self._password(options["password_stdin"])
        user = User(username=username, full_name=full_name.strip(), role=Role.COMMAND_OFFICE, region=county)
        user.phone = phone.strip()
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        with transaction.atomic():
            user.set_password(password)
            user.save()
            record(
                None,
                AuditAction.CREATE,
                obj=user,
                region=county,
                now=timezone.now(),
                changes={
                    "username": [None, username],
                    "role": [None, Role.COMMAND_OFFICE.value],
                    "region": [None, county.code],
                },
                note="manage.py create_first_account",
            )
        self.stdout.write(f"created {username}: {Role.COMMAND_OFFICE.label} · {county.name}")

    def _password(self, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return first
