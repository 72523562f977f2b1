from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "fangkong.accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from fangkong.accounts import signals, throttle  # noqa: F401 - connect the lockout audit and counter
