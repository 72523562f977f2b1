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
        # Standing figures: counted as they are now; the records keep no history of them.
        register_source(
            "screening.returnees_under_control", lambda r, day, at: figures.returnees_under_control(r)
        )
        register_source(
            "screening.double_report_incomplete", lambda r, day, at: figures.double_report_incomplete(r)
        )
        # Reports keep the path of their person's unit (jurisdiction on one table): a move updates them.
        post_save.connect(follow_person, sender=Person, dispatch_uid="screening.follow_person")
