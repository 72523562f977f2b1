from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ColdchainConfig(AppConfig):
    """冷链、进口物品: enterprises and cold stores, imported lots (凡进必检), imported mail batches."""

    name = "fangkong.coldchain"
    verbose_name = _("Cold chain")
