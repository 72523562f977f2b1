"""The checkpoint pages: the list, a checkpoint's day, the phone pages of the staff on duty."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fangkong.checkpoints.actions import do_start_shift
from fangkong.checkpoints.models import Crossing, CrossingDay, ShiftStart
from fangkong.checkpoints.tests.helpers import create_checkpoint, register, staff_user, traveller
from fangkong.duty.actions import do_create_shift


def test_shift_start_records_missing_equipment_seen_by_the_supervising_unit(
    district, cadre_a, command_user, kakou, client_for
):
    cp = create_checkpoint(cadre_a, district.township_a, staff=[kakou], supervising_unit=district.county)
    response = client_for(kakou).post(
        f"/checkpoints/{cp.uuid}/start", {"items": ["标示牌", "登记本", "值班表"]}
    )
    assert response.status_code == 302
    start = ShiftStart.objects.get()
    assert start.items_missing == ["测温仪", "消毒用品"]
    page = client_for(command_user).get("/checkpoints/").content.decode()
    assert "测温仪、消毒用品" in page


def test_a_shift_start_knows_whether_the_duty_roster_has_the_user(district, cadre_a, kakou, checkpoint):
    now = timezone.now()
    assert do_start_shift(kakou, checkpoint, items_present=[], now=now).on_roster is False
    do_create_shift(
        cadre_a,
        region=district.township_a,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=7),
        person_on_duty=kakou,
    )
    assert do_start_shift(kakou, checkpoint, items_present=[], now=now).on_roster is True


def test_the_phone_page_registers_a_car_with_passengers(district, kakou, checkpoint, client_for):
    client = client_for(kakou)
    assert client.get(f"/checkpoints/{checkpoint.uuid}/register?n=4").status_code == 200
    data = {
        "kind": "vehicle",
        "plate": "豫J88888",
        "origin": "河南省郑州市",
        "destination": "王助村",
        "t-TOTAL_FORMS": "4",
        "t-INITIAL_FORMS": "0",
        "t-MIN_NUM_FORMS": "1",
        "t-MAX_NUM_FORMS": "8",
    }
    for n in range(4):
        data |= {
            f"t-{n}-name": f"乘客{n}",
            f"t-{n}-phone": "13900000000",
            f"t-{n}-health_code": "green",
            f"t-{n}-vaccination": "full",
            f"t-{n}-temperature": "36.5",
            f"t-{n}-wears_mask": "on",
            f"t-{n}-disposition": "pass",
        }
    response = client.post(f"/checkpoints/{checkpoint.uuid}/register?n=4", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    crossing = Crossing.objects.get()
    assert crossing.plate == "豫J88888" and crossing.travellers.count() == 4


def test_the_phone_page_puts_the_temperature_error_on_that_person(kakou, checkpoint, client_for):
    data = {
        "kind": "person",
        "origin": "河南省郑州市",
        "t-TOTAL_FORMS": "1",
        "t-INITIAL_FORMS": "0",
        "t-0-name": "张三",
        "t-0-phone": "13900000000",
        "t-0-health_code": "green",
        "t-0-vaccination": "full",
        "t-0-temperature": "37.9",
        "t-0-disposition": "pass",
    }
    response = client_for(kakou).post(f"/checkpoints/{checkpoint.uuid}/register", data)
    assert response.status_code == 200
    assert "37.3" in response.content.decode()
    assert not Crossing.objects.exists()


def test_the_checkpoint_page_shows_the_days_figures(cadre_a, kakou, checkpoint, client_for):
    register(kakou, checkpoint, traveller(), traveller(), traveller())
    page = client_for(cadre_a).get(f"/checkpoints/{checkpoint.uuid}/").content.decode()
    assert 'data-testid="fig-people">3<' in page and 'data-testid="fig-vehicles">1<' in page


def test_the_checkpoint_page_costs_the_same_with_many_crossings(cadre_a, kakou, checkpoint, client_for):
    client = client_for(cadre_a)
    register(kakou, checkpoint, traveller())
    with CaptureQueriesContext(connection) as few:
        client.get(f"/checkpoints/{checkpoint.uuid}/")
    for _n in range(5):
        register(kakou, checkpoint, traveller(), traveller())
    with CaptureQueriesContext(connection) as many:
        client.get(f"/checkpoints/{checkpoint.uuid}/")
    assert len(many) == len(few)


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_page_has_a_fixed_query_count(district, cadre_a, command_user, client_for, count):
    for n in range(count):
        staff = staff_user(f"k{n}", district.township_a)
        cp = create_checkpoint(cadre_a, district.township_a, name=f"卡口{n}", staff=[staff])
        do_start_shift(staff, cp, items_present=["标示牌"], now=timezone.now())
        register(staff, cp, traveller())
    client = client_for(command_user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/checkpoints/").status_code == 200
    assert len(queries) <= 12, [q["sql"] for q in queries.captured_queries]
    assert CrossingDay.objects.count() == count


def test_the_staff_member_sees_the_buttons_of_their_checkpoint(kakou, checkpoint, client_for):
    page = client_for(kakou).get("/checkpoints/").content.decode()
    assert f"/checkpoints/{checkpoint.uuid}/start" in page


def test_another_township_gets_404_on_every_page(cadre_b, checkpoint, client_for):
    client = client_for(cadre_b)
    for suffix in ("", "start", "register", "spot-check"):
        assert client.get(f"/checkpoints/{checkpoint.uuid}/{suffix}").status_code == 404
    assert checkpoint.name not in client.get("/checkpoints/").content.decode()


def test_a_township_cadre_creates_a_checkpoint(district, cadre_a, client_for):
    kakou = staff_user("kakou2", district.township_a)
    response = client_for(cadre_a).post(
        "/checkpoints/new",
        {
            "name": "濮渠路卡口",
            "kind": "township_border",
            "region": district.township_a.pk,
            "supervising_unit": district.township_a.pk,
            "equipment": "标示牌\n测温仪\n",
            "staff": [kakou.pk],
        },
    )
    assert response.status_code == 302
    from fangkong.checkpoints.models import Checkpoint

    cp = Checkpoint.objects.get(name="濮渠路卡口")
    assert cp.equipment == ["标示牌", "测温仪"] and list(cp.staff.all()) == [kakou]


def test_a_grid_worker_sees_no_checkpoints(grid_worker_a, client_for):
    assert client_for(grid_worker_a).get("/checkpoints/").status_code == 404
