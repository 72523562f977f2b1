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
