from typing import Any

from django.core.management.base import BaseCommand

from fangkong.accounts.permtable import markdown_table


class Command(BaseCommand):
    help = "Print the role × permission table (Markdown) for docs/permissions.md."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(markdown_table(), ending="")
