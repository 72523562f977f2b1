import re
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from conftest import District
from fangkong.people.models import Person
from fangkong.screening.models import Channel, ReturneeReport
from fangkong.screening.tests.helpers import ID_1, form_data, register


def _url(district: District) -> str:
    return reverse("screening:self_report", args=[district.village_a.code])


def _without_receipt(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r"FK\d{8}-[0-9A-Z]{6}", "RECEIPT", html)


def test_anyone_can_open_the_village_page(district: District) -> None:
    response = Client().get(_url(district))
    assert response.status_code == 200
    assert "王助村" in response.content.decode()


def test_an_unknown_village_is_404(district: District) -> None:
    assert Client().get(reverse("screening:self_report", args=["999999999999"])).status_code == 404
    assert Client().get(reverse("screening:self_report", args=[district.grid_a.code])).status_code == 404


def test_a_self_report_registers_the_person_and_shows_a_receipt(district: District) -> None:
    response = Client().post(_url(district), form_data(), follow=True)
    assert response.status_code == 200
    report = ReturneeReport.objects.get()
    assert report.channel == Channel.SELF
    assert report.region == district.village_a
    assert report.receipt_number in response.content.decode()
    assert report.person.document_number == ID_1


def test_it_does_not_reveal_whether_the_person_exists(district: District) -> None:
    first = Client().post(_url(district), form_data(), follow=True)
    second = Client().post(_url(district), form_data(), follow=True)  # now the person exists
    assert first.status_code == second.status_code == 200
    assert _without_receipt(first.content.decode()) == _without_receipt(second.content.decode())
    assert Person.objects.count() == 1


def test_it_rejects_a_bad_id_number_and_a_bad_phone(district: District) -> None:
    response = Client().post(_url(district), form_data(document_number="110105194912310029", phone="12"))
    assert response.status_code == 200
    assert response.context["form"].errors["document_number"]
    assert not ReturneeReport.objects.exists()
    response = Client().post(_url(district), form_data(phone="12345"))
    assert response.context["form"].errors["phone"]


def test_it_rejects_a_returned_date_in_the_future(district: District) -> None:
    response = Client().post(_url(district), form_data(return_date="2999-01-01"))
    assert response.context["form"].errors["return_date"]


def test_it_limits_submissions_per_address(district: District) -> None:
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _i in range(20):
        assert client.post(_url(district), {"name": ""}).status_code == 200
    response = client.post(_url(district), form_data())
    assert response.status_code == 429
    assert "请一小时后再试" in response.content.decode() or response.context["limited"]
    assert not ReturneeReport.objects.exists()
    assert Client(REMOTE_ADDR="10.0.0.10").post(_url(district), form_data(), follow=True).status_code == 200


def test_it_refuses_put(district: District) -> None:
    assert Client().put(_url(district)).status_code == 405


def test_self_and_grid_reports_of_the_same_id_land_on_one_person(
    district: District, cadre_a: object, client_for: Callable[..., Client]
) -> None:
    Client().post(_url(district), form_data())
    register(district.grid_a, Channel.GRID, name="张三丰")
    assert Person.objects.count() == 1
    person = Person.objects.get()
    assert set(person.returnee_reports.values_list("channel", flat=True)) == {"self", "grid"}
    page = client_for(cadre_a).get(reverse("people:detail", args=[person.uuid])).content.decode()
    assert 'data-testid="screening-panel"' in page
    assert "双报告已完成" in page or "Double report complete" in page


def test_the_printable_links_list_the_villages_of_the_jurisdiction(
    district: District, cadre_a: object, client_for: Callable[..., Client]
) -> None:
    page = client_for(cadre_a).get(reverse("screening:links")).content.decode()
    assert f"/screening/r/{district.village_a.code}/" in page
    assert district.village_b.code not in page
