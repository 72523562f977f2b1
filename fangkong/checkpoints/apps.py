from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckpointsConfig(AppConfig):
    """卡口: checkpoints, crossing registrations, equipment at shift start, spot checks, fever referrals."""

    name = "fangkong.checkpoints"
    verbose_name = _("Checkpoints")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from fangkong.checkpoints import figures, lookups

        post_save.connect(lookups.on_model_change, dispatch_uid="checkpoints.lookups.save")
        post_delete.connect(lookups.on_model_change, dispatch_uid="checkpoints.lookups.delete")
        m2m_changed.connect(lookups.on_model_change, dispatch_uid="checkpoints.lookups.m2m")
        from fangkong.reporting.sources import register_source

        # The daily report's figures (reporting.sources): (region, day, at) -> int.
        register_source("checkpoints.manned", lambda r, day, at: figures.manned(r, day))
        register_source("checkpoints.people_checked", lambda r, day, at: figures.total(r, day, "people"))
        register_source("checkpoints.vehicles_checked", lambda r, day, at: figures.total(r, day, "vehicles"))
        register_source("checkpoints.fevers", lambda r, day, at: figures.total(r, day, "fevers"))
        register_source("checkpoints.referrals", lambda r, day, at: figures.total(r, day, "referrals"))
        register_source("checkpoints.turned_back", lambda r, day, at: figures.total(r, day, "turned_back"))
        register_source("checkpoints.sent_to_grid", lambda r, day, at: figures.total(r, day, "sent_to_grid"))
        from fangkong.checkpoints import retention
        from fangkong.retention.registry import register as register_retention

        # Data lifecycle (retention.registry): travellers' personal fields blanked past the period.
        register_retention(
            "checkpoints.crossings", _("Checkpoint crossings"), _("anonymised"), retention.purge_crossings
        )
