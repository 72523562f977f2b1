"""The daily report's 10:00 and 11:30 reminders reach the cadres of the units not filed by SMS too, once per
reminder; the in-app notice stands whatever the gateway does."""

from __future__ import annotations

from fangkong.notify import backends
from fangkong.notify.models import Campaign, Message
from fangkong.reporting.actions import do_deadline_sweep
from fangkong.reporting.models import Notification
from fangkong.reporting.tests.conftest import bj, file, reporting_since


def _district(district):
    reporting_since(*[getattr(district, f) for f in district.__dataclass_fields__])
    return district


def test_the_ten_oclock_reminder_texts_the_cadres_of_units_not_filed(
    district, cadre_a, cadre_b, django_capture_on_commit_callbacks
):
    _district(district)
    cadre_a.phone, cadre_b.phone = "13811110000", "13822220000"
    cadre_a.save(), cadre_b.save()
    file(cadre_a, district.township_a, bj(9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        do_deadline_sweep(bj(10, 0))
    assert Notification.objects.filter(user=cadre_b).count() == 1
    campaign = Campaign.objects.get()
    assert campaign.kind == "report_reminder"
    message = Message.objects.get()
    assert message.user == cadre_b and message.person is None and message.phone.endswith("13822220000")
    assert [m.phone for m in backends.outbox] == [message.phone]
    assert district.township_b.name in backends.outbox[0].text and "12:00" in backends.outbox[0].text
    for minute in range(1, 4):  # the sweep runs every minute: the reminder is claimed once
        with django_capture_on_commit_callbacks(execute=True):
            do_deadline_sweep(bj(10, minute))
    assert len(backends.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        do_deadline_sweep(bj(11, 30))
    assert len(backends.outbox) == 2 and Campaign.objects.count() == 2


def test_cadres_without_a_usable_phone_keep_the_in_app_notice(
    district, cadre_b, django_capture_on_commit_callbacks
):
    _district(district)
    cadre_b.phone = "not a phone"
    cadre_b.save()
    with django_capture_on_commit_callbacks(execute=True):
        do_deadline_sweep(bj(10, 0))
    assert Notification.objects.filter(user=cadre_b).count() == 1
    assert not Message.objects.exists() and not backends.outbox


def test_the_campaign_page_names_the_cadre(
    district, cadre_b, command_user, client_for, django_capture_on_commit_callbacks
):
    _district(district)
    cadre_b.phone = "13822220000"
    cadre_b.save()
    with django_capture_on_commit_callbacks(execute=True):
        do_deadline_sweep(bj(10, 0))
    campaign = Campaign.objects.get()
    page = client_for(command_user).get(f"/notify/campaigns/{campaign.uuid}/").content.decode()
    assert (cadre_b.full_name or cadre_b.username) in page and "13822220000" not in page
