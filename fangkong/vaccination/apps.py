from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaccinationConfig(AppConfig):
    name = "fangkong.vaccination"
    verbose_name = _("Vaccination")

    def ready(self) -> None:
        from fangkong.reporting.sources import register_source
        from fangkong.vaccination import coverage

        # The daily report's figures (reporting.sources): (region, day, at) -> int.
        register_source("vaccination.doses_given", lambda r, day, at: coverage.doses_given(r, day))
        register_source("vaccination.people_completed", lambda r, day, at: coverage.people_completed(r, day))
        register_source("vaccination.coverage_percent", lambda r, day, at: coverage.coverage_percent(r, day))
