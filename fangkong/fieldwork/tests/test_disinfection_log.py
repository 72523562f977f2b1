"""消杀记录: places on a schedule per kind, records, the overdue list, and 消杀面积 in the daily report."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from fangkong.audit.models import AuditEvent
from fangkong.fieldwork import figures, overview
from fangkong.fieldwork.access import places_for
from fangkong.fieldwork.actions import do_create_place, do_record_disinfection
from fangkong.fieldwork.models import DisinfectionPlace, DisinfectionRecord, DisinfectionSchedule
from fangkong.fieldwork.tests.helpers import at, disinfection, make_village
from fangkong.reporting.models import Indicator
from fangkong.reporting.sources import EXPECTED, registered, source_value

DAY = datetime.date(2026, 11, 30)


def test_the_schedules_are_data_and_a_market_is_disinfected_daily(db):
    assert DisinfectionSchedule.objects.get(kind="market").every_days == 1
    assert DisinfectionSchedule.objects.get(kind="village_public").every_days == 3


def test_the_daily_form_reads_the_disinfected_area(db):
    sources = dict(Indicator.objects.filter(form__code="daily").values_list("code", "source"))
    assert sources["disinfection_area"] == "fieldwork.disinfection_area"
    assert "fieldwork.disinfection_area" in EXPECTED
    assert "fieldwork.disinfection_area" in registered()


def test_a_record_counts_for_its_unit_and_beijing_day(district, grid_worker_a):
    v = make_village(district, at(DAY, 7))
    # 00:30 Beijing is still the previous evening in UTC: it counts for the Beijing day.
    do_record_disinfection(grid_worker_a, v.market, disinfection(at(DAY, 0, 30), area=1200), now=at(DAY, 8))
    do_record_disinfection(v.cadre, v.market, disinfection(at(DAY, 16), area=300), now=at(DAY, 16, 5))
    end = at(DAY, 23, 59)
    assert source_value("fieldwork.disinfection_area", district.township_a, DAY, end) == 1500
    assert source_value("fieldwork.disinfection_area", district.county, DAY, end) == 1500
    assert source_value("fieldwork.disinfection_area", district.township_b, DAY, end) == 0
    assert figures.disinfection_area(district.county, DAY - datetime.timedelta(days=1), end) == 0
    # As known at noon, only the morning's record.
    assert figures.disinfection_area(district.county, DAY, at(DAY, 12)) == 1200
    assert figures.disinfections(district.village_a, DAY, end) == 2
    assert AuditEvent.objects.filter(object_type="fieldwork.disinfectionrecord").count() == 2


def test_a_market_not_disinfected_today_is_overdue_and_a_record_clears_it(district, grid_worker_a):
    v = make_village(district, at(DAY, 7))
    school = do_create_place(
        v.cadre, region=district.grid_a, kind="village_public", name="文化广场", now=at(DAY, 7)
    )
    places = places_for(v.cadre)
    assert {o.place.name for o in overview.overdue(places, DAY)} == {"王助集贸市场", "文化广场"}
    do_record_disinfection(grid_worker_a, v.market, disinfection(at(DAY, 9)), now=at(DAY, 9))
    do_record_disinfection(grid_worker_a, school, disinfection(at(DAY, 9)), now=at(DAY, 9))
    assert overview.overdue(places, DAY) == []
    # A market is due again the next day; a public area every three days.
    tomorrow = DAY + datetime.timedelta(days=1)
    assert [o.place.name for o in overview.overdue(places, tomorrow)] == ["王助集贸市场"]
    assert {o.place.name for o in overview.overdue(places, DAY + datetime.timedelta(days=3))} == {
        "王助集贸市场",
        "文化广场",
    }


def test_a_late_replay_does_not_move_the_last_disinfection_back(district, grid_worker_a):
    v = make_village(district, at(DAY, 7))
    do_record_disinfection(grid_worker_a, v.market, disinfection(at(DAY, 15)), now=at(DAY, 15))
    do_record_disinfection(grid_worker_a, v.market, disinfection(at(DAY, 8)), now=at(DAY, 16))
    assert DisinfectionPlace.objects.get(pk=v.market.pk).last_disinfected_at == at(DAY, 15)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"area": 0}, "area_m2"),
        ({"area": 2_000_000}, "area_m2"),
        ({"done_at": at(DAY, 20)}, "done_at"),
        ({"done_at": at(DAY - datetime.timedelta(days=9))}, "done_at"),
        ({"litres": -1}, "litres"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(district, grid_worker_a, change, field):
    v = make_village(district, at(DAY, 7))
    area = change.pop("area", 800)
    done_at = change.pop("done_at", at(DAY, 9))
    with pytest.raises(ValidationError) as exc:
        do_record_disinfection(
            grid_worker_a, v.market, disinfection(done_at, area=area, **change), now=at(DAY, 10)
        )
    assert field in exc.value.message_dict
    assert not DisinfectionRecord.objects.exists()


def test_an_outsider_cannot_record_and_a_volunteer_needs_a_task(district, cadre_b):
    v = make_village(district, at(DAY, 7))
    for actor in (cadre_b, v.volunteer):
        with pytest.raises(ValidationError):
            do_record_disinfection(actor, v.market, disinfection(at(DAY, 9)), now=at(DAY, 10))
    assert not DisinfectionRecord.objects.exists()


def test_disinfectant_is_drawn_from_the_warehouse_when_there_is_one_and_noted_when_not(
    district, grid_worker_a
):
    from fangkong.tests.conftest import ensure_migration_seeds

    ensure_migration_seeds()
    v = make_village(district, at(DAY, 7))
    entry = do_record_disinfection(
        grid_worker_a, v.market, disinfection(at(DAY, 9), litres=5), now=at(DAY, 10)
    )
    # No warehouse serves the village in this district: the disinfection is kept, the draw noted.
    assert entry.supply_note.startswith(("Not drawn", "未"))
    assert DisinfectionRecord.objects.count() == 1


def test_the_pages_show_the_overdue_list_and_record_a_disinfection(
    district, client_for, grid_worker_a, cadre_b
):
    v = make_village(district, at(DAY, 7))
    client = client_for(v.cadre)
    page = client.get("/field/")
    assert page.status_code == 200 and "王助集贸市场" in page.content.decode()
    worker = client_for(grid_worker_a)
    response = worker.post(
        f"/field/places/{v.market.uuid}/",
        {"area_m2": "600", "agent": "含氯消毒液", "concentration": "500 mg/L", "done_at": "", "note": ""},
    )
    assert response.status_code == 200  # no time given: the form shows the error
    assert not DisinfectionRecord.objects.exists()
    from django.utils import timezone

    now = timezone.localtime()
    response = worker.post(
        f"/field/places/{v.market.uuid}/",
        {
            "area_m2": "600",
            "agent": "含氯消毒液",
            "concentration": "500 mg/L",
            "done_at": now.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    assert DisinfectionRecord.objects.get().area_m2 == 600
    assert "王助集贸市场" not in client.get("/field/").content.decode().split('data-testid="overdue"')[1]
    outsider = client_for(cadre_b)
    assert outsider.get(f"/field/places/{v.market.uuid}/").status_code == 404
    assert "王助集贸市场" not in outsider.get("/field/places/").content.decode()


def test_a_grid_worker_cannot_add_places(district, client_for, grid_worker_a):
    response = client_for(grid_worker_a).post(
        "/field/places/", {"region": district.grid_a.pk, "kind": "market", "name": "市场"}
    )
    assert response.status_code == 404
    assert not DisinfectionPlace.objects.exists()
