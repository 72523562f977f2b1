from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PushlistsConfig(AppConfig):
    name = "fangkong.pushlists"
    verbose_name = _("Big-data push lists")
