from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """督导检查、边巡边改: inspections, rectification items, notices."""

    name = "fangkong.supervision"
    verbose_name = _("Supervision and rectification")

    def ready(self) -> None:
        from fangkong.reporting.sources import register_source
        from fangkong.supervision import figures

        # The rectification figures (reporting.sources): (region, day, at) -> int.
        register_source("supervision.items_found", lambda r, day, at: figures.items_found(r, at))
        register_source("supervision.items_closed", lambda r, day, at: figures.items_closed(r, at))
        register_source("supervision.items_overdue", lambda r, day, at: figures.items_overdue(r, at))
