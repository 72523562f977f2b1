"""The reporting app: daily and zero reports, deadlines, accountability, urgent reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """日报告. The figures the form is prefilled from are registered by the apps that publish them."""

    name = "fangkong.reporting"
    verbose_name = _("Daily reports")

    def ready(self) -> None:
        # Imported for its system check: a figure the daily form reads must be registered at start-up.
        from fangkong.reporting import sources  # noqa: F401
