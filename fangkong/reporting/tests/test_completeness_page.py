"""报送率 page: totals and per-township rows, drill-down inside the jurisdiction only, few queries."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from fangkong.reporting.actions import do_deadline_sweep

from .conftest import bj, file


@time_machine.travel(bj(12, 30), tick=False)
def test_the_district_sees_every_township(
    district, cadre_a, command_user, client_for, django_assert_max_num_queries
):
    file(cadre_a, district.township_a, bj(9, 0))
    do_deadline_sweep(bj(12, 0, 1))
    client = client_for(command_user)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("reporting:completeness"))
    result = response.context["result"]
    assert response.status_code == 200
    assert result.total.as_dict() == {
        "expected": 4,
        "received": 1,
        "on_time": 1,
        "zero": 0,
        "late": 0,
        "not_filed": 3,
        "pending": 0,
        "overdue": 3,
        "missing": 0,
    }
    assert [r.name for r, _t in result.rows] == ["王助镇", "新习镇"]
    assert response.context["bad_count"] == 3
    assert 'id="completeness-data"' in response.content.decode()


@time_machine.travel(bj(12, 30), tick=False)
def test_a_period_counts_unit_days(district, command_user, client_for):
    response = client_for(command_user).get(
        reverse("reporting:completeness"), {"start": "2021-08-01", "end": "2021-08-03"}
    )
    assert response.context["result"].total.expected == 12
    assert response.context["result"].total.missing == 8  # two past days with nothing filed


@time_machine.travel(bj(12, 30), tick=False)
def test_a_township_drills_down_into_its_own_units(district, cadre_a, client_for):
    response = client_for(cadre_a).get(reverse("reporting:completeness"))
    assert [r.name for r, _t in response.context["result"].rows] == ["王助镇", "王助村"]


@time_machine.travel(bj(12, 30), tick=False)
def test_drilling_into_another_township_is_404(district, cadre_a, client_for):
    response = client_for(cadre_a).get(
        reverse("reporting:completeness"), {"region": district.township_b.code}
    )
    assert response.status_code == 404


@time_machine.travel(bj(12, 30), tick=False)
def test_a_reversed_period_is_bad_input(district, command_user, client_for):
    response = client_for(command_user).get(
        reverse("reporting:completeness"), {"start": "2021-08-03", "end": "2021-08-01"}
    )
    assert response.status_code == 400


def test_the_page_rejects_post(district, command_user, client_for):
    assert client_for(command_user).post(reverse("reporting:completeness")).status_code == 405
