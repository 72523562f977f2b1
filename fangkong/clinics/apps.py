from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicsConfig(AppConfig):
    """发热门诊、村卫生室、药店: the early-warning net; each registration becomes a 24-hour follow-up task."""

    name = "fangkong.clinics"
    verbose_name = _("Medical surveillance")

    def ready(self) -> None:
        from fangkong.clinics import figures
        from fangkong.reporting.sources import register_source

        register_source(
            "clinics.fever_patients", lambda r, day, at: figures.registered(r, day, "fever_patient")
        )
        register_source("clinics.drug_buyers", lambda r, day, at: figures.registered(r, day, "drug_purchase"))
        register_source("clinics.follow_ups_overdue", lambda r, day, at: figures.overdue(r, at))
