from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    """短信: SMS templates, campaigns sent by background jobs through a gateway backend, delivery receipts."""

    name = "fangkong.notify"
    label = "notify"
    verbose_name = _("SMS")

    def ready(self) -> None:
        from fangkong.notify import figures, receivers
        from fangkong.reporting.signals import reminders_sent
        from fangkong.reporting.sources import register_source

        reminders_sent.connect(receivers.text_report_reminders, dispatch_uid="notify-report-reminders")
        register_source("notify.sms_sent", lambda r, day, at: figures.sms_sent(r, day))
        register_source("notify.sms_delivered", lambda r, day, at: figures.sms_delivered(r, day))
