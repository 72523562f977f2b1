from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    """排查: risk areas, returnee double reports, classification rules, household visits."""

    name = "fangkong.screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from fangkong.people.models import Person
        from fangkong.people.panels import register
        from fangkong.reporting.sources import register_source
        from fangkong.screening import figures
        from fangkong.screening.models import follow_person
        from fangkong.screening.panels import returnee_panel

        register(returnee_panel)
        # The daily report's figures (reporting.sources): (region, day, at) -> int.
        register_source(
            "screening.returnees_registered", lambda r, day, at: figures.returnees_registered(r, day)
        )
        register_source("screening.returnees_verified", lambda r, day, at: figures.returnees_verified(r, day))
        # Standing figures: counted as they are now; the records keep no history of them. Each reads every
        # report of the unit (300,000 for a city), so the filing page keeps them until the next change.
        register_source(
            "screening.returnees_under_control", figures.standing(figures.returnees_under_control)
        )
        register_source(
            "screening.double_report_incomplete", figures.standing(figures.double_report_incomplete)
        )
        # Reports keep the path of their person's unit (jurisdiction on one table): a move updates them.
        post_save.connect(follow_person, sender=Person, dispatch_uid="screening.follow_person")
        from fangkong.retention.registry import register as register_retention
        from fangkong.screening import retention

        # Data lifecycle (retention.registry): what the reporter typed, blanked past the period.
        register_retention(
            "screening.returnee_reports",
            _("Returnee reports"),
            _("anonymised"),
            retention.purge_returnee_reports,
        )
