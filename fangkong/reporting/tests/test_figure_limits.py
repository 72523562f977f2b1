"""A figure above MAX_FIGURE is refused with a message, on the page and in the API, never a 500."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from fangkong.reporting.actions import check_values
from fangkong.reporting.models import MAX_FIGURE, DailyReport, ReportForm

from .conftest import DAY, bj, figures, page_figures


def test_check_values_refuses_a_figure_above_the_limit(district, english):
    form = ReportForm.current()
    assert form is not None
    indicators = list(form.active_indicators())
    code = indicators[0].code
    assert check_values(indicators, figures(**{code: MAX_FIGURE}), is_zero=False)[code] == MAX_FIGURE
    with pytest.raises(ValidationError) as exc:
        check_values(indicators, figures(**{code: MAX_FIGURE + 1}), is_zero=False)
    assert "cannot be larger than 10,000,000" in exc.value.message_dict[code][0]


@time_machine.travel(bj(9, 30), tick=False)
def test_the_page_refuses_an_oversized_figure_as_bad_input(district, cadre_a, client_for):
    for value in (MAX_FIGURE + 1, 2**31, 10**30):
        response = client_for(cadre_a).post(reverse("reporting:file"), page_figures(close_contacts=value))
        assert response.status_code == 400, value
        assert "close_contacts" in response.context["form"].errors
    assert not DailyReport.objects.exists()


@time_machine.travel(bj(9, 30), tick=False)
def test_the_api_refuses_an_oversized_figure_with_400(district, cadre_a, client_for):
    for value in (MAX_FIGURE + 1, 2**31, 10**30):
        response = client_for(cadre_a).post(
            "/api/v1/reports/reports",
            {
                "unit_code": district.township_a.code,
                "day": DAY.isoformat(),
                "values": figures(close_contacts=value),
            },
            content_type="application/json",
        )
        assert response.status_code == 400, value
        assert "close_contacts" in response.json()["detail"]
    assert not DailyReport.objects.exists()
