"""Issue 9: a grid worker with one grid finds it preselected; a grid report started from the person's own
self-report comes prefilled from it (not the document number or the phone, which the worker checks)."""

from __future__ import annotations

import re

from django.urls import reverse

from fangkong.screening.models import Channel
from fangkong.screening.tests.helpers import register

NEW = reverse("screening:returnee_create")


def _options(page: str) -> list[str]:
    select = re.search(r'<select name="region".*?</select>', page, re.S)
    assert select
    return re.findall(r"<option[^>]*>", select.group(0))


def test_a_grid_worker_with_one_grid_has_it_preselected(district, grid_worker_a, client_for):
    options = _options(client_for(grid_worker_a).get(NEW).content.decode())
    assert len(options) == 1
    assert f'value="{district.grid_a.pk}" selected' in options[0]


def test_a_cadre_with_several_places_still_chooses(district, cadre_a, client_for):
    options = _options(client_for(cadre_a).get(NEW).content.decode())
    assert len(options) > 2 and 'value=""' in options[0]


def test_a_grid_report_from_a_self_report_is_prefilled(district, cadre_a, client_for):
    own = register(
        district.village_a, channel=Channel.SELF, name="自报人", origin_city="扬州市", close_contact=True
    )
    client = client_for(cadre_a)

    detail = client.get(reverse("screening:returnee_detail", args=[own.uuid])).content.decode()
    assert f"?from={own.uuid}" in detail

    form = client.get(NEW, {"from": own.uuid}).context["form"]
    assert form.initial["name"] == "自报人"
    assert form.initial["origin_city"] == "扬州市"
    assert form.initial["close_contact"] is True
    assert form.initial["region"] == district.village_a.pk
    assert "document_number" not in form.initial and "phone" not in form.initial


def test_the_grid_worker_keeps_their_grid_when_the_self_report_names_the_village(
    district, grid_worker_a, client_for
):
    own = register(district.village_a, channel=Channel.SELF, name="自报人")
    # Self-reports land on the village; the grid worker they are assigned to reads them.
    type(own).objects.filter(pk=own.pk).update(assigned_to=grid_worker_a)
    response = client_for(grid_worker_a).get(NEW, {"from": own.uuid})
    assert response.status_code == 200
    assert response.context["form"].initial["region"] == district.grid_a.pk
    assert response.context["form"].initial["name"] == "自报人"


def test_another_townships_self_report_is_404(district, cadre_a, client_for):
    theirs = register(district.village_b, channel=Channel.SELF, name="乙镇人")
    assert client_for(cadre_a).get(NEW, {"from": theirs.uuid}).status_code == 404
    assert client_for(cadre_a).get(NEW, {"from": "not-a-uuid"}).status_code == 404
