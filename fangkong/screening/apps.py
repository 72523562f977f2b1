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
        from django.db.models.signals import post_save

        from fangkong.people.models import Person
        from fangkong.screening.models import follow_person

        # Reports keep the path of their person's unit (jurisdiction on one table): a move updates them.
        post_save.connect(follow_person, sender=Person, dispatch_uid="screening.follow_person")
