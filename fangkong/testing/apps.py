from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestingConfig(AppConfig):
    """核酸检测: testing points, rounds, key groups, samples and pools, lab results and recall."""

    name = "fangkong.testing"
    label = "testing"
    verbose_name = _("Nucleic-acid testing")

    def ready(self) -> None:
        from fangkong.coldchain.signals import workers_changed
        from fangkong.reporting.sources import register_source
        from fangkong.testing import figures, receivers

        # Contract C3: cold-chain workers join the cold-chain key group.
        workers_changed.connect(
            receivers.cold_chain_workers_changed, dispatch_uid="testing-cold-chain-workers"
        )

        # The daily report's figures (reporting.sources): (region, day, at) -> int.
        register_source("testing.samples_taken", lambda r, day, at: figures.samples_taken(r, day, at))
        register_source(
            "testing.results_negative", lambda r, day, at: figures.results(r, day, "negative", at)
        )
        register_source(
            "testing.results_positive", lambda r, day, at: figures.results(r, day, "positive", at)
        )
        register_source("testing.coverage_percent", lambda r, day, at: figures.coverage_percent(r, day))
        # Standing figure: counted as it is now.
        register_source("testing.key_group_overdue", lambda r, day, at: figures.key_group_overdue(r, day))

        from fangkong.retention.registry import register as register_retention
        from fangkong.testing import retention

        # Data lifecycle (retention.registry): a resulted sample's and a recall's person blanked past the period.
        register_retention("testing.samples", _("Samples"), _("anonymised"), retention.purge_samples)
