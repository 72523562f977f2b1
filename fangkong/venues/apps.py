from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VenuesConfig(AppConfig):
    """娱乐场所、红白事: venues with a status per day set by notices; family events under the rule as data."""

    name = "fangkong.venues"
    verbose_name = _("Venues and family events")
