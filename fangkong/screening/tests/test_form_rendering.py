"""What the browser receives: date inputs it can show, one id per input, radios it can lay out on a phone."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import District
from fangkong.accounts.models import User
from fangkong.screening.forms import ReturneeForm, RiskPasteForm


def test_a_date_input_holds_an_iso_date_in_chinese() -> None:
    # <input type="date"> drops 2021/08/03 (the zh-hans input format): the field would show empty.
    with translation.override("zh-hans"):
        html = str(RiskPasteForm(initial={"effective_from": datetime.date(2021, 8, 3)})["effective_from"])
    assert 'value="2021-08-03"' in html


def test_a_returned_form_keeps_the_date_the_person_entered() -> None:
    with translation.override("zh-hans"):
        form = ReturneeForm({"return_date": "2021-08-03"})
        assert 'value="2021-08-03"' in str(form["return_date"])


def test_the_risk_area_page_gives_every_input_its_own_id(
    command_user: User, client_for: Callable[[User], Client]
) -> None:
    page = client_for(command_user).get(reverse("screening:risk_areas")).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [name for name, n in ids.items() if n > 1] == []
    assert 'for="id_import_effective_from"' in page


def test_the_self_report_page_lays_out_the_status_radios_with_their_labels(
    district: District, client: Client
) -> None:
    page = client.get(reverse("screening:self_report", args=[district.village_a.code])).content.decode()
    assert 'data-testid="choice-status"' in page
    assert re.search(r'<div class="form-check form-check-inline[^"]*"><input [^>]*id="id_status_0"', page)
    assert '<label class="form-check-label" for="id_status_0">' in page
