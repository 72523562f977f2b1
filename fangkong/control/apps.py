from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControlConfig(AppConfig):
    """管控: protocols, control orders, follow-ups, isolation sites, close contacts."""

    name = "fangkong.control"
    verbose_name = _("Control")

    def ready(self) -> None:
        from fangkong.checkpoints.signals import referrals_made
        from fangkong.clinics.signals import fever_patient_registered
        from fangkong.control import figures, receivers
        from fangkong.control.models import StageKind
        from fangkong.pushlists.signals import item_verified
        from fangkong.reporting.sources import register_source
        from fangkong.screening.signals import returnee_classified, risk_areas_published
        from fangkong.testing.signals import pools_positive, results_recorded

        register_source("control.central_isolation", figures.under(StageKind.CENTRAL_ISOLATION))
        register_source("control.home_isolation", figures.under(StageKind.HOME_ISOLATION))
        register_source("control.health_monitoring", figures.under(StageKind.HEALTH_MONITORING))
        register_source("control.released", figures.released)
        register_source("control.follow_ups_done", figures.follow_ups_done)
        register_source("control.follow_ups_missed", figures.follow_ups_missed)
        register_source("control.alerts", figures.alerts)
        register_source("control.close_contacts", figures.close_contacts)
        returnee_classified.connect(receivers.on_returnee_classified, dispatch_uid="control.returnee")
        item_verified.connect(receivers.on_item_verified, dispatch_uid="control.push_item")
        risk_areas_published.connect(receivers.on_risk_areas_published, dispatch_uid="control.find_again")
        results_recorded.connect(receivers.on_test_results, dispatch_uid="control.test_results")
        pools_positive.connect(receivers.on_pools_positive, dispatch_uid="control.pools_positive")
        referrals_made.connect(receivers.on_referrals_made, dispatch_uid="control.checkpoint_referrals")
        fever_patient_registered.connect(
            receivers.on_fever_patient_registered, dispatch_uid="control.clinic_fever_patients"
        )
        from fangkong.control import retention
        from fangkong.retention.registry import register as register_retention

        # Data lifecycle (retention.registry): symptoms and notes of follow-ups blanked past the period, and the
        # person of a closed order.
        register_retention(
            "control.follow_ups", _("Daily follow-ups"), _("anonymised"), retention.purge_follow_ups
        )
        register_retention(
            "control.orders", _("Closed control orders"), _("anonymised"), retention.purge_orders
        )
