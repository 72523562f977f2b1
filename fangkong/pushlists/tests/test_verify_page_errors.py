"""Issue 19: the verify and upload forms tie their errors and help texts to the fields (aria-describedby ids)."""

from __future__ import annotations

from fangkong.pushlists.models import Outcome
from fangkong.pushlists.tests.conftest import item
from fangkong.tests.aria import error_summary, unresolved_references


def test_a_refused_verification_ties_the_error_and_help_text_to_the_measure(
    district, batch, cadre_a, client_for
):
    url = f"/push-lists/items/{item(batch, '张三').uuid}/"
    client = client_for(cadre_a)
    assert unresolved_references(client.get(url).content.decode()) == []

    page = client.post(url, {"outcome": Outcome.NEW_FOUND}).content.decode()

    assert 'aria-describedby="id_measure_code_helptext id_measure_code_error"' in page
    assert 'id="id_measure_code_helptext"' in page and 'id="id_measure_code_error"' in page
    assert 'role="alert"' in error_summary(page)
    assert unresolved_references(page) == []


def test_a_refused_upload_ties_its_errors_to_the_fields(district, command_user, client_for):
    page = client_for(command_user).post("/push-lists/upload/", {"deadline_hours": 0}).content.decode()
    assert 'id="id_deadline_hours_error"' in page
    assert unresolved_references(page) == []


def test_the_verify_page_shows_the_masked_phone_and_the_double_report(district, batch, cadre_a, client_for):
    from fangkong.screening.models import Channel
    from fangkong.screening.tests.helpers import register

    pushed = item(batch, "张三")
    client = client_for(cadre_a)
    page = client.get(f"/push-lists/items/{pushed.uuid}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page
    assert "无返乡登记" in page

    register(district.grid_a, channel=Channel.GRID, document_number=pushed.id_number, name="张三")
    page = client.get(f"/push-lists/items/{pushed.uuid}/").content.decode()
    assert "缺自主申报" in page
