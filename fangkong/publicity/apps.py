from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    """宣传: tallies of publicity work per unit and day; 宣传次数 in the daily report."""

    name = "fangkong.publicity"
    verbose_name = _("Publicity")

    def ready(self) -> None:
        from fangkong.publicity import figures
        from fangkong.reporting.sources import register_source

        register_source("publicity.items", lambda r, day, at: figures.publicity_items(r, day))
