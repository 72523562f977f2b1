"""The reporting app: daily and zero reports, deadlines, accountability, urgent reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """日报告: registers the figure sources of other apps when they are installed."""

    name = "fangkong.reporting"
    verbose_name = _("Daily reports")

    def ready(self) -> None:
        from fangkong.reporting.sources import register_module

        register_module("fangkong.screening.figures", "screening")
        register_module("fangkong.pushlists.figures", "pushlists")
