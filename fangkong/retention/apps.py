from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    """数据留存: how long each kind of personal record is kept, outbreaks, and the runs that remove what is due."""

    name = "fangkong.retention"
    verbose_name = _("Data retention")

    def ready(self) -> None:
        from django.core import checks

        from fangkong.retention.registry import check_policy

        checks.register(check_policy)
