from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliesConfig(AppConfig):
    name = "fangkong.supplies"
    verbose_name = _("Supplies")

    def ready(self) -> None:
        from fangkong.reporting.sources import register_source
        from fangkong.supplies import levels

        # The daily report's figures (reporting.sources): (region, day, at) -> int.
        register_source("supplies.items_short", levels.shortages)
        register_source("supplies.lots_expiring", levels.lots_expiring)
