"""The whole day: one township files prefilled, one files a zero report, one stays silent; after 12:00
the silent one is late, its accountability record is open, and the command office sees it and decides."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from conftest import make_user
from fangkong.accounts.permissions import Role
from fangkong.reporting.actions import do_deadline_sweep
from fangkong.reporting.models import AccountabilityRecord, AccountabilityState, Decision

from .conftest import DAY, bj, page_figures


def test_the_silent_township_is_held_to_account(
    district, cadre_a, cadre_b, command_user, township_c, client_for, verified_source
):
    cadre_c = make_user("huzhuang", Role.TOWNSHIP_CADRE, township_c)
    verified_source[district.township_a.code] = 6
    with time_machine.travel(bj(9, 30), tick=False):
        page = client_for(cadre_a).get(reverse("reporting:file"))
        assert page.context["form"].initial["pushlist_verified"] == 6
        assert (
            client_for(cadre_a).post(reverse("reporting:file"), page_figures(pushlist_verified=6)).status_code
            == 302
        )
    with time_machine.travel(bj(11, 0), tick=False):
        assert (
            client_for(cadre_b)
            .post(reverse("reporting:file"), {"zero": "1", "day": DAY.isoformat()})
            .status_code
            == 302
        )
    do_deadline_sweep(bj(12, 0, 1))

    record = AccountabilityRecord.objects.get(region=township_c)
    assert record.state == AccountabilityState.OPEN
    assert not AccountabilityRecord.objects.filter(
        region__in=[district.township_a, district.township_b]
    ).exists()

    with time_machine.travel(bj(12, 30), tick=False):
        rate = client_for(command_user).get(reverse("reporting:completeness"))
        assert rate.status_code == 200
        assert township_c.name in rate.content.decode()
        listing = client_for(command_user).get(reverse("reporting:accountability") + "?state=open")
        assert township_c.name in listing.content.decode()
        assert (
            client_for(cadre_c)
            .post(
                reverse("reporting:accountability_explain", args=[record.uuid]),
                {"explanation": "值班人员漏报"},
            )
            .status_code
            == 302
        )
        assert (
            client_for(command_user)
            .post(
                reverse("reporting:accountability_decide", args=[record.uuid]),
                {"decision": Decision.CRITICISM, "note": "通报批评"},
            )
            .status_code
            == 302
        )
        assert (
            client_for(command_user)
            .post(reverse("reporting:accountability_publish", args=[record.uuid]), {"notice_text": ""})
            .status_code
            == 302
        )
        notices = client_for(cadre_a).get(reverse("reporting:notices")).content.decode()
    record.refresh_from_db()
    assert record.state == AccountabilityState.DECIDED
    assert record.explanation == "值班人员漏报"
    assert record.published_at is not None
    assert township_c.name in notices
