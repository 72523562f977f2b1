"""The unit choice of the account forms lists every unit of a district (700+): its options are written in
one pass, not one template each, and still offer every unit of the jurisdiction by level and full name."""

from __future__ import annotations

import re

from conftest import make_region, make_user
from fangkong.accounts.permissions import Role
from fangkong.regions.models import Level

OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _region_options(html: str) -> list[tuple[str, str, str]]:
    select = re.search(r'<select[^>]*name="region"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select.group(1))


def test_the_new_account_form_offers_every_unit_without_a_template_per_option(district, cadre_a, client_for):
    for n in range(1, 31):
        make_region(f"{district.village_a.code}2{n:02d}", f"第{n}组<b>", Level.GRID, district.village_a)
    response = client_for(cadre_a).get("/accounts/users/new")
    assert response.status_code == 200
    # The few roles may render a template each; the 35 units do not.
    assert [t.name for t in response.templates].count(OPTION_TEMPLATE) <= len(Role)
    options = _region_options(response.content.decode())
    labels = [label for _, _, label in options]
    # The empty choice, township A and everything below it (4 units + 30 grids), and nothing of township B.
    assert len(options) == 1 + 4 + 30
    assert any(label.endswith(f" · {district.township_a.name}") for label in labels)
    assert any(label.endswith("王助村 / 第1组&lt;b&gt;") for label in labels), labels[:8]
    assert not any(district.township_b.name in label for label in labels)
    assert re.search(r'<select[^>]*\bid="id_region"[^>]*\brequired\b', response.content.decode())


def test_an_account_page_selects_the_accounts_unit(district, cadre_a, client_for):
    worker = make_user("grid-x", Role.GRID_WORKER, district.grid_a)
    response = client_for(cadre_a).get(f"/accounts/users/{worker.uuid}/")
    assert response.status_code == 200
    assert [t.name for t in response.templates].count(OPTION_TEMPLATE) <= len(Role)
    chosen = [value for value, selected, _ in _region_options(response.content.decode()) if selected]
    assert chosen == [str(district.grid_a.pk)]
