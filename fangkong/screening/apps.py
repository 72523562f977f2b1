from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    """排查: risk areas, returnee double reports, classification rules, household visits."""

    name = "fangkong.screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from fangkong.people.panels import register
        from fangkong.reporting.sources import register_source
        from fangkong.screening import figures
        from fangkong.screening.panels import returnee_panel

        register(returnee_panel)
        # The daily report's figures (reporting.sources): (region, day, at) -> int.
        register_source(
            "screening.returnees_registered", lambda r, day, at: figures.returnees_registered(r, day)
        )
        register_source("screening.returnees_verified", lambda r, day, at: figures.returnees_verified(r, day))
        # Standing figures: counted as they are now; the records keep no history of them.
        register_source(
            "screening.returnees_under_control", lambda r, day, at: figures.returnees_under_control(r)
        )
        register_source(
            "screening.double_report_incomplete", lambda r, day, at: figures.double_report_incomplete(r)
        )
