"""Publicity tallies per unit and day; 宣传次数 is the system's figure in the daily report."""

from __future__ import annotations

import datetime
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from fangkong.audit.models import AuditEvent
from fangkong.lib.reporting_day import SHANGHAI
from fangkong.publicity.actions import do_record_tallies
from fangkong.publicity.figures import publicity_items
from fangkong.publicity.models import PublicityTally
from fangkong.reporting import sources
from fangkong.reporting.models import Indicator

NOW = datetime.datetime(2021, 8, 10, 9, 0, tzinfo=SHANGHAI)
TODAY = datetime.date(2021, 8, 10)


def test_tallies_sum_over_the_subtree_for_the_day(district, cadre_a, grid_worker_a, command_user):
    do_record_tallies(
        cadre_a, region=district.township_a, day=TODAY, counts={"banner": 30, "poster": 100}, now=NOW
    )
    do_record_tallies(
        command_user, region=district.village_a, day=TODAY, counts={"open_letter": 1000}, now=NOW
    )
    do_record_tallies(command_user, region=district.village_b, day=TODAY, counts={"wechat": 2}, now=NOW)
    assert publicity_items(district.township_a, TODAY) == 1130
    assert publicity_items(district.county, TODAY) == 1132
    assert publicity_items(district.township_a, TODAY - datetime.timedelta(days=1)) == 0


def test_typing_a_count_again_replaces_it_and_is_audited(district, cadre_a):
    do_record_tallies(cadre_a, region=district.township_a, day=TODAY, counts={"banner": 3}, now=NOW)
    changed = do_record_tallies(cadre_a, region=district.township_a, day=TODAY, counts={"banner": 5}, now=NOW)
    assert [t.count for t in changed] == [5]
    assert PublicityTally.objects.get().count == 5
    assert (
        do_record_tallies(cadre_a, region=district.township_a, day=TODAY, counts={"banner": 5}, now=NOW) == []
    )
    assert AuditEvent.objects.filter(object_type="publicity.publicitytally").count() == 2


def test_bad_input_is_refused(district, cadre_a, cadre_b):
    with pytest.raises(ValidationError):
        do_record_tallies(cadre_b, region=district.township_a, day=TODAY, counts={"banner": 1}, now=NOW)
    with pytest.raises(ValidationError):
        do_record_tallies(
            cadre_a,
            region=district.township_a,
            day=TODAY + datetime.timedelta(days=1),
            counts={"banner": 1},
            now=NOW,
        )
    with pytest.raises(ValidationError):
        do_record_tallies(cadre_a, region=district.township_a, day=TODAY, counts={"banner": -1}, now=NOW)
    assert not PublicityTally.objects.exists()


def test_the_daily_form_reads_the_figure(district, cadre_a):
    from fangkong.tests.conftest import ensure_migration_seeds

    ensure_migration_seeds()
    import_module("fangkong.publicity.migrations.0002_publicity_items_source").point(apps, None)
    assert Indicator.objects.get(code="publicity_items").source == "publicity.items"
    assert "publicity.items" in sources.EXPECTED
    do_record_tallies(cadre_a, region=district.village_a, day=TODAY, counts={"broadcast": 4}, now=NOW)
    assert sources.source_value("publicity.items", district.township_a, TODAY, NOW) == 4


def test_the_page_records_the_days_tallies(district, cadre_a, cadre_b, client_for):
    client = client_for(cadre_a)
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("publicity:home"), {"banner": "2", "wechat": "1"})
        assert response.status_code == 302
        assert publicity_items(district.township_a, TODAY) == 3
        page = client.get(reverse("publicity:home"))
    assert page.context["rows"][0][2] == 3
    assert (
        client_for(cadre_b).get(reverse("publicity:home") + f"?unit={district.township_a.code}").status_code
        == 404
    )
