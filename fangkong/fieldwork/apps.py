from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    """外勤: disinfection log, volunteer and party-member teams, offline submissions from phones."""

    name = "fangkong.fieldwork"
    verbose_name = _("Field work")

    def ready(self) -> None:
        from fangkong.fieldwork import figures, handlers
        from fangkong.fieldwork.submissions import register_kind
        from fangkong.reporting.sources import register_source

        register_source("fieldwork.disinfection_area", figures.disinfection_area)
        register_source("fieldwork.disinfections", figures.disinfections)
        register_source("fieldwork.tasks_done", figures.tasks_done)
        register_kind("disinfection", handlers.disinfection)
        register_kind("task_done", handlers.task_done)
        register_kind("household_visit", handlers.household_visit)
        register_kind("push_verification", handlers.push_verification)
        register_kind("follow_up", handlers.follow_up)
        register_kind("checkpoint_crossing", handlers.checkpoint_crossing)
        register_kind("sample", handlers.sample)
        register_kind("tube_close", handlers.tube_close)
