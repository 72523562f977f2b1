from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    """排查: risk areas, returnee double reports, classification rules, household visits."""

    name = "fangkong.screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from fangkong.people.panels import register
        from fangkong.screening.panels import returnee_panel

        register(returnee_panel)
