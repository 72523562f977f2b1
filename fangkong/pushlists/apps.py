from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PushlistsConfig(AppConfig):
    name = "fangkong.pushlists"
    verbose_name = _("Big-data push lists")

    def ready(self) -> None:
        from fangkong.pushlists import figures
        from fangkong.reporting.sources import register_source

        # The daily report's figures (reporting.sources): (region, day, at) -> int.
        register_source("pushlists.items_received", lambda r, day, at: figures.items_received(r, day))
        register_source("pushlists.items_verified", lambda r, day, at: figures.items_verified(r, day))
        register_source("pushlists.items_overdue", lambda r, day, at: figures.items_overdue(r, at))
        from fangkong.pushlists import retention
        from fangkong.retention.registry import register as register_retention

        # Data lifecycle (retention.registry): pushed identities blanked, error rows deleted past the period.
        register_retention("pushlists.items", _("Push items"), _("anonymised"), retention.purge_items)
        register_retention(
            "pushlists.error_rows", _("Push list error rows"), _("deleted"), retention.purge_error_rows
        )
